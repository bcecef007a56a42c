package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.assertNothingLeft;
import static io.github.vaultk8strust.it.ItSupport.classFailure;
import static io.github.vaultk8strust.it.ItSupport.environmentDirs;
import static io.github.vaultk8strust.it.ItSupport.isAlive;
import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static io.github.vaultk8strust.it.ItSupport.liveDescendants;
import static io.github.vaultk8strust.it.ItSupport.newDescendants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A kube-apiserver that dies or hangs during start-up fails the class with a message saying so, and the real
 * etcd and Vault started alongside it are stopped. The broken kube-apiserver is a shell script named by the
 * explicit binary setting; it writes its pid and then waits for the test to look at the running processes, so
 * the test sees every server alive before it sees them stopped.
 */
class BrokenServerTest {

    private static Set<Long> descendantsBeforeAll;
    private static Set<Path> dirsBeforeAll;

    @TempDir
    Path scripts;

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class BrokenApiServerFixture {
        @Test
        void neverRuns() {
        }
    }

    /** What one run against a broken kube-apiserver produced. */
    record Observed(EngineExecutionResults results, long apiServerPid, Map<Long, String> processes) {
    }

    @BeforeAll
    static void snapshot() {
        descendantsBeforeAll = liveDescendants();
        dirsBeforeAll = environmentDirs();
    }

    @Test
    void anApiServerThatExitsFailsTheClassWithItsExitCodeAndOutput() throws Exception {
        Path apiServer = script("""
                echo 'simulated crash: unknown flag --foo'
                exit 3
                """);

        Observed run = runAgainst(apiServer, null);

        Throwable failure = classFailure(run.results(), BrokenApiServerFixture.class);
        assertThat(failure).isExactlyInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("kube-apiserver exited with code 3 during start-up")
                .hasMessageContaining("simulated crash: unknown flag --foo");
        assertStopped(run);
    }

    @Test
    void anApiServerThatNeverAnswersFailsTheClassWhenTheBudgetIsSpent() throws Exception {
        Path apiServer = script("""
                exec sleep 300
                """);

        Observed run = runAgainst(apiServer, "3s");

        Throwable failure = classFailure(run.results(), BrokenApiServerFixture.class);
        assertThat(failure).isExactlyInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("kube-apiserver did not become ready (answering GET /readyz) within the "
                        + "start-up budget of 3 s; last check: connection refused (nothing listens on its port yet)")
                // The environment directory, and the log file in it, are deleted: the message must not send the
                // reader there.
                .hasMessageNotContaining(ItSupport.ENV_DIR_PREFIX)
                .hasMessageContaining("startupTimeout")
                .hasMessageContaining(VaultK8sTrust.STARTUP_TIMEOUT_KEY);
        // The stand-in exec'ed into `sleep 300`, keeping its pid: that sleep was stopped.
        assertThat(isAlive(run.apiServerPid())).as("the hanging kube-apiserver (sleep 300)").isFalse();
        assertStopped(run);
    }

    @AfterAll
    static void nothingOutlivedEitherRun() {
        assertNothingLeft(descendantsBeforeAll, dirsBeforeAll);
    }

    /** Write the stand-in: record the pid, wait for the test's go-ahead, then behave as {@code body} says. */
    private Path script(String body) throws IOException {
        Path file = scripts.resolve("kube-apiserver");
        Files.writeString(file, """
                #!/bin/sh
                echo $$ > '%1$s/pid.tmp' && mv '%1$s/pid.tmp' '%1$s/pid'
                while [ ! -f '%1$s/go' ]; do sleep 0.05; done
                """.formatted(scripts) + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /**
     * Run the fixture with {@code apiServer} as kube-apiserver; once the stand-in runs, note every new process,
     * then let the stand-in go on and wait for the run to end.
     */
    private Observed runAgainst(Path apiServer, String startupTimeout) throws Exception {
        Set<Long> before = liveDescendants();
        EngineTestKit.Builder kit = jupiter()
                .configurationParameter(VaultK8sTrust.LOCAL_KUBE_APISERVER_KEY, apiServer.toString())
                .selectors(selectClass(BrokenApiServerFixture.class));
        if (startupTimeout != null) {
            kit = kit.configurationParameter(VaultK8sTrust.STARTUP_TIMEOUT_KEY, startupTimeout);
        }
        FutureTask<EngineExecutionResults> run = new FutureTask<>(kit::execute);
        Thread runner = new Thread(run, "broken-server-run");
        runner.start();

        Path pidFile = scripts.resolve("pid");
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(pidFile)) {
            if (run.isDone()) {
                throw new AssertionError("The run ended before the kube-apiserver stand-in started: "
                        + run.get().containerEvents().failed().list());
            }
            assertThat(System.nanoTime()).as("time left to wait for the stand-in").isLessThan(giveUp);
            Thread.sleep(20);
        }
        long apiServerPid = Long.parseLong(Files.readString(pidFile).trim());
        // Vault is launched right after kube-apiserver, without waiting for it: give it a moment to appear.
        Map<Long, String> processes = newDescendants(before);
        long vaultGiveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!processes.containsValue("vault") && !processes.containsValue("bao") && !run.isDone()
                && System.nanoTime() < vaultGiveUp) {
            Thread.sleep(20);
            processes = newDescendants(before);
        }
        Files.createFile(scripts.resolve("go"));

        EngineExecutionResults results = run.get(3, TimeUnit.MINUTES);
        runner.join();
        assertThat(processes).containsKey(apiServerPid);
        assertThat(processes.values()).as("servers running beside the stand-in " + processes)
                .containsOnlyOnce("etcd").containsAnyOf("vault", "bao");
        results.testEvents().assertStatistics(stats -> stats.started(0));
        return new Observed(results, apiServerPid, processes);
    }

    /** Assert that the stand-in, the real etcd and Vault, and the environment directory are all gone. */
    private static void assertStopped(Observed run) {
        assertThat(run.processes().keySet()).as("processes of the failed start " + run.processes())
                .noneMatch(ItSupport::isAlive);
        assertThat(environmentDirs()).isSubsetOf(dirsBeforeAll);
    }
}
