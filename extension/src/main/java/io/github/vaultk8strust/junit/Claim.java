package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.BoundClaimsType;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Bind a token claim to one or more accepted values, one entry of a {@link JwtRole#boundClaims()} map (Vault's
 * {@code bound_claims}). A token is accepted when the claim equals (or, with {@link BoundClaimsType#GLOB},
 * matches) any of the values.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface Claim {

    /**
     * Name the claim: a top-level claim such as {@code sub}, or a JSON pointer into nested claims such as
     * {@code /kubernetes.io/namespace} or {@code /kubernetes.io/serviceaccount/name}.
     */
    String name();

    /** Give the accepted values; with {@link BoundClaimsType#GLOB}, {@code *} matches any run of characters. */
    String[] value();
}
