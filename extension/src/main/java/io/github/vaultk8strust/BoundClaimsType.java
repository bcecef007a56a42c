package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** Say how the values of {@code @JwtRole.boundClaims()} are compared (Vault's {@code bound_claims_type}). */
@API(status = EXPERIMENTAL, since = "0.1")
public enum BoundClaimsType {
    /** The claim must equal one of the values exactly ({@code bound_claims_type=string}, Vault's default). */
    STRING,
    /** The values are globs: {@code *} matches any run of characters ({@code bound_claims_type=glob}). */
    GLOB
}
