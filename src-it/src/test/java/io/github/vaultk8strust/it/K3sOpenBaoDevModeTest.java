package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.backend.k3s.K3sBackend;
import io.github.vaultk8strust.junit.InClusterWorkload;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** OpenBao in dev mode on k3s: the same trust, the {@code bao} client in the workload pod. Needs Docker. */
@EnabledIf(value = "dockerAvailable", disabledReason = "needs a Docker engine (Testcontainers found none): the k3s "
        + "backend runs k3s in a container")
@VaultK8sTrust(backend = Backend.K3S, vaultMode = VaultMode.DEV, vaultImage = "openbao/openbao:2.5.5")
class K3sOpenBaoDevModeTest {

    static boolean dockerAvailable() {
        return K3sBackend.dockerAvailable();
    }

    @Test
    void jvmLogin(@VaultLogin(role = "k8s-dev") VaultSession writer) {
        assertThat(writer.policies()).contains("k8s-dev-writer");
    }

    @Test
    void workloadLogsInWithBao(@InClusterWorkload Workload pod) {
        ExecResult login = pod.exec("bao", "write", "auth/jwt/login", "role=k8s-dev", "jwt=@/service-account/token");

        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.stdout()).contains("k8s-dev-writer");
    }
}
