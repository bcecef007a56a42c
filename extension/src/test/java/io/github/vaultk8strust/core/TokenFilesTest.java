package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.ProjectedTokenFile;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TokenFileSpec;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The environment's token files: where they are written, what a pod-bound one does in the cluster (against a fake
 * Kubernetes API), and that closing the set closes every file.
 */
class TokenFilesTest {

    private final FakeServers cluster = new FakeServers().serviceAccount("apps", "reader");
    private final KubernetesClient kube = cluster.kubernetesClient();
    private final List<String> minted = new ArrayList<>();
    private final TokenFiles files = new TokenFiles(kube, (ns, sa, audience, seconds) -> {
        minted.add(ns + "/" + sa + " " + audience + " " + seconds);
        return ServiceAccountJwt.parse(FakeServers.jwt(ns, sa, List.of(audience), seconds));
    });

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        files.close();
        kube.close();
        cluster.close();
    }

    @Test
    void aFileAtTheGivenPathHoldsAFreshToken() throws IOException {
        Path file = dir.resolve("token");
        ProjectedTokenFile token = files.project(TokenFileSpec.forServiceAccount("apps", "reader").withPath(file)
                .withAudience("vault").withExpirationSeconds(1200));

        assertThat(token.path()).isEqualTo(file.toAbsolutePath());
        assertThat(Files.readString(file)).isEqualTo(token.current().raw());
        assertThat(token.current().subject()).isEqualTo("system:serviceaccount:apps:reader");
        assertThat(minted).containsExactly("apps/reader vault 1200");
        assertThat(cluster.requests()).as("a plain token needs no pod").isEmpty();
    }

    @Test
    void withoutAPathTheFileGoesToItsOwnTemporaryDirectoryWhichCloseDeletes() {
        ProjectedTokenFile token = files.project(TokenFileSpec.forServiceAccount("apps", "reader"));
        Path parent = token.path().getParent();
        assertThat(parent.getFileName().toString()).startsWith("vault-k8s-trust-token-");
        assertThat(token.path()).exists();

        token.close();

        assertThat(token.path()).doesNotExist();
        assertThat(parent).doesNotExist();
    }

    @Test
    void aDirectoryIsRefusedNamingAFileToUseInstead() {
        assertThatThrownBy(() -> files.project(TokenFileSpec.forServiceAccount("apps", "reader").withPath(dir)))
                .isInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("it is a directory; name a file, e.g. " + dir.toAbsolutePath().resolve("token"));
        assertThat(minted).isEmpty();
    }

    @Test
    void closingTheSetClosesEveryOpenFileAndRefusesNewOnes() {
        ProjectedTokenFile first = files.project(TokenFileSpec.forServiceAccount("apps", "reader")
                .withPath(dir.resolve("a")));
        ProjectedTokenFile second = files.project(TokenFileSpec.forServiceAccount("apps", "reader")
                .withPath(dir.resolve("b")));

        files.close();

        assertThat(first.path()).doesNotExist();
        assertThat(second.path()).doesNotExist();
        assertThatThrownBy(() -> files.project(TokenFileSpec.forServiceAccount("apps", "reader")))
                .isInstanceOf(IllegalStateException.class).hasMessage("The environment is closed");
    }

    @Test
    void aPodBoundTokenCreatesANeverScheduledPodBindsToItAndDeletesItOnClose() {
        ProjectedTokenFile token = files.project(TokenFileSpec.forServiceAccount("apps", "reader")
                .withPath(dir.resolve("bound")).withBoundPod("owner"));

        assertThat(cluster.hasPod("apps", "owner")).isTrue();
        FakeServers.Request create = cluster.requests("/api/v1/namespaces/apps/pods").stream()
                .filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertThat(create.body().path("spec").path("nodeName").asText()).isEqualTo(TokenFiles.NOWHERE_NODE);
        assertThat(create.body().path("spec").path("serviceAccountName").asText()).isEqualTo("reader");
        FakeServers.Request tokenRequest = cluster.requests("/api/v1/namespaces/apps/serviceaccounts/reader/token")
                .get(0);
        assertThat(tokenRequest.body().path("spec").path("boundObjectRef").path("kind").asText()).isEqualTo("Pod");
        assertThat(tokenRequest.body().path("spec").path("boundObjectRef").path("name").asText()).isEqualTo("owner");
        assertThat(tokenRequest.body().path("spec").path("boundObjectRef").path("uid").asText()).isEqualTo("uid-0");
        assertThat(minted).as("pod-bound tokens are minted here, not by the plain minter").isEmpty();

        token.close();

        assertThat(cluster.hasPod("apps", "owner")).isFalse();
    }

    @Test
    void aPodThatAlreadyExistsIsUsedAndLeftAlone() {
        files.project(TokenFileSpec.forServiceAccount("apps", "reader").withPath(dir.resolve("one"))
                .withBoundPod("shared")).close();
        // The first file created and deleted its pod; create it as someone else would, then bind to it.
        ProjectedTokenFile creator = files.project(TokenFileSpec.forServiceAccount("apps", "reader")
                .withPath(dir.resolve("two")).withBoundPod("shared"));
        ProjectedTokenFile user = files.project(TokenFileSpec.forServiceAccount("apps", "reader")
                .withPath(dir.resolve("three")).withBoundPod("shared"));

        user.close();
        assertThat(cluster.hasPod("apps", "shared")).as("not created by this file, so not deleted by it").isTrue();
        creator.close();
        assertThat(cluster.hasPod("apps", "shared")).isFalse();
    }
}
