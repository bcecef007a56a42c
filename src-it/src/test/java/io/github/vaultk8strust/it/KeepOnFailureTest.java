package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.classFailure;
import static io.github.vaultk8strust.it.ItSupport.environmentDirs;
import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.backend.local.EnvironmentDirectory;
import io.github.vaultk8strust.backend.local.ManagedProcess;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code vaultk8s.keep-on-failure=true} a failed environment's directory stays for inspection: the server
 * logs are there, the private keys are not, the sweep leaves it alone, and the console says where it is.
 */
class KeepOnFailureTest {

    @TempDir
    Path scripts;

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class Fixture {
        @Test
        void neverRuns() {
        }
    }

    @Test
    void aFailedStartKeepsItsDirectoryWithLogsAndWithoutKeys() throws Exception {
        Path apiServer = scripts.resolve("kube-apiserver");
        Files.writeString(apiServer, "#!/bin/sh\necho 'simulated crash: unknown flag --foo'\nexit 3\n");
        Files.setPosixFilePermissions(apiServer, PosixFilePermissions.fromString("rwx------"));
        Set<Path> before = environmentDirs();

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Throwable failure;
        try {
            failure = classFailure(jupiter()
                    .configurationParameter(VaultK8sTrust.LOCAL_KUBE_APISERVER_KEY, apiServer.toString())
                    .configurationParameter(VaultK8sTrust.KEEP_ON_FAILURE_KEY, "true")
                    .selectors(selectClass(Fixture.class)).execute(), Fixture.class);
        } finally {
            System.setErr(original);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
        assertThat(failure).hasMessageContaining("kube-apiserver exited with code 3 during start-up");

        Set<Path> kept = new HashSet<>(environmentDirs());
        kept.removeAll(before);
        assertThat(kept).hasSize(1);
        Path dir = kept.iterator().next();
        try {
            List<String> names;
            try (Stream<Path> files = Files.list(dir)) {
                names = files.map(p -> p.getFileName().toString()).toList();
            }
            assertThat(names).contains("kube-apiserver.log", "etcd.log", EnvironmentDirectory.KEPT_FILE, "ca.crt")
                    .noneMatch(n -> n.endsWith(".key")).doesNotContain("admin-token.csv");
            assertThat(Files.readString(dir.resolve("kube-apiserver.log"))).contains("simulated crash");
            assertThat(captured.toString(StandardCharsets.UTF_8))
                    .contains("kept the failed environment's directory for inspection (vaultk8s.keep-on-failure=true): "
                            + dir);
            // A sweep leaves it alone, even though its owner (this JVM) will be gone one day.
            assertThat(EnvironmentDirectory.sweepStale(dir.getParent(), line -> { }).removed()).doesNotContain(dir);
            assertThat(dir).isDirectory();
        } finally {
            ManagedProcess.deleteTree(dir);
        }
    }
}
