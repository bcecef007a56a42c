package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.junit.InClusterWorkload;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The walkthrough end to end on REAL k3s ({@code rancher/k3s}) with Vault inside it, through the annotation and its
 * injections. Needs a Docker engine that can pull (or has cached) the images; reported skipped with the reason
 * elsewhere. On machines without a registry the same walkthrough runs on the node stand-in
 * ({@link NodeStandinSeedScenarioTest}).
 */
@EnabledIf(value = "k3sCanRun", disabledReason = "needs a Docker engine that has the k3s images or reaches a "
        + "registry (this machine: none, or an engine without registry access and without the images; "
        + ".github/workflows/k3s.yml runs these tests for real, .ci/run runs the walkthrough on the node stand-in)")
@VaultK8sTrust(backend = Backend.K3S)
class K3sSeedScenarioTest extends K3sWalkthrough {

    static boolean k3sCanRun() {
        return ItSupport.k3sCanRun();
    }

    private final TrustEnvironment environment;

    K3sSeedScenarioTest(TrustEnvironment environment) {
        this.environment = environment;
    }

    @Override
    TrustEnvironment environment() {
        return environment;
    }

    @Override
    VaultMode vaultMode() {
        return VaultMode.INIT;
    }

    @Test
    void anInjectedWorkloadPodLogsIn(@InClusterWorkload Workload pod, @VaultRoot Vault root) throws VaultException {
        ExecResult login = pod.exec("vault", "write", "-format=json", "auth/jwt/login", "role=k8s-dev",
                "jwt=@/service-account/token");
        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.stdout()).contains("\"k8s-dev-writer\"");
        assertThat(root.logical().read("sys/health").getRestResponse().getStatus()).isEqualTo(200);
    }
}
