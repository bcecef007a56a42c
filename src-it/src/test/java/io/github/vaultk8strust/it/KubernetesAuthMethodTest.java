package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.AuthMethod.JWT;
import static io.github.vaultk8strust.AuthMethod.KUBERNETES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ProjectedTokenFile;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TokenFileSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.verify.AdversarialTokens;
import io.github.vaultk8strust.verify.AuthMethodComparison;
import io.github.vaultk8strust.verify.PolicyMatrix;
import io.github.vaultk8strust.verify.TrustAssertions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The walkthrough, the policy matrix, the adversarial tokens and the token files against both auth methods, on
 * real Vault and kube-apiserver processes; and the cases where the methods differ, written to
 * {@code target/auth-method-differences.md} for the README.
 */
@VaultK8sTrust(backend = Backend.LOCAL, authMethods = {JWT, KUBERNETES},
        serviceAccounts = @K8sServiceAccount(namespace = "default", name = "projected"))
class KubernetesAuthMethodTest {

    private static final String KUBE_ROLE = "k8s-dev-kubernetes";

    @Test // vault write auth/kubernetes/login role=k8s-dev-kubernetes jwt=...; vault kv put/get kvv2/k8s-dev/foo
    void workloadLogsInThroughKubernetesWritesAndReadsBack(@VaultLogin(role = KUBE_ROLE) Vault vault)
            throws VaultException {
        vault.logical().write("kvv2/k8s-dev/kube", Map.of("bar", "baz"));
        LogicalResponse secret = vault.logical().read("kvv2/k8s-dev/kube");
        assertThat(secret.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(secret.getData()).containsExactly(Map.entry("bar", "baz"));
        LogicalResponse denied = vault.logical().write("kvv2/some-secret", Map.of("bar", "baz"));
        assertThat(denied.getRestResponse().getStatus()).isEqualTo(403);
    }

    @Test
    void eachRoleLogsInAtItsOwnMethodsPath(TrustEnvironment environment) throws Exception {
        assertThat(environment.authMethods()).containsExactly(JWT, KUBERNETES);
        assertThat(environment.roles()).containsExactly("k8s-dev", KUBE_ROLE);
        assertThat(environment.authMethod(KUBE_ROLE)).isEqualTo(KUBERNETES);
        assertThat(environment.authMethod("k8s-dev")).isEqualTo(JWT);
        try (VaultSession kube = environment.login(KUBE_ROLE); VaultSession jwt = environment.login("k8s-dev")) {
            JsonNode kubeSelf = lookupSelf(kube);
            JsonNode jwtSelf = lookupSelf(jwt);
            assertThat(kubeSelf.path("path").asText()).isEqualTo("auth/kubernetes/login");
            assertThat(kubeSelf.path("meta").path("service_account_name").asText()).isEqualTo("vault-writer");
            assertThat(kubeSelf.path("meta").path("service_account_namespace").asText()).isEqualTo("default");
            assertThat(jwtSelf.path("path").asText()).isEqualTo("auth/jwt/login");
            assertThat(kube.policies()).contains("k8s-dev-writer");
            TrustAssertions.assertThat(kube).may("read", "kvv2/data/k8s-dev/foo").mayNot("update", "kvv2/data/other");
        }
        // The reviewer the setup made, bound to system:auth-delegator, and the config Vault holds.
        JsonNode config = new ObjectMapper().readTree(environment.root().api().logical()
                .read("auth/kubernetes/config").getRestResponse().getBody()).path("data");
        assertThat(config.path("kubernetes_host").asText()).isEqualTo(environment.apiServerUrl());
        assertThat(config.path("disable_local_ca_jwt").asBoolean()).isTrue();
    }

    private static JsonNode lookupSelf(VaultSession session) throws Exception {
        return new ObjectMapper().readTree(session.api().logical().read("auth/token/lookup-self").getRestResponse()
                .getBody()).path("data");
    }

    @TestFactory
    Stream<DynamicTest> policyMatrixAgainstBothMethods(TrustEnvironment environment) {
        return PolicyMatrix.parse("both-methods matrix", """
                role,               path,                      capability, expected
                k8s-dev,            kvv2/data/k8s-dev/foo,     read,       allow
                k8s-dev,            kvv2/data/k8s-dev/foo,     create,     allow
                k8s-dev,            kvv2/metadata/k8s-dev/,    list,       allow
                k8s-dev,            kvv2/data/other,           update,     deny
                k8s-dev,            sys/policies/acl/x,        read,       deny
                k8s-dev-kubernetes, kvv2/data/k8s-dev/foo,     read,       allow
                k8s-dev-kubernetes, kvv2/data/k8s-dev/foo,     create,     allow
                k8s-dev-kubernetes, kvv2/metadata/k8s-dev/,    list,       allow
                k8s-dev-kubernetes, kvv2/data/other,           update,     deny
                k8s-dev-kubernetes, sys/policies/acl/x,        read,       deny
                """).tests(environment);
    }

    @Test
    void adversarialTokensAreRejectedByBothMethods(TrustEnvironment environment) {
        AdversarialTokens.Report jwt = AdversarialTokens.against(environment, "k8s-dev").assertAllRejected();
        AdversarialTokens.Report kube = AdversarialTokens.against(environment, KUBE_ROLE).assertAllRejected();
        assertThat(jwt.summary()).isEqualTo("9 tried, 0 accepted");
        assertThat(kube.summary()).isEqualTo("9 tried, 0 accepted");
        assertThat(kube.attempts()).extracting(a -> a.token().name()).containsExactly("wrong audience",
                "another service account", "another namespace", "expired", "not yet valid", "foreign key", "alg none",
                "wrong issuer", "tampered payload");
        // Where Vault's kubernetes method only says "permission denied", the TokenReview says why.
        assertThat(kube.attempts().stream().filter(a -> a.token().name().equals("foreign key")).findFirst()
                .orElseThrow().vaultErrors()).containsExactly("permission denied");
    }

    @TestFactory
    Stream<DynamicTest> adversarialTokensOneTestPerCaseForTheKubernetesRole(TrustEnvironment environment) {
        return AdversarialTokens.against(environment, KUBE_ROLE).tests();
    }

    @Test
    void theMethodsDifferWhereTheComparisonSays(TrustEnvironment environment) throws IOException {
        AuthMethodComparison.Report report = AuthMethodComparison.run(environment);
        Path table = Path.of("target", "auth-method-differences.md");
        Files.writeString(table, report.toMarkdown(), StandardCharsets.UTF_8);
        System.out.println(report.toMarkdown());
        report.assertAsExpected();
        assertThat(report.get("service account deleted").differs()).isTrue();
        assertThat(report.get("pod deleted").differs()).isTrue();
        assertThat(report.get("wrong audience, role sets none").differs()).isTrue();
        assertThat(report.get("another cluster's key").differs()).isFalse();
        assertThat(report.get("another cluster's key").jwt().reason()).contains("failed to verify id token signature");
        assertThat(report.get("another cluster's key").kubernetes().reason()).contains("permission denied")
                .contains("error in cryptographic primitive");
    }

    @Test
    void rejectedKubernetesLoginSpellsOutTheMismatchAndTheTokenReview(TrustEnvironment environment) {
        ServiceAccountJwt other = environment.mintToken("default", "projected", "vault-dev");
        VaultLoginException e = catchThrowableOfType(VaultLoginException.class,
                () -> environment.login(KUBE_ROLE, other.raw()));
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.vaultErrors()).containsExactly("service account name not authorized");
        assertThat(e.mismatches()).containsExactly("service account projected ∉ bound_service_account_names "
                + "[vault-writer]");
        assertThat(e.getMessage()).contains("auth/kubernetes/login").contains("TokenReview: authenticated as "
                + "system:serviceaccount:default:projected");
    }

    // ------------------------------------------------------------------------------------------- token files

    @Test
    void tokenFileHoldsAFreshTokenThatLogsInAndIsRewrittenAtomically(TrustEnvironment environment) throws Exception {
        Path file = Path.of("target", "it-tmp", "projected", "vault-token");
        try (ProjectedTokenFile projected = environment.projectToken(TokenFileSpec.seed().withPath(file)
                .withExpirationSeconds(600))) {
            assertThat(projected.path()).isEqualTo(file.toAbsolutePath());
            String first = Files.readString(file);
            assertThat(first).isEqualTo(projected.current().raw());
            assertThat(projected.writes()).isEqualTo(1);
            ServiceAccountJwt token = ServiceAccountJwt.parse(first);
            assertThat(token.audience()).containsExactly("vault-dev");
            assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofSeconds(600));
            // Rewritten before 80 % of its lifetime (480 s): at 474 s (1 % early).
            assertThat(projected.nextRefresh()).isBefore(token.issuedAt().plusSeconds(480).plusSeconds(2))
                    .isAfter(Instant.now().plusSeconds(400));
            try (VaultSession kube = environment.login(KUBE_ROLE, Files.readString(file));
                 VaultSession jwt = environment.login("k8s-dev", Files.readString(file))) {
                assertThat(kube.policies()).contains("k8s-dev-writer");
                assertThat(jwt.policies()).contains("k8s-dev-writer");
            }

            ServiceAccountJwt refreshed = projected.refresh();
            assertThat(Files.readString(file)).isEqualTo(refreshed.raw()).isNotEqualTo(first);
            assertThat(projected.writes()).isEqualTo(2);
            try (Stream<Path> siblings = Files.list(file.getParent())) {
                assertThat(siblings).containsExactly(file); // no temporary file left behind
            }
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void podBoundTokenFileNamesThePodAndGoesWithIt(TrustEnvironment environment) throws Exception {
        ProjectedTokenFile projected = environment.projectToken(TokenFileSpec.forServiceAccount("default", "projected")
                .withBoundPod("projected-app"));
        Path file = projected.path();
        ServiceAccountJwt token = ServiceAccountJwt.parse(Files.readString(file));
        assertThat(token.podName()).contains("projected-app");
        try (var kube = environment.newKubernetesClient()) {
            assertThat(kube.pods().inNamespace("default").withName("projected-app").get()).isNotNull();
            projected.close();
            assertThat(kube.pods().inNamespace("default").withName("projected-app").get()).isNull();
        }
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist(); // the temporary directory goes too
    }

    @Test
    void unwritableTokenFilePathIsAnErrorNamingThePath(TrustEnvironment environment) throws IOException {
        Path notADirectory = Files.writeString(Path.of("target", "it-tmp", "a-regular-file"), "x");
        Path file = notADirectory.resolve("token");
        assertThatThrownBy(() -> environment.projectToken(TokenFileSpec.seed().withPath(file)))
                .isInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("Cannot write the service-account token file " + file.toAbsolutePath());
    }

    @Test
    void kubernetesRoleIsNotAJwtRole(TrustEnvironment environment) {
        assertThatThrownBy(() -> environment.role(KUBE_ROLE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a role of the kubernetes auth method");
        assertThat(environment.kubernetesRole(KUBE_ROLE).boundServiceAccountNames()).containsExactly("vault-writer");
        assertThat(environment.authPath(AuthMethod.KUBERNETES)).isEqualTo("kubernetes");
    }
}
