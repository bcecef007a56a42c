package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultRoot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * Servers that stop working while tests run are named at once: a killed kube-apiserver makes the next injection
 * fail with its name, pid and exit code instead of HTTP time-outs; a stopped (SIGSTOP), sealed or killed Vault makes
 * a login say exactly that, with the process state and log tail, and never invent a "role does not exist".
 * Each fixture has its own environment (its own EngineTestKit run), since it breaks it on purpose.
 */
class MidRunFailureTest {

    static LocalBackend local(TrustEnvironment environment) {
        return (LocalBackend) ((DefaultTrustEnvironment) environment).runningBackend();
    }

    static long vaultPid(TrustEnvironment environment) {
        Map<String, Long> pids = local(environment).serverPids();
        return pids.containsKey("bao") ? pids.get("bao") : pids.get("vault");
    }

    static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal + " " + pid).isTrue();
    }

    /** Wait until the environment notices that a server exited. */
    static void awaitBroken(TrustEnvironment environment) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (local(environment).brokenReason().isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(local(environment).brokenReason()).as("the environment noticed the exit").isPresent();
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ApiServerKilled {
        static volatile long pid;

        @Test
        @Order(1)
        void killKubeApiServer(TrustEnvironment environment) throws Exception {
            pid = local(environment).serverPids().get("kube-apiserver");
            signal("KILL", pid);
            awaitBroken(environment);
        }

        @Test
        @Order(2)
        void nextInjection(@KubeAdmin KubernetesClient admin) {
            throw new AssertionError("never reached: the injection must fail");
        }
    }

    @Test
    void aKilledKubeApiServerFailsTheNextInjectionAtOnceNamingIt() {
        EngineExecutionResults results = jupiter().selectors(selectClass(ApiServerKilled.class)).execute();

        List<Event> finished = results.testEvents().finished().list();
        assertThat(finished).hasSize(2);
        TestExecutionResult first = finished.get(0).getRequiredPayload(TestExecutionResult.class);
        assertThat(first.getStatus()).as("the killing test: " + first.getThrowable()).isEqualTo(
                TestExecutionResult.Status.SUCCESSFUL);
        TestExecutionResult second = finished.get(1).getRequiredPayload(TestExecutionResult.class);
        Throwable failure = second.getThrowable().orElseThrow();
        // JUnit wraps it in a ParameterResolutionException, keeping the message.
        assertThat(failure).hasCauseInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("can no longer be used: kube-apiserver (pid " + ApiServerKilled.pid
                        + ") was killed by signal 9 (SIGKILL) (exit code 137) while tests were running")
                .hasMessageContaining("binary ")
                .hasMessageContaining("Last lines of its log:");
        Duration took = Duration.between(results.testEvents().started().list().get(1).getTimestamp(),
                finished.get(1).getTimestamp());
        assertThat(took).as("time to fail the injection").isLessThan(Duration.ofSeconds(2));
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class VaultTrouble {

        @Test
        @Order(1)
        void stopped(TrustEnvironment environment) throws Exception {
            long pid = vaultPid(environment);
            String jwt = environment.mintToken("default", "vault-writer", "vault-dev").raw();
            signal("STOP", pid);
            long start = System.nanoTime();
            Throwable failure;
            try {
                failure = catchThrowable(() -> environment.login(VaultK8sTrust.SEED_ROLE, jwt));
            } finally {
                signal("CONT", pid);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failure).isInstanceOf(VaultLoginException.class)
                    .hasMessageStartingWith("Vault at " + environment.vaultAddress() + " did not answer the login")
                    .hasMessageContaining("is stopped").hasMessageContaining("pid " + pid)
                    .hasMessageContaining("Vault's last log lines:")
                    .hasMessageNotContaining("mismatch").hasMessageNotContaining("does not exist");
            assertThat(((VaultLoginException) failure).httpStatus()).isZero();
            assertThat(took).as("a stopped Vault must not hang a login").isLessThan(Duration.ofSeconds(20));
            System.err.println("[MidRunFailureTest] login against a stopped Vault failed after " + took.toMillis()
                    + " ms:\n" + failure.getMessage());
        }

        @Test
        @Order(2)
        void sealed(TrustEnvironment environment, @VaultRoot VaultSession root) throws Exception {
            // Vault answers again after SIGCONT; the login works, then seal it.
            environment.login(VaultK8sTrust.SEED_ROLE).close();
            var seal = root.api().logical().write("sys/seal", Map.of());
            assertThat(seal.getRestResponse().getStatus()).isEqualTo(204);

            Throwable failure = catchThrowable(() -> environment.login(VaultK8sTrust.SEED_ROLE));

            assertThat(failure).isInstanceOf(VaultLoginException.class)
                    .hasMessageStartingWith("Vault at " + environment.vaultAddress() + " is sealed")
                    .hasMessageContaining("process: ").hasMessageContaining("is running")
                    .hasMessageNotContaining("mismatch").hasMessageNotContaining("does not exist");
            System.err.println("[MidRunFailureTest] login against a sealed Vault:\n" + failure.getMessage());
        }

        @Test
        @Order(3)
        void killed(TrustEnvironment environment) throws Exception {
            long pid = vaultPid(environment);
            signal("KILL", pid);
            awaitBroken(environment);

            Throwable failure = catchThrowable(() -> environment.login(VaultK8sTrust.SEED_ROLE));

            assertThat(failure).isInstanceOf(VaultK8sTrustException.class)
                    .hasMessageContaining("can no longer be used: ")
                    .hasMessageContaining("(pid " + pid + ") was killed by signal 9 (SIGKILL) (exit code 137) while "
                            + "tests were running")
                    .hasMessageNotContaining("does not exist");
        }
    }

    @Test
    void aStoppedSealedOrKilledVaultIsReportedAsSuch() {
        EngineExecutionResults results = jupiter().selectors(selectClass(VaultTrouble.class)).execute();

        results.testEvents().failed().list().forEach(e -> e.getRequiredPayload(TestExecutionResult.class)
                .getThrowable().ifPresent(Throwable::printStackTrace));
        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
    }
}
