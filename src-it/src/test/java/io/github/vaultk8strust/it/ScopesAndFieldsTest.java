package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Field injection, per-test constructor injection and {@code shared = false}, against the real local backend.
 * Fixtures are static nested classes, run only through {@link EngineTestKit}.
 */
class ScopesAndFieldsTest {

    private static final List<String> TOKENS = new CopyOnWriteArrayList<>();
    private static final List<String> API_SERVERS = new CopyOnWriteArrayList<>();

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class FieldsFixture {
        @VaultLogin(role = "k8s-dev")
        VaultSession writer;

        TrustEnvironment environment;

        @Test
        void first() {
            TOKENS.add(writer.token());
            assertThat(environment.roles()).contains("k8s-dev");
        }

        @Test
        void second() {
            TOKENS.add(writer.token());
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class ConstructorFixture {
        private final VaultSession writer;

        ConstructorFixture(@VaultLogin(role = "k8s-dev") VaultSession writer) {
            this.writer = writer;
        }

        @Test
        void first() {
            TOKENS.add(writer.token());
        }

        @Test
        void second() {
            TOKENS.add(writer.token());
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class WrongFieldTypeFixture {
        @VaultLogin(role = "k8s-dev")
        String writer;

        @Test
        void test() {
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL, shared = false)
    static class PrivateOneFixture {
        @Test
        void test(TrustEnvironment environment) {
            API_SERVERS.add(environment.apiServerUrl());
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL, shared = false)
    static class PrivateTwoFixture {
        @Test
        void test(TrustEnvironment environment) {
            API_SERVERS.add(environment.apiServerUrl());
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class SharedFixture {
        @Test
        void test(TrustEnvironment environment) {
            API_SERVERS.add(environment.apiServerUrl());
        }
    }

    private static EngineExecutionResults run(Class<?>... fixtures) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(java.util.Arrays.stream(fixtures).map(c -> selectClass(c))
                        .toArray(org.junit.platform.engine.DiscoverySelector[]::new))
                .execute();
    }

    @Test
    void fieldsAndConstructorParametersGetAFreshLoginForEachTest() {
        TOKENS.clear();

        EngineExecutionResults results = run(FieldsFixture.class, ConstructorFixture.class);

        results.testEvents().assertStatistics(s -> s.succeeded(4).failed(0));
        assertThat(TOKENS).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void aFieldOfTheWrongTypeFailsNamingTheFieldAndTheAcceptedTypes() {
        EngineExecutionResults results = run(WrongFieldTypeFixture.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("test"), finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message("Field 'writer' of WrongFieldTypeFixture: @VaultLogin can inject io.github.jopenlibs.vault.Vault"
                        + " or io.github.vaultk8strust.VaultSession, not java.lang.String."))));
    }

    @Test
    void privateEnvironmentsAreNeverShared() {
        API_SERVERS.clear();

        EngineExecutionResults results = run(PrivateOneFixture.class, PrivateTwoFixture.class, SharedFixture.class);

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        assertThat(API_SERVERS).hasSize(3).doesNotHaveDuplicates();
    }
}
