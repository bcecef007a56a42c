package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.junit.InClusterWorkload;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** OpenBao in dev mode on k3s: the same trust, the {@code bao} client in the workload pod. Needs Docker. */
@EnabledIf(value = "k3sCanRun", disabledReason = "needs a Docker engine that has the k3s images or reaches a "
        + "registry (this machine: none, or an engine without registry access and without the images; "
        + ".github/workflows/k3s.yml runs these tests for real)")
@VaultK8sTrust(backend = Backend.K3S, vaultMode = VaultMode.DEV, vaultImage = "openbao/openbao:2.5.5")
class K3sOpenBaoDevModeTest {

    static boolean k3sCanRun() {
        return ItSupport.k3sCanRun();
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
