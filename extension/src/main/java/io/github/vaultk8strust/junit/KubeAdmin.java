package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Inject a fabric8 {@code KubernetesClient} authenticated as a cluster administrator ({@code system:masters}).
 * A new client is created for each test and closed after it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface KubeAdmin {
}
