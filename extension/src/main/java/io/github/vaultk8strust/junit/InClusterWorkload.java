package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inject a {@link Workload}: a pod running inside the cluster under a service account with a projected token,
 * started before the test and deleted after it. The defaults are the walkthrough's {@code vault-client} pod
 * ({@link WorkloadSpec#seed()}).
 *
 * <pre>{@code
 * @Test
 * void podLogsIn(@InClusterWorkload Workload pod) {
 *     ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev", "jwt=@/service-account/token");
 *     assertThat(login.exitCode()).isZero();
 * }
 * }</pre>
 *
 * <p>Only the {@link Backend#K3S} backend runs pods. On {@link Backend#LOCAL} a test with such a parameter is
 * reported skipped with the reason, or fails when {@link VaultK8sTrust#K3S_ONLY_KEY} is {@code fail}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@ExtendWith(InClusterWorkloadExtension.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface InClusterWorkload {

    /** Set the pod name's prefix (a random suffix is added). */
    String name() default "vault-client";

    /** Name the namespace the pod runs in. */
    String namespace() default VaultK8sTrust.SEED_NAMESPACE;

    /** Name the service account the pod runs under. */
    String serviceAccount() default VaultK8sTrust.SEED_SERVICE_ACCOUNT;

    /** Set the projected token's audience. */
    String audience() default VaultK8sTrust.SEED_AUDIENCE;

    /** Set the projected token's lifetime in seconds; Kubernetes refuses less than 600. */
    long expirationSeconds() default 3600;

    /** Set the container image; empty runs the environment's Vault image. */
    String image() default "";
}
