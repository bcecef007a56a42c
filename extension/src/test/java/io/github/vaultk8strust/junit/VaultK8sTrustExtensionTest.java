package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The fixtures below are static nested classes: Surefire's default exclude {@code **}{@code /*$*} keeps them
 * from running on their own; they only run through {@link EngineTestKit}.
 */
class VaultK8sTrustExtensionTest {

    /**
     * Run one fixture class. Besides the settings under test, the parameters make any start attempt fail fast
     * and differently (no binaries, no download, no build), so a misuse that slipped past settings resolution
     * would show up as the wrong exception instead of booting servers.
     */
    private static EngineExecutionResults run(Class<?> fixture, String... extraKeyValues) {
        var kit = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(VaultK8sTrust.BACKEND_KEY, "local")
                .configurationParameter(VaultK8sTrust.VAULT_MODE_KEY, "dev")
                .configurationParameter(VaultK8sTrust.STARTUP_TIMEOUT_KEY, "5s")
                .configurationParameter(VaultK8sTrust.DOWNLOAD_KEY, "false")
                .configurationParameter(VaultK8sTrust.BUILD_KEY, "false")
                .configurationParameter(VaultK8sTrust.LOCAL_ETCD_KEY, "/nonexistent/vault-k8s-trust-test/etcd")
                .configurationParameter(VaultK8sTrust.LOCAL_KUBE_APISERVER_KEY,
                        "/nonexistent/vault-k8s-trust-test/kube-apiserver")
                .configurationParameter(VaultK8sTrust.LOCAL_VAULT_KEY, "/nonexistent/vault-k8s-trust-test/vault");
        for (int i = 0; i < extraKeyValues.length; i += 2) {
            kit = kit.configurationParameter(extraKeyValues[i], extraKeyValues[i + 1]);
        }
        return kit.selectors(selectClass(fixture)).execute();
    }

    private static void assertClassFailsWithMisuse(EngineExecutionResults results, Class<?> fixture,
                                                   String... messageParts) {
        Predicate<String> containsAll = m -> Arrays.stream(messageParts).allMatch(m::contains);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(fixture),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(containsAll))));
        results.testEvents().assertStatistics(stats -> stats.started(0).succeeded(0).failed(0));
    }

    // ---------------------------------------------------------------- misuse fails the class before any start

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader",
            ttl = "1 hour"))
    static class BadTtlFixture {
        @Test
        void test() {
        }
    }

    @Test
    void badTtlFailsTheClass() {
        assertClassFailsWithMisuse(run(BadTtlFixture.class), BadTtlFixture.class,
                "@JwtRole(name = \"reader\")", "ttl = \"1 hour\"", "\"1h\"");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader",
            boundAudiences = {}))
    static class NoAudiencesFixture {
        @Test
        void test() {
        }
    }

    @Test
    void emptyAudiencesFailTheClass() {
        assertClassFailsWithMisuse(run(NoAudiencesFixture.class), NoAudiencesFixture.class,
                "@JwtRole(name = \"reader\")", "boundAudiences = {}", "at least one non-empty audience");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "k8s-dev", boundSubject = "system:serviceaccount:apps:reader"))
    static class DuplicateSeedRoleFixture {
        @Test
        void test() {
        }
    }

    @Test
    void duplicateRoleFailsTheClass() {
        assertClassFailsWithMisuse(run(DuplicateSeedRoleFixture.class), DuplicateSeedRoleFixture.class,
                "@JwtRole(name = \"k8s-dev\") is declared twice", "@VaultK8sTrust(seedScenario = false)");
    }

    @VaultK8sTrust
    static class PlainFixture {
        @Test
        void test() {
        }
    }

    @Test
    void badConfigurationParameterFailsTheClass() {
        assertClassFailsWithMisuse(run(PlainFixture.class, VaultK8sTrust.BACKEND_KEY, "docker"), PlainFixture.class,
                "Configuration parameter vaultk8s.backend = \"docker\"", "auto, local, k3s");
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @VaultK8sTrust(kvPath = "sys")
    @interface ReservedKvPathTrust {
    }

    @ReservedKvPathTrust
    static class MetaAnnotatedFixture {
        @Test
        void test() {
        }
    }

    @Test
    void misuseThroughAMetaAnnotationFailsTheClass() {
        assertClassFailsWithMisuse(run(MetaAnnotatedFixture.class), MetaAnnotatedFixture.class,
                "kvPath = \"sys\"", "a path Vault reserves");
    }

    @ExtendWith(VaultK8sTrustExtension.class)
    static class ExtensionWithoutAnnotationFixture {
        @Test
        void test() {
        }
    }

    @Test
    void extensionWithoutTheAnnotationFailsTheClass() {
        assertClassFailsWithMisuse(run(ExtensionWithoutAnnotationFixture.class),
                ExtensionWithoutAnnotationFixture.class,
                "No @VaultK8sTrust on " + ExtensionWithoutAnnotationFixture.class.getName(),
                "annotate the test class with @VaultK8sTrust");
    }

    // ---------------------------------------------------------------- supportsParameter is narrow

    @SuppressWarnings("unused")
    static class ParameterFixture {
        void bareString(String value) {
        }

        void bareObject(Object value) {
        }

        void bareKubernetesClient(KubernetesClient client) {
        }

        void bareVault(Vault vault) {
        }

        void kubeAdmin(@KubeAdmin KubernetesClient client) {
        }

        void serviceAccountToken(@ServiceAccountToken String token) {
        }

        void serviceAccountJwt(ServiceAccountJwt jwt) {
        }

        void trustEnvironment(TrustEnvironment environment) {
        }

        void vaultLogin(@VaultLogin Vault vault) {
        }

        void vaultRoot(@VaultRoot Vault vault) {
        }

        void vaultSession(VaultSession session) {
        }

        // Claimed on purpose: resolveParameter then explains which types @KubeAdmin can inject.
        void kubeAdminOnWrongType(@KubeAdmin String value) {
        }
    }

    /** The first parameter of a {@link ParameterFixture} method, as JUnit would describe it. */
    private record FirstParameter(Parameter parameter) implements ParameterContext {

        static FirstParameter of(String methodName) {
            Method method = Arrays.stream(ParameterFixture.class.getDeclaredMethods())
                    .filter(m -> m.getName().equals(methodName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no fixture method " + methodName));
            return new FirstParameter(method.getParameters()[0]);
        }

        @Override
        public Parameter getParameter() {
            return parameter;
        }

        @Override
        public int getIndex() {
            return 0;
        }

        @Override
        public Optional<Object> getTarget() {
            return Optional.empty();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "bareString, false",
            "bareObject, false",
            "bareKubernetesClient, false",
            "bareVault, false",
            "kubeAdmin, true",
            "serviceAccountToken, true",
            "serviceAccountJwt, true",
            "trustEnvironment, true",
            "vaultLogin, true",
            "vaultRoot, true",
            "vaultSession, true",
            "kubeAdminOnWrongType, true",
    })
    void supportsOnlyItsOwnParameters(String fixtureMethod, boolean supported) {
        // supportsParameter reads only the ParameterContext, so no ExtensionContext is needed.
        assertThat(new VaultK8sTrustExtension().supportsParameter(FirstParameter.of(fixtureMethod), null))
                .isEqualTo(supported);
    }
}
