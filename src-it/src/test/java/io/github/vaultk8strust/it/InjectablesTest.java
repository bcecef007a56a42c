package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.ServiceAccountToken;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every injectable type, against the real local backend with the seed's defaults. */
@VaultK8sTrust(backend = Backend.LOCAL)
class InjectablesTest {

    private final TrustEnvironment environment;

    InjectablesTest(TrustEnvironment environment) {
        this.environment = environment;
    }

    @Test
    void environmentDescribesTheTrust() throws Exception {
        assertThat(environment.backend()).isEqualTo(Backend.LOCAL);
        assertThat(environment.issuer()).startsWith("https://127.0.0.1:").doesNotEndWith("/");
        assertThat(environment.discoveryDocument())
                .containsEntry("issuer", environment.issuer())
                .containsEntry("jwks_uri", environment.issuer() + "/openid/v1/jwks");
        assertThat(environment.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(environment.roles()).containsExactly("k8s-dev");
        assertThat(environment.kvPath()).isEqualTo("kvv2");
        assertThat(environment.authPath()).isEqualTo("jwt");

        // Vault reads discovery without credentials: so must anyone.
        HttpResponse<String> anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(io.github.vaultk8strust.support.Tls.trusting(environment.caPem())).build()
                .send(HttpRequest.newBuilder(URI.create(environment.apiServerUrl() + "/.well-known/openid-configuration"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"issuer\":\"" + environment.issuer() + "\"");
    }

    @Test
    void kubeAdminSeesTheSeedObjects(@KubeAdmin KubernetesClient kube) {
        ServiceAccount writer = kube.serviceAccounts().inNamespace("default").withName("vault-writer").get();
        assertThat(writer).isNotNull();
        ClusterRoleBinding binding = kube.rbac().clusterRoleBindings()
                .withName("system:anonymous-service-account-issuer-discovery").get();
        assertThat(binding.getRoleRef().getName()).isEqualTo("system:service-account-issuer-discovery");
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("system:anonymous"));
    }

    @Test
    void rootSessionSeesTheWholeSetup(@VaultRoot VaultSession root) {
        Vault api = root.api();
        LogicalResponse auth = read(api, "auth/jwt/config");
        assertThat(auth.getDataObject().getString("oidc_discovery_url", null)).isEqualTo(environment.issuer());
        assertThat(auth.getDataObject().getString("bound_issuer", null)).isEqualTo(environment.issuer());
        assertThat(auth.getDataObject().getString("default_role", null)).isEqualTo("k8s-dev");

        LogicalResponse role = read(api, "auth/jwt/role/k8s-dev");
        assertThat(role.getDataObject().getString("role_type", null)).isEqualTo("jwt");
        assertThat(role.getDataObject().getString("bound_subject", null))
                .isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(role.getDataObject().get("bound_audiences").asArray().get(0).asString()).isEqualTo("vault-dev");
        assertThat(role.getDataObject().getInt("token_ttl", 0)).isEqualTo(3600);

        LogicalResponse policy = read(api, "sys/policies/acl/k8s-dev-writer");
        assertThat(policy.getDataObject().getString("policy", "")).contains("kvv2/data/k8s-dev/*");

        LogicalResponse mounts = read(api, "sys/mounts");
        assertThat(mounts.getDataObject().get("kvv2/").asObject().get("options").asObject().getString("version", ""))
                .isEqualTo("2");
        assertThat(root.capabilities("kvv2/data/anything")).containsExactly("root");
    }

    @Test
    void rootKvClientWritesAnywhere(@VaultRoot Vault root) throws VaultException {
        root.logical().write("kvv2/admin/only", Map.of("owner", "root"));
        assertThat(root.logical().read("kvv2/admin/only").getData()).containsEntry("owner", "root");
    }

    @Test
    void loginSessionCarriesTheRolePolicies(@VaultLogin(role = "k8s-dev") VaultSession workload) {
        assertThat(workload.role()).contains("k8s-dev");
        assertThat(workload.policies()).contains("k8s-dev-writer");
        assertThat(workload.capabilities("kvv2/data/k8s-dev/foo"))
                .containsExactlyInAnyOrder("create", "update", "patch", "read", "delete");
        assertThat(workload.capabilities("kvv2/metadata/k8s-dev/foo")).containsExactly("list");
        assertThat(workload.capabilities("kvv2/data/some-secret")).containsExactly("deny");
        assertThat(workload.capabilities("sys/policies/acl/k8s-dev-writer")).containsExactly("deny");
    }

    @Test
    void loginTokenIsRevokedWhenSessionCloses() {
        VaultSession session = environment.login("k8s-dev");
        String token = session.token();
        assertThat(session.capabilities("kvv2/data/k8s-dev/x")).contains("read");

        session.close();

        LogicalResponse lookup = read(environment.root().api(), "auth/token/lookup", Map.of("token", token));
        assertThat(lookup.getRestResponse().getStatus()).isEqualTo(403);
    }

    @Test
    void rawAndParsedTokensComeFromTheTokenRequestApi(@ServiceAccountToken String raw,
                                                      @ServiceAccountToken(expirationSeconds = 600) ServiceAccountJwt shortLived,
                                                      ServiceAccountJwt seedDefault) {
        ServiceAccountJwt parsed = ServiceAccountJwt.parse(raw);
        assertThat(parsed.subject()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(seedDefault.audience()).containsExactly("vault-dev");
        assertThat(shortLived.expiresAt().getEpochSecond() - shortLived.issuedAt().getEpochSecond()).isEqualTo(600);
        assertThat(parsed.jwtId()).isNotEqualTo(seedDefault.jwtId());
        assertThat(parsed.jwt().getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    }

    @Test
    void vaultRejectsTokensThatDoNotMatchTheRole() {
        ServiceAccountJwt wrongAudience = environment.mintToken("default", "vault-writer", "not-vault");
        assertThatThrownBy(() -> environment.login("k8s-dev", wrongAudience.raw()))
                .isInstanceOfSatisfying(VaultLoginException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.vaultErrors()).anySatisfy(m -> assertThat(m).contains("invalid audience (aud) claim"));
                    assertThat(e.getMessage()).contains("aud=[not-vault]").contains("bound_audiences=[vault-dev]");
                });
        assertThatThrownBy(() -> environment.login("no-such-role", environment.mintToken("default", "vault-writer",
                "vault-dev").raw()))
                .isInstanceOfSatisfying(VaultLoginException.class, e ->
                        assertThat(e.vaultErrors()).anySatisfy(m -> assertThat(m).contains("role \"no-such-role\" could not be found")));
    }

    private static LogicalResponse read(Vault api, String path) {
        try {
            LogicalResponse response = api.logical().read(path);
            assertThat(response.getRestResponse().getStatus()).as("GET " + path).isEqualTo(200);
            return response;
        } catch (VaultException e) {
            throw new AssertionError(e);
        }
    }

    private static LogicalResponse read(Vault api, String path, Map<String, Object> body) {
        try {
            return api.logical().write(path, body);
        } catch (VaultException e) {
            throw new AssertionError(e);
        }
    }
}
