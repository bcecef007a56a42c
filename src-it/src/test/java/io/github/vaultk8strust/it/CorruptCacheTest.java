package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.ManagedProcess;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.support.Deadline;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A truncated cached binary is found on the next cache hit (its SHA-256 no longer matches the record written when
 * it was installed), set aside, and obtained again under the cache lock; and a server that dies at once from a
 * damaged binary says which file to delete. The "build" is a stub {@code go} that copies the real etcd, so the
 * test needs no compiler and no network.
 */
class CorruptCacheTest {

    private static Path realEtcd;

    @TempDir
    Path cache;

    @TempDir
    Path work;

    @BeforeAll
    static void findRealEtcd() {
        realEtcd = ServerBinaries.resolve(ServerBinary.ETCD, BinarySources.fromEnvironment(Map.of(),
                BinarySources.defaultCacheDir(), true, true), line -> System.err.println("[CorruptCacheTest] " + line));
    }

    private BinarySources stubbedBuild() throws IOException {
        Path go = work.resolve("go");
        Files.writeString(go, """
                #!/bin/sh
                # A stand-in for `go build ... -o <out> .`: copies the real etcd to <out>.
                out=
                while [ $# -gt 0 ]; do
                  if [ "$1" = -o ]; then out=$2; fi
                  shift
                done
                echo "stub go: copying etcd to $out"
                cp '%s' "$out"
                """.formatted(realEtcd), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(go, PosixFilePermissions.fromString("rwx------"));
        return new BinarySources(Map.of(), Optional.empty(), List.of(), cache, false, Map.of(), true, Optional.of(go));
    }

    @Test
    void aTruncatedCachedBinaryIsDetectedSetAsideAndObtainedAgain() throws Exception {
        BinarySources sources = stubbedBuild();
        List<String> progress = new CopyOnWriteArrayList<>();
        Path target = ServerBinaries.resolve(ServerBinary.ETCD, sources, progress::add);
        assertThat(target).isEqualTo(ServerBinaries.cachedBinary(ServerBinary.ETCD, cache));
        Path record = target.resolveSibling("etcd.sha256");
        assertThat(Files.readString(record)).startsWith(sha256(realEtcd));

        truncate(target);
        progress.clear();
        Path again = ServerBinaries.resolve(ServerBinary.ETCD, sources, progress::add);

        assertThat(again).isEqualTo(target);
        assertThat(sha256(target)).as("the replacement").isEqualTo(sha256(realEtcd));
        String detected = progress.stream().filter(l -> l.contains("SHA-256")).findFirst().orElseThrow(
                () -> new AssertionError("no line about the mismatch in " + progress));
        assertThat(detected).contains("the cached etcd " + target + " does not match its SHA-256 record " + record)
                .contains("truncated or damaged").contains("set it aside as " + target + ".corrupt-");
        List<Path> aside;
        try (Stream<Path> files = Files.list(target.getParent())) {
            aside = files.filter(p -> p.getFileName().toString().startsWith("etcd.corrupt-")).toList();
        }
        assertThat(aside).hasSize(1);
        assertThat(Files.size(aside.get(0))).isLessThan(Files.size(realEtcd));
        assertThat(progress).anyMatch(l -> l.startsWith("built etcd"));
        Process version = new ProcessBuilder(target.toString(), "--version").redirectErrorStream(true).start();
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("etcd Version");
    }

    @Test
    void aServerThatDiesAtOnceFromADamagedBinaryNamesTheFileToDelete() throws Exception {
        Path damaged = work.resolve("etcd");
        Files.copy(realEtcd, damaged);
        truncate(damaged);
        Files.setPosixFilePermissions(damaged, PosixFilePermissions.fromString("rwx------"));

        ManagedProcess process = ManagedProcess.start("etcd", List.of(damaged.toString(), "--version"), Map.of(), work,
                work.resolve("etcd.log"), work.resolve("etcd.pid"));
        try {
            assertThatThrownBy(() -> process.awaitReady(Deadline.in(Duration.ofSeconds(30)), "answering", () -> "no"))
                    .isInstanceOf(VaultK8sTrustException.class)
                    .hasMessageStartingWith("etcd ")
                    .hasMessageContaining("during start-up (pid " + process.pid() + ", binary " + damaged + ")")
                    .hasMessageContaining("the binary may be corrupt: delete " + damaged);
        } finally {
            process.close();
        }
    }

    private static void truncate(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
    }
}
