package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesLoginDiagnosisTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final KubernetesLoginDiagnosis.Review OK = new KubernetesLoginDiagnosis.Review(true, true,
            "system:serviceaccount:apps:reader", List.of("vault"), "");
    private static final KubernetesLoginDiagnosis.Reviewer ALLOWED = new KubernetesLoginDiagnosis.Reviewer(
            "system:serviceaccount:vault-k8s-trust-system:vault-token-reviewer", true, true, "b", "");

    private static String token(String namespace, String name, String audience, Instant exp) {
        return new PlainJWT(new JWTClaimsSet.Builder().subject("system:serviceaccount:" + namespace + ":" + name)
                .audience(audience).issueTime(Date.from(NOW.minusSeconds(60))).expirationTime(Date.from(exp))
                .claim("kubernetes.io", Map.of("namespace", namespace, "serviceaccount", Map.of("name", name,
                        "uid", "u-1"))).build()).serialize();
    }

    private static KubernetesLoginDiagnosis.Binding binding(String audience, String names, String namespaces) {
        return new KubernetesLoginDiagnosis.Binding(List.of(names.split(",")), List.of(namespaces.split(",")),
                audience, "serviceaccount_uid");
    }

    @Test
    void matchingTokenHasNoMismatch() {
        var result = KubernetesLoginDiagnosis.diagnose(token("apps", "reader", "vault", NOW.plusSeconds(600)),
                binding("vault", "reader", "apps"), OK, ALLOWED, null, NOW);
        assertThat(result.mismatches()).isEmpty();
        assertThat(result.review()).isEqualTo("authenticated as system:serviceaccount:apps:reader (audiences asked "
                + "[vault])");
    }

    @Test
    void spellsOutNameNamespaceAudienceAndExpiry() {
        var result = KubernetesLoginDiagnosis.diagnose(token("other", "writer", "api", NOW.minusSeconds(1)),
                binding("vault", "reader,app-*", "apps"), OK, ALLOWED, null, NOW);
        assertThat(result.mismatches()).containsExactly(
                "service account writer ∉ bound_service_account_names [reader, app-*]",
                "namespace other ∉ bound_service_account_namespaces [apps]",
                "aud [api] ≠ audience vault",
                "exp 2026-06-01T11:59:59Z is in the past (now 2026-06-01T12:00:00Z): the token is expired");
    }

    @Test
    void globsAndStarMatchAsVaultDoes() {
        var result = KubernetesLoginDiagnosis.diagnose(token("apps-eu", "app-web", "anything", NOW.plusSeconds(60)),
                binding("", "app-*", "*"), OK, ALLOWED, null, NOW);
        assertThat(result.mismatches()).isEmpty(); // no audience on the role: any is accepted
        assertThat(result.role()).contains("audience=(none)");
    }

    @Test
    void tokenReviewRefusalAndMissingReviewerBindingAreNamed() {
        var refused = new KubernetesLoginDiagnosis.Review(true, false, "", List.of("vault"),
                "[invalid bearer token, service account token has been invalidated]");
        var denied = new KubernetesLoginDiagnosis.Reviewer("system:serviceaccount:ns:rev", true, false,
                "vault-k8s-trust-token-reviewer", "");
        var result = KubernetesLoginDiagnosis.diagnose(token("apps", "reader", "vault", NOW.plusSeconds(600)),
                binding("vault", "reader", "apps"), refused, denied, null, NOW);
        assertThat(result.mismatches()).containsExactly(
                "the token reviewer system:serviceaccount:ns:rev may not create tokenreviews.authentication.k8s.io: "
                        + "missing ClusterRoleBinding vault-k8s-trust-token-reviewer of ClusterRole "
                        + "system:auth-delegator to system:serviceaccount:ns:rev",
                "TokenReview: the API server does not accept the token: [invalid bearer token, service account token "
                        + "has been invalidated]");
    }

    @Test
    void unknownRoleAndNonJwtAreSaidPlainly() {
        assertThat(KubernetesLoginDiagnosis.diagnose("not-a-jwt", null, OK, null, null, NOW).mismatches())
                .singleElement().asString().startsWith("the token is not a JWT");
        assertThat(KubernetesLoginDiagnosis.diagnose(token("a", "b", "c", NOW.plusSeconds(60)), null, OK, null, null,
                NOW).mismatches()).containsExactly("the role does not exist in Vault");
    }
}
