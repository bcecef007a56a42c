package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.spi.BackendConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A placement that cannot work fails before anything starts, naming what can: in-cluster on the local backend, and
 * container where no Docker engine answers (a child JVM with DOCKER_HOST at a socket that does not exist). Needs
 * no Docker.
 */
class VaultPlacementMisuseTest {

    @Test
    void inClusterOnTheLocalBackendNamesTheValidPlacements() {
        Set<Path> dirsBefore = ItSupport.environmentDirs();

        assertThatThrownBy(() -> TrustEnvironment.builder().backend(Backend.LOCAL)
                .vaultPlacement(VaultPlacement.IN_CLUSTER).start())
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageStartingWith("TrustEnvironment.builder().vaultPlacement(VaultPlacement.IN_CLUSTER) needs a "
                        + "cluster that runs pods")
                .hasMessageContaining("Valid placements on the local backend: process (default), container")
                .hasMessageContaining("backend = Backend.K3S");
        assertThat(ItSupport.environmentDirs()).isEqualTo(dirsBefore);
    }

    @Test
    @Timeout(120)
    void containerWithoutDockerNamesTheAlternatives() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + ItSupport.tmpDir(), "-cp", System.getProperty("java.class.path"),
                NoDockerMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", "unix:///nonexistent/vault-k8s-trust/docker.sock");
        builder.environment().remove("TESTCONTAINERS_HOST_OVERRIDE");
        builder.environment().remove("TESTCONTAINERS_DOCKER_CLIENT_STRATEGY");
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(100, TimeUnit.SECONDS)).isTrue();

        // The backend's own configuration exception, a VaultK8sTrustConfigurationException.
        assertThat(output).as(output).contains("TYPE: " + BackendConfigException.class.getName())
                .doesNotContain("STARTED");
        String message = output.lines().filter(l -> l.startsWith("MESSAGE: ")).findFirst().orElseThrow();
        assertThat(message).startsWith("MESSAGE: TrustEnvironment.builder().vaultPlacement(VaultPlacement.CONTAINER) "
                        + "runs Vault in a Docker container")
                .contains("no Docker engine answers")
                .contains("vaultPlacement = VaultPlacement.PROCESS")
                .contains("vaultk8s.vault.placement=process")
                .contains("backend = Backend.K3S");
    }
}
