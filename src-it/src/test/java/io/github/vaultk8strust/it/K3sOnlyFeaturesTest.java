package io.github.vaultk8strust.it;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.backend.k3s.K3sBackend;
import io.github.vaultk8strust.junit.InClusterWorkload;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

/**
 * What k3s-only features do on the local backend (real servers): skipped with the reason by default, a clear
 * failure with {@code vaultk8s.k3s-only=fail}; never a silent pass. And what {@code backend = K3S} does without a
 * Docker engine. Fixtures are static nested classes, run only through {@link EngineTestKit}.
 */
class K3sOnlyFeaturesTest {

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class InjectedWorkloadFixture {
        @Test
        void needsAPod(@InClusterWorkload Workload pod) {
            throw new AssertionError("must not run on the local backend");
        }

        @Test
        void needsNoPod(TrustEnvironment environment) {
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class StartedWorkloadFixture {
        @Test
        void startsAPod(TrustEnvironment environment) {
            environment.startWorkload(WorkloadSpec.seed());
            throw new AssertionError("must not get here on the local backend");
        }
    }

    @VaultK8sTrust(backend = Backend.K3S)
    static class K3sFixture {
        @Test
        void test() {
        }
    }

    private static EngineExecutionResults run(String k3sOnly, Class<?>... fixtures) {
        var kit = EngineTestKit.engine("junit-jupiter");
        if (k3sOnly != null) {
            kit = kit.configurationParameter(VaultK8sTrust.K3S_ONLY_KEY, k3sOnly);
        }
        return kit.selectors(java.util.Arrays.stream(fixtures).map(c -> selectClass(c))
                .toArray(org.junit.platform.engine.DiscoverySelector[]::new)).execute();
    }

    @Test
    void byDefaultK3sOnlyTestsAreSkippedWithTheReason() {
        EngineExecutionResults results = run(null, InjectedWorkloadFixture.class, StartedWorkloadFixture.class);

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("needsAPod"), skippedWithReason(r -> r.startsWith("@InClusterWorkload needs "
                        + "a pod, and only the k3s backend runs pods; this environment runs on the local backend")
                        && r.contains("-Dvaultk8s.backend=k3s") && r.endsWith("vaultk8s.k3s-only=skip (the default); "
                        + "set it to fail to make this an error."))))
                .haveExactly(1, event(test("startsAPod"), abortedWithReason(instanceOf(TestAbortedException.class),
                        message(m -> m.contains("startWorkload(WorkloadSpec[vault-client in default as vault-writer")
                                && m.contains("only the k3s backend runs pods")))));
        results.testEvents().assertStatistics(s -> s.skipped(1).aborted(1).succeeded(1).failed(0));
    }

    @Test
    void withFailK3sOnlyTestsFailWithTheReason() {
        EngineExecutionResults results = run("fail", InjectedWorkloadFixture.class, StartedWorkloadFixture.class);

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("needsAPod"), finishedWithFailure(
                        instanceOf(ParameterResolutionException.class),
                        message(m -> m.contains("@InClusterWorkload") && m.contains("only the k3s backend runs pods")))))
                .haveExactly(1, event(test("startsAPod"), finishedWithFailure(
                        instanceOf(VaultK8sTrustException.class),
                        message(m -> m.contains("only the k3s backend runs pods")
                                && m.contains("@VaultK8sTrust(backend = Backend.K3S)")))));
        results.testEvents().assertStatistics(s -> s.skipped(0).aborted(0).succeeded(1).failed(2));
    }

    static boolean dockerAvailable() {
        return K3sBackend.dockerAvailable();
    }

    @Test
    @DisabledIf(value = "dockerAvailable", disabledReason = "a Docker engine answers here, so K3S would start")
    void k3sWithoutDockerSaysSoAndHowToSwitch() {
        EngineExecutionResults results = run(null, K3sFixture.class);

        results.containerEvents().assertThatEvents().haveExactly(1, event(
                org.junit.platform.testkit.engine.EventConditions.container(K3sFixture.class),
                finishedWithFailure(instanceOf(VaultK8sTrustException.class), message(m ->
                        m.startsWith("The k3s backend needs a Docker engine, and Testcontainers found none")
                                && m.contains("@VaultK8sTrust(backend = Backend.LOCAL)")
                                && m.contains("-Dvaultk8s.backend=local")
                                && m.contains("VAULTK8S_BACKEND=local")))));
        results.testEvents().assertStatistics(s -> s.started(0));
    }
}
