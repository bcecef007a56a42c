package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.VaultSession;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Inject a Vault client already logged in with a fresh service-account token through the login path of the role's
 * auth method ({@code auth/<authPath>/login} for a {@code @JwtRole}, {@code auth/<kubernetesAuthPath>/login} for a
 * {@code @KubernetesRole}; role names are unique across both): a {@code io.github.jopenlibs.vault.Vault} (KV version 2 paths, like {@code vault kv}) or a
 * {@link VaultSession}. The Vault token is revoked after the test.
 *
 * <p>By default the token is minted for the service account and audience the role binds
 * ({@code boundSubject = system:serviceaccount:<namespace>:<name>}, first of {@code boundAudiences}; for a kubernetes
 * role its first bound name and namespace without globs, and its {@code audience}, or {@code vault-dev} when it sets
 * none).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface VaultLogin {

    /** Name the role to log in with. */
    String role() default VaultK8sTrust.SEED_ROLE;

    /** Name the service account whose token is used; empty derives it from the role's bound subject. */
    String serviceAccount() default "";

    /** Name the service account's namespace; empty derives it from the role's bound subject. */
    String namespace() default "";

    /** Set the token audience; empty takes the role's first bound audience. */
    String audience() default "";
}
