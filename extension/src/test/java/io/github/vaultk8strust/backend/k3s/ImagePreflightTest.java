package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pre-flight's list of images and its message, without Docker. */
class ImagePreflightTest {

    @Test
    void listsRyukAndTheFileCheckImageUnlessTestcontainersIsToldOtherwise() {
        List<ImagePreflight.Needed> all = ImagePreflight.neededImages("rancher/k3s:v1.34.1-k3s1",
                "hashicorp/vault:1.20", List.of("rancher/mirrored-pause:3.6"), false, false);
        assertThat(all).extracting(ImagePreflight.Needed::image).containsExactly("testcontainers/ryuk:0.14.0",
                "alpine:3.17", "rancher/k3s:v1.34.1-k3s1", "hashicorp/vault:1.20", "rancher/mirrored-pause:3.6");

        assertThat(ImagePreflight.neededImages("rancher/k3s:v1.34.1-k3s1", "hashicorp/vault:1.20", List.of(),
                true, true)).extracting(ImagePreflight.Needed::image)
                .containsExactly("rancher/k3s:v1.34.1-k3s1", "hashicorp/vault:1.20");
    }

    @Test
    void theMessageListsEveryImageTheDaemonsReasonAndACommandPerMissingImage() {
        List<ImagePreflight.Status> statuses = List.of(
                new ImagePreflight.Status(new ImagePreflight.Needed("rancher/k3s:v1.34.1-k3s1", "the k3s node"),
                        "rancher/k3s:v1.34.1-k3s1", true),
                new ImagePreflight.Status(new ImagePreflight.Needed("hashicorp/vault:1.20", "Vault"),
                        "mirror.example.com/hashicorp/vault:1.20", false),
                new ImagePreflight.Status(new ImagePreflight.Needed("testcontainers/ryuk:0.14.0", "Ryuk"),
                        "testcontainers/ryuk:0.14.0", false));
        String daemon = "Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host";

        String message = ImagePreflight.missingMessage(statuses, Map.of("testcontainers/ryuk:0.14.0", daemon,
                "mirror.example.com/hashicorp/vault:1.20", "connection refused"));

        assertThat(message).startsWith("k3s backend: 2 of 3 images this run needs are not in the local Docker engine")
                .contains("docker.io: " + daemon).contains("mirror.example.com: connection refused")
                .contains("+ rancher/k3s:v1.34.1-k3s1")
                .contains("- mirror.example.com/hashicorp/vault:1.20 (for hashicorp/vault:1.20)")
                .contains("docker pull mirror.example.com/hashicorp/vault:1.20\n")
                .contains("docker pull testcontainers/ryuk:0.14.0\n")
                .contains("docker load -i testcontainers_ryuk_0.14.0.tar")
                .contains("docker load -i mirror.example.com_hashicorp_vault_1.20.tar")
                .contains("OfflineBundle save <dir>")
                .contains("TESTCONTAINERS_RYUK_DISABLED=true").contains("checks.disable=true")
                .doesNotContain("docker pull rancher/k3s");
    }

    @Test
    void onlyAnIllegalStateExceptionMeansNoDockerAndTheRealCauseIsKept() {
        DockerProbe.Answer none = DockerProbe.classify(() -> {
            throw new IllegalStateException("Could not find a valid Docker environment");
        });
        assertThat(none.available()).isFalse();
        assertThat(none.reason()).startsWith("no Docker engine answers").contains("Could not find a valid Docker");

        String ryuk = DockerProbe.clientFailureMessage(new RuntimeException("Container startup failed for image "
                + "testcontainers/ryuk:0.14.0", new RuntimeException("Error response from daemon: No such image")));
        assertThat(ryuk).startsWith("A Docker engine answers, but Testcontainers could not set it up")
                .contains("testcontainers/ryuk:0.14.0").contains("No such image")
                .contains("TESTCONTAINERS_RYUK_DISABLED=true").contains("docker load");
    }

    @Test
    void theNoDockerMessageSaysItOnce() {
        String message = K3sBackend.noDockerMessage();
        assertThat(message.split("Docker engine", -1)).hasSize(2);
        assertThat(message).contains("VAULTK8S_BACKEND=local").contains("-Dvaultk8s.backend=local");
    }
}
