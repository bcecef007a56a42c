package io.github.vaultk8strust.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.vaultk8strust.FeatureUnavailableException;
import io.github.vaultk8strust.VaultK8sTrustException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

/** The adapter turns the core's "not available here" into an abort, and nothing else. */
class FeatureUnavailableHandlerTest {

    @ExtendWith(FeatureUnavailableHandler.class)
    static class Fixture {
        @Test
        void asksForAPod() {
            throw new FeatureUnavailableException("startWorkload(seed)", "no pods on the local backend");
        }

        @Test
        void environmentBroke() {
            throw new VaultK8sTrustException("Vault died");
        }

        @Test
        void plainFailure() {
            throw new AssertionError("expected 403");
        }
    }

    @ExtendWith(FeatureUnavailableHandler.class)
    static class LifecycleFixture {
        @BeforeEach
        void startPod() {
            throw new FeatureUnavailableException("startWorkload(seed)", "no pods in @BeforeEach");
        }

        @Test
        void usesThePod() {
            throw new AssertionError("must not run");
        }
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    @Test
    void anUnavailableFeatureAbortsTheTestWithItsMessage() {
        EngineExecutionResults results = run(Fixture.class);

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("asksForAPod"), abortedWithReason(instanceOf(TestAbortedException.class),
                        message("no pods on the local backend"), cause(instanceOf(FeatureUnavailableException.class)))))
                .haveExactly(1, event(test("environmentBroke"), finishedWithFailure(
                        instanceOf(VaultK8sTrustException.class), message("Vault died"))))
                .haveExactly(1, event(test("plainFailure"), finishedWithFailure(instanceOf(AssertionError.class))));
        results.testEvents().assertStatistics(s -> s.aborted(1).failed(2).succeeded(0));
    }

    @Test
    void anUnavailableFeatureInALifecycleMethodAbortsToo() {
        EngineExecutionResults results = run(LifecycleFixture.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("usesThePod"),
                abortedWithReason(instanceOf(TestAbortedException.class), message("no pods in @BeforeEach"))));
        results.testEvents().assertStatistics(s -> s.aborted(1).failed(0));
    }

    @Nested
    class Registration {
        @Test
        void vaultK8sTrustRegistersTheHandler() {
            org.assertj.core.api.Assertions.assertThat(VaultK8sTrust.class.getAnnotationsByType(ExtendWith.class))
                    .flatExtracting(e -> java.util.List.of(e.value())).contains(FeatureUnavailableHandler.class);
        }
    }
}
