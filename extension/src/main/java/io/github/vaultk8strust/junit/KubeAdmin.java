package io.github.vaultk8strust.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inject a fabric8 {@code KubernetesClient} authenticated as a cluster administrator ({@code system:masters}).
 * A new client is created for each test and closed after it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface KubeAdmin {
}
