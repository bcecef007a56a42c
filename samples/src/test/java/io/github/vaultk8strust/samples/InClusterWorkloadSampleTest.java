package io.github.vaultk8strust.samples;

// tag::workload[]
import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.junit.InClusterWorkload;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import org.junit.jupiter.api.Test;

/**
 * The walkthrough's last step: a pod running under {@code vault-writer} with a projected token logs in from inside
 * the cluster. Pods need the k3s backend: with {@code backend = AUTO} (the default) a class that asks for a pod gets
 * k3s where a Docker engine answers. On the local backend these tests are reported skipped with the reason (or fail,
 * with {@code vaultk8s.k3s-only=fail}); this build pins the local backend, so here they are skipped.
 */
@VaultK8sTrust
class InClusterWorkloadSampleTest {

    @Test // kubectl exec -it vault-client -- vault write auth/jwt/login role=k8s-dev jwt=@/service-account/token
    void podLogsIn(@InClusterWorkload Workload pod) {
        ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev",
                "jwt=@/service-account/token");

        assertThat(login.exitCode()).isZero();
        assertThat(pod.projectedToken().podName()).contains(pod.podName());
    }

    @Test // the same pod with a token for another audience is refused
    void aTokenForAnotherAudienceIsRefused(TrustEnvironment environment) {
        try (Workload pod = environment.startWorkload(WorkloadSpec.seed().withAudience("someone-else"))) {
            ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev",
                    "jwt=@/service-account/token");

            assertThat(login.exitCode()).isNotZero();
            assertThat(login.stderr()).contains("invalid audience");
        }
    }
}
// end::workload[]
