package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.AuthMethod.JWT;
import static io.github.vaultk8strust.AuthMethod.KUBERNETES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.JwtRole;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.KubernetesRole;
import io.github.vaultk8strust.junit.TrustMatrix;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultPolicy;
import io.github.vaultk8strust.verify.AdversarialTokens;
import io.github.vaultk8strust.verify.PolicyMatrix;
import io.github.vaultk8strust.verify.TrustAssertions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Roles from files on real Vault, both versions of the compatibility matrix: a directory of jwt role files (one of them
 * written with every value in a form Vault normalises) and a kubernetes role in YAML go in as written, and everything
 * the toolkit does with a role works on them: logins, assertions, the policy matrix, adversarial tokens, diagnosis.
 * That the environment starts at all proves that the normalised values were not reported.
 */
@TrustMatrix(kubernetes = "1.34", vault = {"1.19", "1.21"})
@VaultK8sTrust(backend = Backend.LOCAL, authMethods = {JWT, KUBERNETES},
        policies = @VaultPolicy(name = "reports-reader", resource = "vault/policies/reports-reader.hcl"),
        roles = @JwtRole(directory = "vault/roles/jwt"),
        kubernetesRoles = @KubernetesRole(resource = "vault/roles/kubernetes/reports-kubernetes.yaml"),
        serviceAccounts = @K8sServiceAccount(namespace = "reports", name = "intruder"))
class RoleFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode role(TrustEnvironment environment, AuthMethod method, String name) throws VaultException {
        byte[] body = environment.root().api().logical().read("auth/" + environment.authPath(method) + "/role/"
                + name).getRestResponse().getBody();
        try {
            return JSON.readTree(new String(body, StandardCharsets.UTF_8)).path("data");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theInvocationRunsAVaultOfTheMatrix(TrustEnvironment environment) throws VaultException {
        String health = new String(environment.root().api().logical().read("sys/health").getRestResponse().getBody(),
                StandardCharsets.UTF_8);

        assertThat(environment.vaultVersion()).isIn("1.19.5", "1.21.0");
        assertThat(health).contains("\"version\":\"" + environment.vaultVersion() + "\"");
    }

    @Test
    void theFilesAreInVaultAsWritten(TrustEnvironment environment) throws VaultException {
        JsonNode jwt = role(environment, JWT, "reports-jwt");
        assertThat(jwt.path("bound_subject").asText()).isEqualTo("system:serviceaccount:reports:reader");
        assertThat(jwt.path("token_ttl").asInt()).isEqualTo(900);
        assertThat(jwt.path("token_max_ttl").asInt()).isEqualTo(3600);

        JsonNode kubernetes = role(environment, KUBERNETES, "reports-kubernetes");
        assertThat(kubernetes.path("audience").asText()).isEqualTo("vault");
        assertThat(kubernetes.path("bound_service_account_names").toString()).isEqualTo("[\"reader\"]");
    }

    @Test
    void valuesVaultNormalisesAreStoredNormalisedAndWereNotReported(TrustEnvironment environment)
            throws VaultException {
        // The file says "vault, reports", Reports-Reader, 1h30m, "0", "false", 127.0.0.1/32, 2m.
        JsonNode normalised = role(environment, JWT, "reports-normalised");

        assertThat(normalised.path("bound_audiences").toString()).isEqualTo("[\"vault\",\"reports\"]");
        assertThat(normalised.path("token_policies").toString()).isEqualTo("[\"reports-reader\"]");
        assertThat(normalised.path("token_ttl").asInt()).isEqualTo(5400);
        assertThat(normalised.path("token_num_uses").isInt()).isTrue();
        assertThat(normalised.path("token_no_default_policy").isBoolean()).isTrue();
        assertThat(normalised.path("token_bound_cidrs").toString()).isEqualTo("[\"127.0.0.1\"]"); // "/32" dropped
        assertThat(normalised.path("clock_skew_leeway").asInt()).isEqualTo(120);
    }

    /**
     * Why the start cannot rely on Vault's warning: a role write with an unknown key answers 204 and no body; the
     * warning comes only with a write that has something else to say (here {@code verbose_oidc_logging}).
     */
    @Test
    void vaultTakesAnUnknownKeyWithoutAWordUnlessItHasSomethingElseToSay(TrustEnvironment environment)
            throws VaultException {
        LogicalResponse silent = environment.root().api().logical().write("auth/kubernetes/role/typo-silent",
                Map.of("bound_service_account_names", "reader", "bound_service_account_namespaces", "reports",
                        "audience", "vault", "audiences", "vault"));
        LogicalResponse warned = environment.root().api().logical().write("auth/jwt/role/typo-warned",
                Map.of("role_type", "jwt", "bound_subject", "system:serviceaccount:reports:reader",
                        "user_claim", "sub", "policy", "reports-reader", "verbose_oidc_logging", true));

        assertThat(silent.getRestResponse().getStatus()).isEqualTo(204);
        assertThat(silent.getRestResponse().getBody()).isEmpty();
        assertThat(warned.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(new String(warned.getRestResponse().getBody(), StandardCharsets.UTF_8))
                .contains("Endpoint ignored these unrecognized parameters: [policy]");
    }

    @Test
    void theEnvironmentReadsTheBindingsFromTheFiles(TrustEnvironment environment) {
        assertThat(environment.roles()).contains("reports-jwt", "reports-normalised", "reports-kubernetes");
        assertThat(environment.authMethod("reports-kubernetes")).isEqualTo(KUBERNETES);
        assertThat(environment.role("reports-jwt").boundServiceAccount())
                .contains(new ServiceAccountSpec("reports", "reader"));
        assertThat(environment.role("reports-normalised").boundAudiences()).containsExactly("vault", "reports");
        assertThat(environment.role("reports-jwt").file().orElseThrow().describe())
                .isEqualTo("vault/roles/jwt/reports-jwt.json");
        assertThat(environment.kubernetesRole("reports-kubernetes").boundServiceAccounts())
                .containsExactly(new ServiceAccountSpec("reports", "reader"));
    }

    @Test
    void theWorkloadLogsInThroughEachFileRole(@VaultLogin(role = "reports-jwt") VaultSession jwt,
                                              @VaultLogin(role = "reports-normalised") VaultSession normalised,
                                              @VaultLogin(role = "reports-kubernetes") VaultSession kubernetes) {
        for (VaultSession session : new VaultSession[] {jwt, normalised, kubernetes}) {
            assertThat(session.policies()).contains("reports-reader");
            TrustAssertions.assertThat(session)
                    .may("read", "kvv2/data/reports/2026")
                    .mayNot("update", "kvv2/data/reports/2026")
                    .mayNot("read", "kvv2/data/k8s-dev/foo");
        }
    }

    @TestFactory
    Stream<DynamicTest> thePolicyMatrixRunsOnFileRoles(TrustEnvironment environment) {
        return PolicyMatrix.fromResource("vault/reports-matrix.csv").tests(environment);
    }

    @Test
    void everyAdversarialTokenIsRejectedByTheFileRoles(TrustEnvironment environment) {
        for (String role : new String[] {"reports-jwt", "reports-normalised", "reports-kubernetes"}) {
            assertThat(AdversarialTokens.against(environment, role).assertAllRejected().accepted()).as(role).isZero();
        }
    }

    @Test
    void aRejectedLoginIsComparedWithTheFileRole(TrustEnvironment environment) {
        ServiceAccountJwt intruder = environment.mintToken("reports", "intruder", "vault");

        assertThatThrownBy(() -> environment.login("reports-jwt", intruder.raw()))
                .isInstanceOf(VaultLoginException.class)
                .hasMessageContaining("sub system:serviceaccount:reports:intruder ≠ bound_subject "
                        + "system:serviceaccount:reports:reader");
        assertThatThrownBy(() -> environment.login("reports-kubernetes", intruder.raw()))
                .isInstanceOf(VaultLoginException.class)
                .hasMessageContaining("service account intruder ∉ bound_service_account_names [reader]");
    }
}
