package io.github.vaultk8strust;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declare a role of the {@code jwt} auth method, written to {@code auth/<authPath>/role/<name>} with
 * {@code role_type=jwt}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface JwtRole {

    /** Name the role. */
    String name();

    /**
     * Bind the token subject, e.g. {@code system:serviceaccount:apps:reader}; a subject of that form also
     * creates the service account.
     */
    String boundSubject();

    /** Bind the token audiences; at least one is required (Kubernetes tokens always carry one). */
    String[] boundAudiences() default {VaultK8sTrust.SEED_AUDIENCE};

    /** Name the claim that becomes the identity's alias. */
    String userClaim() default "sub";

    /** Attach these policies to issued Vault tokens. */
    String[] policies() default {};

    /** Set the token TTL in Vault's duration syntax, e.g. {@code 1h}, {@code 30m}, {@code 90s}. */
    String ttl() default "1h";
}
