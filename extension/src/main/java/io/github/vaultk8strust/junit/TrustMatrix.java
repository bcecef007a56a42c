package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.ConfigKeys;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Run the whole test class once per combination of Kubernetes and Vault versions, each with its own environment
 * (built on JUnit's class templates). Put it beside {@link VaultK8sTrust}, which says everything else:
 *
 * <pre>{@code
 * @TrustMatrix(kubernetes = {"1.33", "1.34"}, vault = {"1.19", "1.21"})
 * @VaultK8sTrust
 * class MyClientCompatibilityTest { ... }
 * }</pre>
 *
 * <p>Versions are written as for {@link VaultK8sTrust#kubernetesVersion()}: a minor resolves to its newest known
 * patch; an unknown or malformed one, an empty axis, a version given twice, or a fixed version on
 * {@code @VaultK8sTrust} fail the class before anything starts. Invocations are named
 * {@code [kubernetes 1.34.10, vault 1.21.0]}. Their environments are private to the invocation, started one after
 * another and closed when the invocation ends, so a matrix holds one environment at a time.
 *
 * <p>A combination whose binaries cannot be had here (not found, downloads and builds off or {@code go} missing) is
 * reported as skipped with the reason, or fails with {@code vaultk8s.matrix.unavailable=fail}; it is never dropped.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ClassTemplate
@ExtendWith(TrustMatrixExtension.class)
public @interface TrustMatrix {

    /** Configuration key {@value}: what a combination that cannot run here does, {@code skip} (default) or {@code fail}. */
    String UNAVAILABLE_KEY = ConfigKeys.MATRIX_UNAVAILABLE_KEY;

    /** The Kubernetes versions, e.g. {@code {"1.33", "1.34"}}; at least one. */
    String[] kubernetes();

    /** The Vault versions, e.g. {@code {"1.19", "1.21"}}; at least one. */
    String[] vault();
}
