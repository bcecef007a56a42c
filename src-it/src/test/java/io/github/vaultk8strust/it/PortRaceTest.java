package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that loses a race for its port (another process bound it between reservation and start) is detected by
 * its "address already in use" and the start is tried again on fresh ports. The loser here is a kube-apiserver
 * stand-in that fails like that once, then runs the real kube-apiserver.
 */
class PortRaceTest {

    @TempDir
    Path scripts;

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class Fixture {
        @Test
        void starts(TrustEnvironment environment) {
            assertThat(environment.apiServerUrl()).startsWith("https://127.0.0.1:");
        }
    }

    @Test
    void aLostPortRaceIsRetriedOnFreshPorts() throws Exception {
        Path real = ServerBinaries.resolve(ServerBinary.KUBE_APISERVER, BinarySources.fromEnvironment(Map.of(),
                BinarySources.defaultCacheDir(), true, true), line -> { });
        Path counter = scripts.resolve("attempts");
        Path apiServer = scripts.resolve("kube-apiserver");
        Files.writeString(apiServer, """
                #!/bin/sh
                echo x >> '%1$s'
                if [ "$(wc -l < '%1$s')" -eq 1 ]; then
                  echo 'E1201 run.go:72] "command failed" err="failed to listen on 127.0.0.1:6443: listen tcp 127.0.0.1:6443: bind: address already in use"'
                  exit 1
                fi
                exec '%2$s' "$@"
                """.formatted(counter, real), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(apiServer, PosixFilePermissions.fromString("rwx------"));

        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            jupiter().configurationParameter(VaultK8sTrust.LOCAL_KUBE_APISERVER_KEY, apiServer.toString())
                    .selectors(selectClass(Fixture.class)).execute().testEvents()
                    .assertStatistics(stats -> stats.succeeded(1));
        } finally {
            System.setErr(original);
            original.print(captured.toString(StandardCharsets.UTF_8));
        }
        assertThat(Files.readAllLines(counter)).hasSize(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("a server lost a race for its port (kube-apiserver "
                + "exited with code 1 during start-up").contains("starting again on fresh ports, attempt 2 of 3");
    }
}
