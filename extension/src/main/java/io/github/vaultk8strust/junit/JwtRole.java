package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.BoundClaimsType;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Declare a role of the {@code jwt} auth method, written to {@code auth/<authPath>/role/<name>}: attribute by attribute
 * (then with {@code role_type=jwt}), or from the role file you ship ({@link #resource()}), or from a directory of them
 * ({@link #directory()}). A file's parameters are sent to Vault as they are; every key Vault does not know, and every
 * value that does not read back as written, fails the start naming the file, the key and its line.
 *
 * <pre>{@code
 * @JwtRole(resource = "vault/roles/k8s-dev.json")      // role "k8s-dev", exactly as the file says
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface JwtRole {

    /**
     * Name the role. Required for a role declared attribute by attribute; for a {@link #resource()} it defaults to the
     * file's name without its extension; not allowed with {@link #directory()} (each role is named after its file).
     */
    String name() default "";

    /**
     * Read the role from a role file on the test class path, e.g. {@code "vault/roles/k8s-dev.json"}: a JSON
     * ({@code .json}) or YAML ({@code .yaml}, {@code .yml}) object of the parameters {@code vault write
     * auth/jwt/role/<name> @file} takes, sent as it is. The other attributes (but {@link #name()}) must then be left
     * out: everything comes from the file.
     */
    String resource() default "";

    /**
     * Read one role from each role file ({@code .json}, {@code .yaml}, {@code .yml}) of a directory on the test class
     * path, e.g. {@code "vault/roles/jwt"}, each named after its file. The other attributes must then be left out.
     */
    String directory() default "";

    /**
     * Bind the token subject, e.g. {@code system:serviceaccount:apps:reader}; a subject of that form also
     * creates the service account. May be empty when {@link #boundClaims()} binds the token instead; at least one
     * of the two is required.
     */
    String boundSubject() default "";

    /** Bind the token audiences; at least one is required (Kubernetes tokens always carry one). */
    String[] boundAudiences() default {VaultK8sTrust.SEED_AUDIENCE};

    /** Name the claim that becomes the identity's alias. */
    String userClaim() default "sub";

    /** Attach these policies to issued Vault tokens. */
    String[] policies() default {};

    /**
     * Bind claims (Vault's {@code bound_claims}), e.g.
     * {@code @Claim(name = "/kubernetes.io/namespace", value = "payments-*")}; every listed claim must match.
     */
    Claim[] boundClaims() default {};

    /** Say how {@link #boundClaims()} values compare: exact strings (default) or globs. */
    BoundClaimsType boundClaimsType() default BoundClaimsType.STRING;

    /**
     * Copy claims into the Vault token's metadata (Vault's {@code claim_mappings}), e.g.
     * {@code @ClaimMapping(claim = "/kubernetes.io/serviceaccount/name", metadata = "service_account")}.
     */
    ClaimMapping[] claimMappings() default {};

    /** Set the token TTL in Vault's duration syntax, e.g. {@code 1h}, {@code 30m}, {@code 90s}. */
    String ttl() default "1h";
}
