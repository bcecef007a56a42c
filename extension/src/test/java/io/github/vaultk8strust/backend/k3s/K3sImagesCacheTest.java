package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K3sImagesCacheTest {

    @TempDir
    Path dir;

    @Test
    void aNewTarballOfAnImageReplacesTheOlderOnesOfTheSameNameOnly() throws Exception {
        Path kept = tarball("vault-k8s-trust_coredns-standin_1.12.3-12ffd251342555d5.tar", Duration.ZERO);
        Path superseded = tarball("vault-k8s-trust_coredns-standin_1.12.3-ec93083565a4fcc8.tar", Duration.ofHours(2));
        Path fresh = tarball("vault-k8s-trust_coredns-standin_1.12.3-f15fdedd86a80dea.tar", Duration.ofMinutes(1));
        Path otherImage = tarball("vault-k8s-trust_busybox-standin_1-3364240796a790d2.tar", Duration.ofHours(2));
        Path otherTag = tarball("vault-k8s-trust_coredns-standin_1.12.3-x-3364240796a790d2.tar", Duration.ofHours(2));
        Path partial = tarball(".saving-123.tar", Duration.ofHours(2));

        assertThat(K3sImages.pruneSuperseded(kept, Duration.ofMinutes(10))).containsExactly(superseded);

        assertThat(superseded).doesNotExist();
        // kept; too recent (another JVM may be copying it); another image; another tag; not a tarball of the cache
        assertThat(kept).exists();
        assertThat(fresh).exists();
        assertThat(otherImage).exists();
        assertThat(otherTag).exists();
        assertThat(partial).exists();
    }

    private Path tarball(String name, Duration age) throws Exception {
        Path file = Files.writeString(dir.resolve(name), "tar");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }
}
