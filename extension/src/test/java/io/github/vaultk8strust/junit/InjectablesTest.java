package io.github.vaultk8strust.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.core.FakeServers;
import io.github.vaultk8strust.core.TrustSettings;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * The one table of injectables, directly: which row claims a parameter, the type check and its message, and what the
 * rows resolve to against an environment over a fake Kubernetes API and a fake Vault ({@link FakeServers}).
 */
class InjectablesTest {

    /** Parameters as tests declare them; never run. */
    @SuppressWarnings("unused")
    static final class Declarations {
        void login(@VaultLogin VaultSession session) {
        }

        void loginAsClient(@VaultLogin Vault vault) {
        }

        void unknownRole(@VaultLogin(role = "nope") VaultSession session) {
        }

        void root(@VaultRoot VaultSession session) {
        }

        void rootAsString(@VaultRoot String session) {
        }

        void kube(@KubeAdmin KubernetesClient kube) {
        }

        void kubeAsString(@KubeAdmin String kube) {
        }

        void environment(TrustEnvironment environment) {
        }

        void seedToken(ServiceAccountJwt jwt) {
        }

        void rawToken(@ServiceAccountToken(audience = "other") String jwt) {
        }

        void shortToken(@ServiceAccountToken(expirationSeconds = 100) String jwt) {
        }

        void bareSession(VaultSession session) {
        }

        void bareString(String text) {
        }

        void bareClient(KubernetesClient kube) {
        }

        void pod(@InClusterWorkload Workload pod) {
        }
    }

    private final FakeServers servers = new FakeServers().serviceAccount("default", "vault-writer")
            .vault(r -> r.path().endsWith("/login") ? new FakeServers.Answer(200, "{\"auth\":{\"client_token\":"
                    + "\"t-login\",\"policies\":[\"k8s-dev-writer\"]}}") : new FakeServers.Answer(204, ""));
    private final DefaultTrustEnvironment environment = servers.environment(TrustSettings.builder("fake")
            .origin(AnnotationRequests.ORIGIN).roles(List.of(RoleSpec.builder("k8s-dev")
                    .boundSubject("system:serviceaccount:default:vault-writer").build()))
            .serviceAccounts(List.of(new ServiceAccountSpec("default", "vault-writer"))).build());
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final Injectables.Scope scope = new Injectables.Scope() {
        @Override
        public DefaultTrustEnvironment environment() {
            return environment;
        }

        @Override
        public <T extends AutoCloseable> T closeAfter(T resource) {
            closeAfter.add(resource);
            return resource;
        }
    };

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : closeAfter) {
            resource.close();
        }
        environment.close();
        servers.close();
    }

    private static Injectables.Target target(String method) {
        Method declared = Arrays.stream(Declarations.class.getDeclaredMethods()).filter(m -> m.getName().equals(method))
                .findFirst().orElseThrow();
        Parameter parameter = declared.getParameters()[0];
        return new Injectables.Target(parameter, parameter.getType(), "Parameter '" + parameter.getName() + "' of "
                + method);
    }

    private static Optional<String> row(String method) {
        return Injectables.rowFor(target(method)).map(Injectables.Row::name);
    }

    private Object resolve(String method) {
        Injectables.Target target = target(method);
        return Injectables.resolve(Injectables.rowFor(target).orElseThrow(), target, scope);
    }

    @Test
    void rowsClaimTheirAnnotationsAndTheLibrarysOwnTypesOnly() {
        assertThat(row("login")).contains("@VaultLogin");
        assertThat(row("loginAsClient")).contains("@VaultLogin");
        assertThat(row("root")).contains("@VaultRoot");
        assertThat(row("kube")).contains("@KubeAdmin");
        assertThat(row("environment")).contains("TrustEnvironment");
        assertThat(row("seedToken")).contains("ServiceAccountJwt");
        assertThat(row("rawToken")).as("an annotation decides over a bare type").contains("@ServiceAccountToken");
        assertThat(row("bareSession")).contains("VaultSession");
        assertThat(row("bareString")).as("a bare String may be another extension's").isEmpty();
        assertThat(row("bareClient")).as("a bare KubernetesClient may be another extension's").isEmpty();
    }

    @Test
    void aClaimedParameterOfAnotherTypeSaysWhatTheRowCanInject() {
        assertThatThrownBy(() -> resolve("kubeAsString")).isInstanceOf(ParameterResolutionException.class)
                .hasMessage("Parameter 'kube' of kubeAsString: @KubeAdmin can inject "
                        + "io.fabric8.kubernetes.client.KubernetesClient, not java.lang.String.");
        assertThatThrownBy(() -> resolve("rootAsString")).hasMessage("Parameter 'session' of rootAsString: @VaultRoot "
                + "can inject io.github.jopenlibs.vault.Vault or io.github.vaultk8strust.VaultSession, not "
                + "java.lang.String.");
        assertThatThrownBy(() -> resolve("bareSession")).hasMessageContaining("a VaultSession needs @VaultRoot");
        assertThat(servers.requests()).isEmpty();
    }

    @Test
    void vaultLoginLogsInThroughTheEnvironmentAndIsClosedAfterTheTest() {
        VaultSession session = (VaultSession) resolve("login");

        assertThat(session.token()).isEqualTo("t-login");
        assertThat(session.role()).contains("k8s-dev");
        assertThat(closeAfter).containsExactly(session);
        assertThat(servers.requests("/api/v1/namespaces/default/serviceaccounts/vault-writer/token")).hasSize(1);
        assertThat(resolve("loginAsClient")).isInstanceOf(Vault.class);
    }

    @Test
    void anUnknownRoleNamesTheParameterAndTheAnnotation() {
        assertThatThrownBy(() -> resolve("unknownRole")).isInstanceOf(ParameterResolutionException.class)
                .hasMessage("Parameter 'session' of unknownRole: @VaultLogin(role = \"nope\") names no configured role; "
                        + "configured roles: [k8s-dev]. Declare it with @VaultK8sTrust(roles = @JwtRole(name = \"nope\", "
                        + "...)) or fix the name.");
    }

    @Test
    void rootAdminAndEnvironmentComeFromTheEnvironment() {
        assertThat(((VaultSession) resolve("root")).token()).isEqualTo("root-token-of-the-fake");
        KubernetesClient kube = (KubernetesClient) resolve("kube");
        assertThat(closeAfter).containsExactly(kube);
        assertThat(resolve("environment")).isSameAs(environment);
    }

    @Test
    void tokensHaveTheSeedsDefaultsOrTheAnnotations() {
        ServiceAccountJwt seed = (ServiceAccountJwt) resolve("seedToken");
        assertThat(seed.subject()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(seed.audience()).containsExactly("vault-dev");
        String raw = (String) resolve("rawToken");
        assertThat(ServiceAccountJwt.parse(raw).audience()).containsExactly("other");
        assertThatThrownBy(() -> resolve("shortToken")).isInstanceOf(ParameterResolutionException.class)
                .hasMessage("Parameter 'jwt' of shortToken: @ServiceAccountToken(expirationSeconds = 100) is below "
                        + "Kubernetes' minimum of 600 seconds; use 600 or more.");
    }

    @Test
    void aWorkloadOnABackendWithoutPodsSaysWhy() {
        assertThatThrownBy(() -> resolve("pod")).isInstanceOf(ParameterResolutionException.class)
                .hasMessageStartingWith("Parameter 'pod' of pod: @InClusterWorkload needs a pod, and only the k3s "
                        + "backend runs pods; this environment runs on the fake backend")
                .hasMessageContaining("Use @VaultK8sTrust(backend = Backend.K3S)");
        assertThat(closeAfter).isEmpty();
    }
}
