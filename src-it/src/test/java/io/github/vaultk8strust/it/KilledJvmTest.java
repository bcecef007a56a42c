package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.isAlive;
import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static io.github.vaultk8strust.it.ItSupport.tmpDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.backend.local.EnvironmentDirectory;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test JVM killed with SIGKILL (a CI time-out, an IDE's stop button, the OOM killer) takes its servers with it:
 * no shutdown hook runs, yet within 5 s none of its servers or their supervisors is alive, and the next environment
 * start removes the directory it left behind (which holds private keys) and says so.
 */
class KilledJvmTest {

    @TempDir
    Path work;

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class NextStart {
        @Test
        void starts(TrustEnvironment environment) {
            assertThat(environment.vaultAddress()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void serversDieWithAKilledJvmAndTheNextStartSweepsItsDirectory() throws Exception {
        Path report = work.resolve("report");
        Path childLog = work.resolve("child.log");
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-Djava.io.tmpdir=" + tmpDir(), "-cp",
                System.getProperty("java.class.path"), KilledJvmFixture.class.getName(), report.toString())
                .redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
        try {
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.exists(report)) {
                assertThat(child.isAlive()).as("the child JVM runs (its output: %s)", childLog).isTrue();
                assertThat(System.nanoTime()).as("time left for the child's environment to start").isLessThan(giveUp);
                Thread.sleep(100);
            }
        } catch (AssertionError | RuntimeException e) {
            child.destroyForcibly();
            throw new AssertionError(e.getMessage() + "\nChild output:\n" + Files.readString(childLog), e);
        }
        Map<String, String> seen = new LinkedHashMap<>();
        List<Long> pids = new ArrayList<>();
        for (String line : Files.readAllLines(report)) {
            String[] kv = line.split("=", 2);
            seen.merge(kv[0], kv[1], (a, b) -> a + "," + b);
            if (!kv[0].equals("dir")) {
                pids.add(Long.parseLong(kv[1]));
            }
        }
        Path dir = Path.of(seen.get("dir"));
        assertThat(seen).containsKeys("server.etcd", "server.kube-apiserver");
        assertThat(pids).as("servers and supervisors of the child " + seen).hasSize(6).allMatch(ItSupport::isAlive);

        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        while (pids.stream().anyMatch(ItSupport::isAlive) && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(50);
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(pids.stream().filter(ItSupport::isAlive).toList())
                .as("processes of the killed JVM still alive %d ms after SIGKILL %s", tookMillis, seen).isEmpty();
        System.err.println("[KilledJvmTest] all servers of the killed JVM gone " + tookMillis + " ms after SIGKILL");

        // Nobody cleaned up the directory: no shutdown hook ran.
        assertThat(dir).isDirectory();
        assertThat(dir.resolve(EnvironmentDirectory.OWNER_FILE)).isRegularFile();

        // The next start sweeps it, and says so in one line.
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            jupiter().selectors(selectClass(NextStart.class)).execute().testEvents()
                    .assertStatistics(stats -> stats.succeeded(1));
        } finally {
            System.setErr(original);
        }
        assertThat(dir).doesNotExist();
        List<String> sweepLines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("stale environment director")).toList();
        assertThat(sweepLines).hasSize(1);
        assertThat(sweepLines.get(0)).contains("[vault-k8s-trust]").contains("swept 1 stale environment directory").contains(dir.getFileName().toString());
        assertThat(pids).noneMatch(ItSupport::isAlive);
        assertThat(isAlive(child.pid())).isFalse();
    }

    /** Write to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
