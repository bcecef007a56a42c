package io.github.vaultk8strust.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.backend.local.LocalPlacement;
import io.github.vaultk8strust.core.TrustSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@code vaultPlacement} / {@code vaultk8s.vault.placement}: defaults stay as they were, and a placement a backend
 * cannot give fails before anything starts, naming the valid ones. (CONTAINER without Docker: see
 * {@code LocalBackendProviderPlacementTest}, which decides it without an engine.)
 */
class VaultPlacementSettingsTest {

    private final Map<String, String> config = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private TrustSettings resolve(Class<?> fixture) {
        return VaultK8sTrustExtension.resolve(fixture.getAnnotation(VaultK8sTrust.class), false,
                key -> Optional.ofNullable(config.get(key)), env::get, getClass().getClassLoader());
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class LocalDefault {
    }

    @VaultK8sTrust(backend = Backend.LOCAL, vaultPlacement = VaultPlacement.IN_CLUSTER)
    static class LocalInCluster {
    }

    @VaultK8sTrust(backend = Backend.K3S, vaultPlacement = VaultPlacement.PROCESS)
    static class K3sProcess {
    }

    @VaultK8sTrust(backend = Backend.K3S, vaultPlacement = VaultPlacement.CONTAINER)
    static class K3sContainer {
    }

    @Test
    void keysAndValuesAreTheDocumentedOnes() {
        assertThat(VaultK8sTrust.VAULT_PLACEMENT_KEY).isEqualTo("vaultk8s.vault.placement");
        assertThat(VaultK8sTrust.VAULT_CONTAINER_IMAGE_KEY).isEqualTo("vaultk8s.vault.container-image");
        assertThat(ConfigKeys.environmentVariable(ConfigKeys.VAULT_PLACEMENT_KEY)).isEqualTo("VAULTK8S_VAULT_PLACEMENT");
        assertThat(VaultPlacement.IN_CLUSTER.settingValue()).isEqualTo("in-cluster");
        assertThat(VaultPlacement.fromSetting("IN_CLUSTER")).contains(VaultPlacement.IN_CLUSTER);
        assertThat(VaultPlacement.fromSetting(" Container ")).contains(VaultPlacement.CONTAINER);
        assertThat(VaultPlacement.fromSetting("default")).isEmpty();
    }

    @Test
    void theLocalDefaultIsAProcessAndShapesNothingNew() {
        TrustSettings settings = resolve(LocalDefault.class);

        assertThat(LocalPlacement.from(settings.config()).placement()).isEqualTo(VaultPlacement.PROCESS);
        assertThat(settings.backendShape()).doesNotContainKeys("vault-placement", "vault-image");
    }

    @Test
    void theSettingIsReadFromConfigurationAndEnvironmentToo() {
        env.put("VAULTK8S_VAULT_PLACEMENT", "process");
        assertThat(LocalPlacement.from(resolve(LocalDefault.class).config()).placement())
                .isEqualTo(VaultPlacement.PROCESS);
        config.put("vaultk8s.vault.placement", "in-cluster");
        assertThatThrownBy(() -> resolve(LocalDefault.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("vault.placement = \"in-cluster\" needs a cluster that runs pods");
    }

    @Test
    void inClusterOnTheLocalBackendNamesTheValidPlacements() {
        assertThatThrownBy(() -> resolve(LocalInCluster.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@VaultK8sTrust(vaultPlacement = VaultPlacement.IN_CLUSTER) needs a cluster that runs pods")
                .hasMessageContaining("the local backend runs none")
                .hasMessageContaining("Valid placements on the local backend: process (default), container")
                .hasMessageContaining("backend = Backend.K3S");
    }

    @Test
    void anUnknownPlacementListsTheAcceptedValues() {
        config.put("vaultk8s.vault.placement", "sidecar");
        assertThatThrownBy(() -> resolve(LocalDefault.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("vaultk8s.vault.placement")
                .hasMessageContaining("Configuration parameter vaultk8s.vault.placement = \"sidecar\" is not valid; accepted: in-cluster, process, container");
    }

    @Test
    void k3sTakesContainerAndRefusesProcessNamingTheValidPlacements() {
        assertThatThrownBy(() -> resolve(K3sProcess.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Vault placement process is not available on the k3s backend")
                .hasMessageContaining("Valid placements on the k3s backend: in-cluster (default), container");
        assertThat(resolve(K3sContainer.class).backendShape()).containsEntry("vault-placement", "container")
                .containsEntry("vault-image", ConfigKeys.DEFAULT_VAULT_CONTAINER_IMAGE);
    }

    @Test
    void theBuilderSetsTheSameKey() {
        assertThat(TrustEnvironment.builder().vaultPlacement(VaultPlacement.CONTAINER).request().settings())
                .containsEntry("vaultk8s.vault.placement", "container");
        assertThat(TrustEnvironment.builder().vaultPlacement(VaultPlacement.CONTAINER)
                .vaultPlacement(VaultPlacement.DEFAULT).request().settings())
                .doesNotContainKey("vaultk8s.vault.placement");
    }
}
