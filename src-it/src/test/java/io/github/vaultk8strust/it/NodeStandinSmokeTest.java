package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf(value = "io.github.vaultk8strust.it.NodeStandin#built", disabledReason = NodeStandin.NOT_BUILT)
class NodeStandinSmokeTest {

    @Test
    void smoke() {
        try (ClosableTrustEnvironment env = NodeStandin.builder().start(); VaultSession writer = env.login("k8s-dev")) {
            assertThat(writer.policies()).contains("k8s-dev-writer");
            try (Workload pod = env.startWorkload(WorkloadSpec.seed())) {
                ExecResult login = pod.exec("vault", "write", "-format=json", "auth/jwt/login", "role=k8s-dev",
                        "jwt=@/service-account/token");
                assertThat(login.exitCode()).as("%s", login).isZero();
            }
        }
    }
}
