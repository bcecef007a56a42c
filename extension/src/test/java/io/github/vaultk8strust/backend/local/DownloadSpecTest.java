package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DownloadSpecTest {

    private static final String HASH_A = "a".repeat(64);
    private static final String HASH_B = "B".repeat(64);

    @Test
    void etcdComesAsTarGzOnLinuxAndZipOnDarwin() {
        assertThat(DownloadSpec.official(ServerBinary.ETCD, "linux", "amd64")).contains(new DownloadSpec(
                URI.create("https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz"),
                URI.create("https://github.com/etcd-io/etcd/releases/download/v3.6.14/SHA256SUMS"),
                "etcd-v3.6.14-linux-amd64.tar.gz",
                "etcd-v3.6.14-linux-amd64/etcd"));
        assertThat(DownloadSpec.official(ServerBinary.ETCD, "darwin", "arm64")).hasValueSatisfying(spec -> {
            assertThat(spec.archive()).hasToString(
                    "https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-darwin-arm64.zip");
            assertThat(spec.checksumEntry()).isEqualTo("etcd-v3.6.14-darwin-arm64.zip");
            assertThat(spec.entryInArchive()).isEqualTo("etcd-v3.6.14-darwin-arm64/etcd");
        });
    }

    @Test
    void kubeApiserverIsARawLinuxBinaryWithASingleHashFile() {
        assertThat(DownloadSpec.official(ServerBinary.KUBE_APISERVER, "linux", "arm64")).contains(new DownloadSpec(
                URI.create("https://dl.k8s.io/release/v1.34.10/bin/linux/arm64/kube-apiserver"),
                URI.create("https://dl.k8s.io/release/v1.34.10/bin/linux/arm64/kube-apiserver.sha256"),
                null,
                null));
        assertThat(DownloadSpec.official(ServerBinary.KUBE_APISERVER, "darwin", "arm64")).isEmpty();
    }

    @Test
    void vaultComesFromHashiCorpReleasesWithoutTheLeadingV() {
        assertThat(DownloadSpec.official(ServerBinary.VAULT, "darwin", "amd64")).contains(new DownloadSpec(
                URI.create("https://releases.hashicorp.com/vault/1.21.0/vault_1.21.0_darwin_amd64.zip"),
                URI.create("https://releases.hashicorp.com/vault/1.21.0/vault_1.21.0_SHA256SUMS"),
                "vault_1.21.0_darwin_amd64.zip",
                "vault"));
    }

    @Test
    void otherPlatformsHaveNoDownload() {
        for (ServerBinary binary : ServerBinary.values()) {
            assertThat(DownloadSpec.official(binary, "windows", "amd64")).isEmpty();
            assertThat(DownloadSpec.official(binary, "linux", "386")).isEmpty();
        }
    }

    @Test
    void findsTheHashOfTheNamedFileInASumsFile() throws IOException {
        DownloadSpec spec = new DownloadSpec(URI.create("http://h/x.zip"), URI.create("http://h/SUMS"), "x.zip", "x");
        String sums = HASH_A + "  other.zip\n" + HASH_B + " *x.zip\n";

        assertThat(ServerBinaries.expectedSha256(sums, spec)).isEqualTo(HASH_B.toLowerCase());
    }

    @Test
    void readsAFileThatIsJustTheHash() throws IOException {
        DownloadSpec spec = new DownloadSpec(URI.create("http://h/x"), URI.create("http://h/x.sha256"), null, null);

        assertThat(ServerBinaries.expectedSha256(HASH_A + "\n", spec)).isEqualTo(HASH_A);
    }

    @Test
    void refusesAChecksumFileWithoutTheEntry() {
        DownloadSpec spec = new DownloadSpec(URI.create("http://h/x.zip"), URI.create("http://h/SUMS"), "x.zip", "x");

        assertThatThrownBy(() -> ServerBinaries.expectedSha256(HASH_A + "  y.zip\n", spec))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("http://h/SUMS lists no SHA-256 for x.zip");
        assertThatThrownBy(() -> ServerBinaries.expectedSha256("<html>not found</html>",
                new DownloadSpec(URI.create("http://h/x"), URI.create("http://h/x.sha256"), null, null)))
                .hasMessageContaining("does not hold a SHA-256 hash");
    }
}
