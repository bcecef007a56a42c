package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import io.github.vaultk8strust.spi.container.ContainerVault;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The container placement's decisions that need no engine: no Docker fails before anything starts; what shapes it. */
class LocalBackendProviderPlacementTest {

    private final Map<String, String> settings = new HashMap<>();
    private final BackendConfig config = key -> Optional.ofNullable(settings.get(key));
    private final AtomicInteger pings = new AtomicInteger();

    private LocalBackendProvider provider(boolean docker) {
        return new LocalBackendProvider(() -> {
            pings.incrementAndGet();
            return new ContainerDocker.Answer(docker, docker ? "a Docker engine answers"
                    : "no Docker engine answers (Testcontainers: Could not find a valid Docker environment)");
        });
    }

    @Test
    void containerWithoutDockerFailsInShapeNamingTheAlternatives() {
        settings.put("vaultk8s.vault.placement", "container");

        assertThatThrownBy(() -> provider(false).shape(config))
                .isInstanceOf(BackendConfigException.class)
                .hasMessageContaining("vault.placement (or environment variable VAULTK8S_VAULT_PLACEMENT) = \"container\" "
                        + "runs Vault in a Docker container")
                .hasMessageContaining("no Docker engine answers (Testcontainers: Could not find a valid Docker")
                .hasMessageContaining("vaultPlacement = VaultPlacement.PROCESS")
                .hasMessageContaining("vaultk8s.vault.placement=process")
                .hasMessageContaining("backend = Backend.K3S");
    }

    @Test
    void theProcessPlacementNeverAsksDocker() {
        assertThat(provider(false).shape(config)).doesNotContainKey("vault-placement");
        assertThat(pings).hasValue(0);
    }

    @Test
    void theContainerPlacementShapesTheEnvironmentWithItsImageAndIssuerHost() {
        settings.put("vaultk8s.vault.placement", "container");
        settings.put("vaultk8s.vault.container-image", "vault-k8s-trust/vault-standin:1.21.0");

        assertThat(provider(true).shape(config)).containsEntry("vault-placement", "container")
                .containsEntry("vault-image", "vault-k8s-trust/vault-standin:1.21.0")
                .containsEntry("issuer-host", "host.docker.internal")
                .doesNotContainKey("issuer-host-in-cert");
        settings.put("vaultk8s.local.issuer-host-in-cert", "false");
        assertThat(provider(true).shape(config)).containsEntry("issuer-host-in-cert", "false");
    }

    @Test
    void badContainerSettingsNameKeyAndValue() {
        settings.put("vaultk8s.vault.placement", "container");
        settings.put("vaultk8s.vault.container-image", "Not An Image");
        assertThatThrownBy(() -> provider(true).shape(config)).isInstanceOf(BackendConfigException.class)
                .hasMessageContaining("vaultk8s.vault.container-image").hasMessageContaining("\"Not An Image\"");
        settings.remove("vaultk8s.vault.container-image");
        settings.put("vaultk8s.local.issuer-host", "127.0.0.1");
        assertThatThrownBy(() -> provider(true).shape(config)).isInstanceOf(BackendConfigException.class)
                .hasMessageContaining("vaultk8s.local.issuer-host").hasMessageContaining("is not a DNS name");
    }

    @Test
    void inClusterMakesAutoPassOverTheLocalBackend() {
        settings.put("vaultk8s.vault.placement", "in-cluster");
        assertThat(provider(true).probe(config).available()).isFalse();
        assertThat(provider(true).probe(config).reason()).contains("Valid placements on the local backend");
    }

    @Test
    void anOtherImageIsDeclaredASubstituteForTheOfficialOne() {
        assertThat(ContainerVault.imageName("vault-k8s-trust/vault-standin:1.21.0")
                .isCompatibleWith(org.testcontainers.utility.DockerImageName.parse("hashicorp/vault"))).isTrue();
        assertThat(ContainerVault.imageName("hashicorp/vault:1.21").asCanonicalNameString())
                .isEqualTo("hashicorp/vault:1.21");
    }
}
