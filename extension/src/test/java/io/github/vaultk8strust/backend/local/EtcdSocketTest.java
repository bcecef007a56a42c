package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Where kube-apiserver finds etcd: a Unix socket in the environment's directory when its path fits a socket address
 * (LockDownTest, src-it, proves the link against the real servers), else nothing, and the TLS link stays.
 */
class EtcdSocketTest {

    @Test
    void aDirectoryWithAShortPathGetsTheSocket() {
        Path dir = Path.of("/tmp/vault-k8s-trust-1234567890123456789");

        assertThat(LocalBackend.etcdSocketUrl(dir))
                .contains("unix:///tmp/vault-k8s-trust-1234567890123456789/etcd.sock");
    }

    @Test
    void theLongestPathThatFitsGetsTheSocketAndOneByteMoreDoesNot() {
        String fits = "/" + "d".repeat(LocalBackend.UNIX_SOCKET_PATH_MAX - 1 - "/etcd.sock".length());

        assertThat(LocalBackend.etcdSocketUrl(Path.of(fits))).contains("unix://" + fits + "/etcd.sock");
        assertThat(LocalBackend.etcdSocketUrl(Path.of(fits + "d"))).isEmpty();
    }

    @Test
    void thePathIsCountedInBytes() {
        // 'é' is two bytes in UTF-8: as many characters as the longest path that fits are one byte too many.
        String fits = "/" + "d".repeat(LocalBackend.UNIX_SOCKET_PATH_MAX - 1 - "/etcd.sock".length());

        assertThat(LocalBackend.etcdSocketUrl(Path.of(fits.substring(0, fits.length() - 1) + "é"))).isEmpty();
    }
}
