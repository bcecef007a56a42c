package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The k3s backend with Vault in a Testcontainers {@code VaultContainer} beside the node ({@code backend = K3S,
 * vaultPlacement = CONTAINER}), end to end: both containers on one Docker network, the node's issuer its network alias
 * ({@code https://k3s:6443}), the seed's jwt login from this JVM and from a workload pod (which reaches Vault at its IP
 * on that network), and a path outside the policy denied. Subclasses say which node and Vault image:
 * {@link K3sVaultContainerTest} (real k3s and hashicorp/vault) and {@link NodeStandinVaultContainerTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class K3sVaultContainerScenario {

    private ClosableTrustEnvironment environment;

    /** Return a builder for the k3s backend on this class's node, with its Vault image. */
    abstract TrustEnvironmentBuilder node();

    ClosableTrustEnvironment start(VaultMode mode) {
        return node().vaultPlacement(VaultPlacement.CONTAINER).vaultMode(mode).start();
    }

    @BeforeAll
    void startEnvironment() {
        environment = start(VaultMode.INIT);
    }

    @AfterAll
    void closeEnvironment() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void theIssuerIsTheNetworkAliasOfK3s() {
        assertThat(environment.backend()).isEqualTo(Backend.K3S);
        assertThat(environment.issuer()).isEqualTo("https://k3s:6443");
        assertThat(environment.discoveryDocument()).containsEntry("issuer", "https://k3s:6443")
                .containsEntry("jwks_uri", "https://k3s:6443/openid/v1/jwks");
        assertThat(environment.mintToken("default", "vault-writer", "vault-dev").issuer())
                .isEqualTo("https://k3s:6443");
    }

    @Test
    void vaultRunsBesideTheClusterNotInIt() {
        assertThat(environment.vaultAddress()).startsWith("http://");
        try (KubernetesClient kube = environment.newKubernetesClient()) {
            assertThat(kube.pods().inNamespace("default").withName("vault-0").get()).isNull();
            assertThat(kube.services().inNamespace("default").withName("vault").get()).isNull();
        }
    }

    @Test
    void jvmLoginOfTheSeedRoleAndAnOutOfScopePathDenied() {
        try (VaultSession writer = environment.login("k8s-dev")) {
            assertThat(writer.policies()).contains("k8s-dev-writer");
            assertThat(writer.capabilities("kvv2/data/k8s-dev/foo")).contains("create");
            assertThat(writer.capabilities("kvv2/data/some-secret")).containsExactly("deny");
        }
    }

    @Test
    void aWorkloadPodLogsInAtVaultsAddressOnTheDockerNetwork() throws VaultException {
        try (Workload pod = environment.startWorkload(WorkloadSpec.seed())) {
            ExecResult address = pod.exec("sh", "-c", "echo \"$VAULT_ADDR\"");
            assertThat(address.stdout().strip()).as("%s", address).matches("http://\\d+\\.\\d+\\.\\d+\\.\\d+:8200/");

            PodWalkthrough.logInWriteReadAndBeDeniedOutOfScope(pod, environment, "from-pod");
        }
    }

    @Test
    void clusterDnsAnswersInPodsThoughTheNodeSitsOnAUserDefinedDockerNetwork() {
        // The node's own resolver there is Docker's embedded DNS (127.0.0.11), which CoreDNS must not forward to.
        try (Workload pod = environment.startWorkload(WorkloadSpec.seed())) {
            ExecResult lookup = pod.exec("nslookup", "kubernetes.default.svc.cluster.local");
            assertThat(lookup.exitCode()).as("%s", lookup).isZero();
            assertThat(lookup.stdout()).contains("10.43.0.1");
        }
    }

    @Test
    void devModeGivesTheSameTrust() {
        try (ClosableTrustEnvironment dev = start(VaultMode.DEV); VaultSession writer = dev.login("k8s-dev")) {
            assertThat(dev.issuer()).isEqualTo("https://k3s:6443");
            assertThat(writer.policies()).contains("k8s-dev-writer");
            assertThat(writer.capabilities("kvv2/data/some-secret")).containsExactly("deny");
        }
    }
}
