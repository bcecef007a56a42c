package io.github.vaultk8strust;

/** Say how the values of {@code @JwtRole.boundClaims()} are compared (Vault's {@code bound_claims_type}). */
public enum BoundClaimsType {
    /** The claim must equal one of the values exactly ({@code bound_claims_type=string}, Vault's default). */
    STRING,
    /** The values are globs: {@code *} matches any run of characters ({@code bound_claims_type=glob}). */
    GLOB
}
