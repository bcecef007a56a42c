package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The k3s backend's Vault placement, decided without Docker: in-cluster stays the default, container is accepted with
 * its own image and the network alias as issuer (what {@code core.TrustSetup} writes as {@code oidc_discovery_url},
 * {@code bound_issuer} and {@code kubernetes_host}), process is refused naming the valid placements.
 */
class K3sPlacementTest {

    private final Map<String, String> settings = new HashMap<>();
    private final BackendConfig config = key -> Optional.ofNullable(settings.get(key));
    private final K3sOptions options = new K3sOptions("rancher/k3s:v1.34.1-k3s1", "hashicorp/vault:1.20", List.of(),
            Path.of("/nonexistent-cache"), true);

    @Test
    void inClusterIsTheDefaultAndShapesNothingNew() {
        K3sPlacement placement = K3sPlacement.from(config);

        assertThat(placement.placement()).isEqualTo(VaultPlacement.IN_CLUSTER);
        assertThat(placement.container()).isFalse();
        assertThat(new K3sBackendProvider().shape(config)).containsEntry("vault-image", "hashicorp/vault:1.20")
                .doesNotContainKey("vault-placement");
        K3sBackend backend = K3sBackend.unstarted(options, placement, VaultMode.INIT);
        assertThat(backend.issuer()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(backend.apiServerUrlForVault()).isEqualTo(backend.issuer());
    }

    @Test
    void containerTakesTheContainerImageAndShapesIt() {
        settings.put("vaultk8s.vault.placement", "container");
        assertThat(K3sPlacement.from(config)).isEqualTo(new K3sPlacement(VaultPlacement.CONTAINER,
                "hashicorp/vault:1.21"));

        settings.put("vaultk8s.vault.container-image", "hashicorp/vault:1.19.5");
        K3sPlacement placement = K3sPlacement.from(config);
        assertThat(placement.vaultImage(options)).isEqualTo("hashicorp/vault:1.19.5");
        assertThat(new K3sBackendProvider().shape(config))
                .containsEntry("vault-placement", "container")
                .containsEntry("vault-image", "hashicorp/vault:1.19.5")
                .containsEntry("vault-version", "1.19.5")
                .containsEntry("k3s-image", "rancher/k3s:v1.34.1-k3s1");
    }

    @Test
    void withVaultInAContainerTheIssuerDiscoveryUrlAndKubernetesHostAreTheNetworkAlias() {
        settings.put("vaultk8s.vault.placement", "container");
        K3sBackend backend = K3sBackend.unstarted(options, K3sPlacement.from(config), VaultMode.DEV);

        // TrustSetup: oidc_discovery_url = bound_issuer = issuer(); kubernetes_host = apiServerUrlForVault().
        assertThat(backend.issuer()).isEqualTo("https://k3s:6443");
        assertThat(backend.apiServerUrlForVault()).isEqualTo("https://k3s:6443");
        assertThat(K3sContainerSpec.NETWORK_ALIAS).isEqualTo("k3s");
    }

    @Test
    void processIsRefusedNamingTheValidPlacements() {
        settings.put("vaultk8s.vault.placement", "process");

        assertThatThrownBy(() -> new K3sBackendProvider().shape(config)).isInstanceOf(BackendConfigException.class)
                .hasMessageContaining("Vault placement process is not available on the k3s backend")
                .hasMessageContaining("Valid placements on the k3s backend: in-cluster (default), container")
                .hasMessageContaining("backend = Backend.LOCAL")
                .hasMessageNotContaining("yet");
        assertThat(new K3sBackendProvider().probe(config).available()).isFalse();
        assertThat(new K3sBackendProvider().probe(config).reason()).contains("Valid placements on the k3s backend");
    }

    @Test
    void badValuesNameKeyAndValue() {
        settings.put("vaultk8s.vault.placement", "sidecar");
        assertThatThrownBy(() -> K3sPlacement.from(config)).isInstanceOf(BackendConfigException.class)
                .hasMessageContaining("vaultk8s.vault.placement (or environment variable VAULTK8S_VAULT_PLACEMENT) = \"sidecar\" is not valid; accepted: in-cluster, process, container");
        settings.put("vaultk8s.vault.placement", "container");
        settings.put("vaultk8s.vault.container-image", "Not An Image");
        assertThatThrownBy(() -> K3sPlacement.from(config)).isInstanceOf(BackendConfigException.class)
                .hasMessageContaining("vaultk8s.vault.container-image").hasMessageContaining("\"Not An Image\"");
    }

    @Test
    void openBaoIsChosenByImageInAContainer() {
        settings.put("vaultk8s.vault.placement", "container");
        settings.put("vaultk8s.vault.flavor", "openbao");
        assertThatThrownBy(() -> new K3sBackendProvider().shape(config)).isInstanceOf(BackendConfigException.class)
                .hasMessageContaining("vaultk8s.vault.container-image");
    }

    @Test
    void workloadPodsGetTheVaultAddressTheyAreGiven() {
        Pod pod = VaultManifests.workloadPod(WorkloadSpec.of("payments", "api"), "api-1", "hashicorp/vault:1.21",
                "http://172.30.0.3:8200/");

        assertThat(pod.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("VAULT_ADDR", "http://172.30.0.3:8200/"),
                        org.assertj.core.groups.Tuple.tuple("BAO_ADDR", "http://172.30.0.3:8200/"));
        assertThat(VaultManifests.workloadPod(WorkloadSpec.of("payments", "api"), "api-1", "img:1").getSpec()
                .getContainers().get(0).getEnv().get(0).getValue()).isEqualTo("http://vault.default.svc:8200/");
    }
}
