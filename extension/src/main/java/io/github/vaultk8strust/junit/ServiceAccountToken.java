package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.ServiceAccountJwt;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Inject a fresh service-account token from the TokenRequest API, as the raw JWT ({@code String}) or parsed
 * ({@link ServiceAccountJwt}); the defaults are the seed's {@code kubectl create token vault-writer --audience=vault-dev}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ServiceAccountToken {

    /** Name the service account. */
    String serviceAccount() default VaultK8sTrust.SEED_SERVICE_ACCOUNT;

    /** Name the service account's namespace. */
    String namespace() default VaultK8sTrust.SEED_NAMESPACE;

    /** Set the token audience. */
    String audience() default VaultK8sTrust.SEED_AUDIENCE;

    /** Set the lifetime in seconds; Kubernetes refuses less than 600. */
    long expirationSeconds() default 3600;
}
