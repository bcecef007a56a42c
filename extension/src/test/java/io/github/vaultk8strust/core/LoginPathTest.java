package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.VaultSession;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one role → token → login path ({@code DefaultTrustEnvironment.loginAs}, behind {@code login(role)} and
 * {@code @VaultLogin}), against a fake Kubernetes API and a fake Vault: which service account and audiences the token
 * is minted for, which login path it goes to, and what a role that names no service account says.
 */
class LoginPathTest {

    private final FakeServers servers = new FakeServers().serviceAccount("default", "vault-writer")
            .serviceAccount("apps", "reader").vault(r -> switch (r.path()) {
                case "/v1/auth/jwt/login", "/v1/auth/kubernetes/login" -> new FakeServers.Answer(200,
                        "{\"auth\":{\"client_token\":\"t-" + r.body().path("role").asText() + "\",\"policies\":"
                                + "[\"default\",\"reader\"]}}");
                default -> new FakeServers.Answer(204, "");
            });
    private DefaultTrustEnvironment environment;

    private static final RoleSpec SEED = RoleSpec.builder("k8s-dev")
            .boundSubject("system:serviceaccount:default:vault-writer").policies("k8s-dev-writer").build();
    private static final RoleSpec CLAIMS_ONLY = RoleSpec.builder("by-namespace")
            .boundClaim("/kubernetes.io/namespace", "apps").build();
    private static final KubernetesRoleSpec READER = KubernetesRoleSpec.builder("reader")
            .boundServiceAccount("apps", "reader").audience("vault").build();
    private static final KubernetesRoleSpec GLOBS = KubernetesRoleSpec.builder("anyone")
            .boundServiceAccountNames("*").boundServiceAccountNamespaces("*").build();

    private DefaultTrustEnvironment environment(TokenReviewer reviewer) {
        environment = servers.environment(TrustSettings.builder("fake").roles(List.of(SEED, CLAIMS_ONLY))
                .kubernetesRoles(List.of(READER, GLOBS)).authMethods(Set.of(AuthMethod.JWT, AuthMethod.KUBERNETES))
                .tokenReviewer(reviewer).build());
        return environment;
    }

    @AfterEach
    void close() {
        if (environment != null) {
            environment.close();
        }
        servers.close();
    }

    private ServiceAccountJwt mintedToken(int index) {
        return ServiceAccountJwt.parse(servers.requests("/v1/auth/").get(index).body().path("jwt").asText());
    }

    @Test
    void aJwtRoleLogsInWithATokenForItsBoundServiceAccountAndFirstAudience() {
        VaultSession session = environment(TokenReviewer.REVIEWER_SERVICE_ACCOUNT).login("k8s-dev");

        assertThat(session.token()).isEqualTo("t-k8s-dev");
        assertThat(session.policies()).containsExactly("default", "reader");
        FakeServers.Request login = servers.requests("/v1/auth/").get(0);
        assertThat(login.path()).isEqualTo("/v1/auth/jwt/login");
        assertThat(login.body().path("role").asText()).isEqualTo("k8s-dev");
        assertThat(mintedToken(0).subject()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(mintedToken(0).audience()).containsExactly("vault-dev");
    }

    @Test
    void whatTheCallerNamesWinsOverWhatTheRoleBinds() {
        environment(TokenReviewer.REVIEWER_SERVICE_ACCOUNT).loginAs("by-namespace", "apps", "reader", "other",
                "@VaultLogin(role = \"by-namespace\")", "say whose token");

        assertThat(mintedToken(0).subject()).isEqualTo("system:serviceaccount:apps:reader");
        assertThat(mintedToken(0).audience()).containsExactly("other");
    }

    @Test
    void aKubernetesRoleGoesToItsOwnPathWithItsAudience() {
        environment(TokenReviewer.REVIEWER_SERVICE_ACCOUNT).login("reader");

        assertThat(servers.requests("/v1/auth/").get(0).path()).isEqualTo("/v1/auth/kubernetes/login");
        assertThat(mintedToken(0).audience()).containsExactly("vault");
    }

    @Test
    void inClientTokenModeTheTokenIsForTheApiServerToo() {
        environment(TokenReviewer.CLIENT_TOKEN).login("reader");

        assertThat(mintedToken(0).audience()).containsExactly("vault", "https://fake-issuer");
    }

    @Test
    void anUnknownRoleNamesHowTheCallerAskedAndHowToDeclareIt() {
        environment(TokenReviewer.REVIEWER_SERVICE_ACCOUNT);

        assertThatThrownBy(() -> environment.login("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("login(\"nope\") names no configured role; configured roles: [k8s-dev, by-namespace, "
                        + "reader, anyone]. Declare it with TrustEnvironment.builder().role(RoleSpec.builder(\"nope\")"
                        + "...build()) or TrustEnvironment.builder().kubernetesRole(KubernetesRoleSpec.builder(\"nope\")"
                        + "...build()) or fix the name.");
        assertThat(servers.requests()).isEmpty();
    }

    @Test
    void aRoleThatNamesNoServiceAccountSaysWhatToDo() {
        environment(TokenReviewer.REVIEWER_SERVICE_ACCOUNT);

        assertThatThrownBy(() -> environment.login("by-namespace")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("login(\"by-namespace\"): role \"by-namespace\" binds claims, not a subject; mint a token "
                        + "yourself and call login(role, jwt).");
        assertThatThrownBy(() -> environment.loginAs("anyone", null, null, null, "@VaultLogin(role = \"anyone\")",
                "say whose token")).hasMessage("@VaultLogin(role = \"anyone\"): kubernetes role \"anyone\" binds only "
                + "globs (names [*], namespaces [*]); say whose token.");
        assertThat(servers.requests()).isEmpty();
    }

    @Test
    void aServiceAccountTheClusterDoesNotKnowIsNamed() {
        environment(TokenReviewer.REVIEWER_SERVICE_ACCOUNT);

        assertThatThrownBy(() -> environment.loginAs("k8s-dev", "apps", "ghost", null, "login(\"k8s-dev\")", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Service account apps/ghost does not exist")
                .hasMessageContaining("Declare it with TrustEnvironment.builder().serviceAccount(\"apps\", \"ghost\")");
    }
}
