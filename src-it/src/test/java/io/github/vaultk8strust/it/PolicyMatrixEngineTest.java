package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.dynamicTestRegistered;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.verify.PolicyMatrix;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Policy matrices run by the real engine: a wrong row fails with a message naming role, path and capability. */
class PolicyMatrixEngineTest {

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class WrongRows {

        @TestFactory
        Stream<DynamicTest> matrix(TrustEnvironment environment) {
            return PolicyMatrix.parse("wrong-matrix.csv", """
                    role,path,capability,expected
                    k8s-dev,kvv2/data/k8s-dev/foo,read,allow
                    k8s-dev,kvv2/data/some-secret,read,allow
                    k8s-dev,kvv2/data/k8s-dev/foo,update,deny
                    """).tests(environment);
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class UnknownRole {

        @TestFactory
        Stream<DynamicTest> matrix(TrustEnvironment environment) {
            return PolicyMatrix.parse("prod-matrix.csv", """
                    role,path,capability,expected
                    k8s-prod,kvv2/data/prod/foo,read,allow
                    """).tests(environment);
        }
    }

    @Test
    void wrongExpectationsFailNamingRolePathAndCapability() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(WrongRows.class), selectClass(UnknownRole.class)).execute();
        Events tests = results.testEvents();
        tests.failed().stream().forEach(e -> System.out.println(e.getTestDescriptor().getDisplayName() + "\n"
                + e.getPayload(org.junit.platform.engine.TestExecutionResult.class).flatMap(
                        org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage)
                        .orElse("")));

        results.allEvents().assertThatEvents().haveExactly(3, event(dynamicTestRegistered("matrix")));
        tests.assertStatistics(stats -> stats.started(3).succeeded(1).failed(2));
        tests.assertThatEvents()
                .haveExactly(1, event(test(), displayName("k8s-dev may read kvv2/data/some-secret"),
                        finishedWithFailure(message(m -> m.startsWith("k8s-dev may read kvv2/data/some-secret: "
                                + "expected allow, but sys/capabilities-self denies it\n"
                                + "  path tested:  kvv2/data/some-secret\n"
                                + "  capabilities: [deny] (sys/capabilities-self)\n"
                                + "  policies:     [default, k8s-dev-writer]\n")
                                && m.endsWith("  matrix row:   wrong-matrix.csv:3")))))
                .haveExactly(1, event(test(), displayName("k8s-dev may not update kvv2/data/k8s-dev/foo"),
                        finishedWithFailure(message(m -> m.startsWith("k8s-dev may not update kvv2/data/k8s-dev/foo: "
                                + "expected deny, but sys/capabilities-self allows it\n")
                                && m.contains("  capabilities: [create, delete, patch, read, update]")))));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container("matrix"),
                finishedWithFailure(message("prod-matrix.csv:2: unknown role \"k8s-prod\"\nconfigured roles: k8s-dev. "
                        + "Declare roles with @VaultK8sTrust(roles = @JwtRole(name = ...)) or fix the matrix."))));
        assertThat(results.containerEvents().failed().count()).isEqualTo(1);
    }
}
