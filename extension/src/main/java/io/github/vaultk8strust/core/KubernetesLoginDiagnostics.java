package io.github.vaultk8strust.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.VaultLoginException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ask the servers what {@link KubernetesLoginDiagnosis} compares: the role as Vault reports it, the API server's
 * TokenReview of the token (made with the administrator client, for the audiences Vault asks for), and a
 * SubjectAccessReview of the token reviewer's right to create {@code tokenreviews}.
 */
final class KubernetesLoginDiagnostics {

    private KubernetesLoginDiagnostics() {
    }

    /** Build the exception for a login Vault refused at {@code path}. */
    static VaultLoginException rejected(VaultApi admin, KubernetesClient kube, TrustSettings settings, String role,
                                        String jwt, String path, VaultApi.Answer answer) {
        KubernetesLoginDiagnosis.Binding binding = binding(admin, settings.kubernetesAuthPath(), role);
        JWTClaimsSet claims = claims(jwt);
        List<String> audiences = new ArrayList<>();
        if (binding != null && !binding.audience().isEmpty()) {
            audiences.add(binding.audience());
        } else if (claims != null) {
            audiences.addAll(claims.getAudience());
        }
        KubernetesLoginDiagnosis.Review review = review(kube, jwt, audiences);
        KubernetesLoginDiagnosis.Reviewer reviewer = reviewer(kube, settings.tokenReviewer(), claims);
        // Client-token mode: Vault authenticates its TokenReview call with the login token, so the API server must
        // accept it as a credential for itself (its own audiences: ask with none).
        KubernetesLoginDiagnosis.Review asCredential = settings.tokenReviewer() == TokenReviewer.CLIENT_TOKEN
                ? review(kube, jwt, List.of()) : null;
        KubernetesLoginDiagnosis.Result diagnosis = KubernetesLoginDiagnosis.diagnose(jwt, binding, review, reviewer,
                asCredential, Instant.now());
        StringBuilder message = new StringBuilder("Vault rejected the login at ").append(path).append(" with role \"")
                .append(role).append("\" (HTTP ").append(answer.status()).append("): ")
                .append(String.join("; ", answer.errors()));
        diagnosis.mismatches().forEach(m -> message.append("\n  mismatch: ").append(m));
        if (diagnosis.mismatches().isEmpty()) {
            message.append("\n  mismatch: none found by comparing token, role and TokenReview; Vault's reason above "
                    + "is the authority");
        }
        message.append("\n  token:  ").append(diagnosis.token());
        message.append("\n  role:   ").append(diagnosis.role());
        message.append("\n  TokenReview: ").append(diagnosis.review());
        return new VaultLoginException(message.toString(), role, answer.status(), answer.errors(),
                diagnosis.mismatches(), null);
    }

    static KubernetesLoginDiagnosis.Binding binding(VaultApi admin, String authPath, String role) {
        VaultApi.Answer answer = VaultApi.read(admin, "auth/" + authPath + "/role/" + role);
        if (!answer.ok()) {
            return null;
        }
        JsonNode data = answer.body().path("data");
        return new KubernetesLoginDiagnosis.Binding(strings(data.path("bound_service_account_names")),
                strings(data.path("bound_service_account_namespaces")), data.path("audience").asText(""),
                data.path("alias_name_source").asText(""));
    }

    /** Review the token as Vault does; never throws. */
    static KubernetesLoginDiagnosis.Review review(KubernetesClient kube, String jwt, List<String> audiences) {
        try {
            TokenReview review = kube.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(jwt.trim()).withAudiences(audiences).endSpec().build());
            var status = review.getStatus();
            boolean authenticated = status != null && Boolean.TRUE.equals(status.getAuthenticated());
            String user = status == null || status.getUser() == null ? "" : status.getUser().getUsername();
            return new KubernetesLoginDiagnosis.Review(true, authenticated, user, audiences,
                    status == null ? "" : status.getError());
        } catch (KubernetesClientException e) {
            return new KubernetesLoginDiagnosis.Review(false, false, "", audiences, e.getMessage());
        }
    }

    /** Check that the identity Vault reviews tokens with may create tokenreviews; null when it cannot be told. */
    static KubernetesLoginDiagnosis.Reviewer reviewer(KubernetesClient kube, TokenReviewer mode, JWTClaimsSet claims) {
        String user;
        String binding;
        if (mode == TokenReviewer.CLIENT_TOKEN) {
            String ns = claims == null ? null : KubernetesLoginDiagnosis.namespace(claims);
            String sa = claims == null ? null : KubernetesLoginDiagnosis.serviceAccountName(claims);
            if (ns == null || sa == null) {
                return null;
            }
            user = "system:serviceaccount:" + ns + ":" + sa;
            binding = TokenReviewer.CLIENT_BINDING;
        } else {
            user = "system:serviceaccount:" + TokenReviewer.REVIEWER_NAMESPACE + ":" + TokenReviewer.REVIEWER_NAME;
            binding = TokenReviewer.REVIEWER_BINDING;
        }
        try {
            SubjectAccessReview answer = kube.authorization().v1().subjectAccessReview().create(
                    new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
                            .withGroups("system:serviceaccounts", "system:authenticated")
                            .withNewResourceAttributes().withGroup("authentication.k8s.io").withResource("tokenreviews")
                            .withVerb("create").endResourceAttributes().endSpec().build());
            boolean allowed = answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
            return new KubernetesLoginDiagnosis.Reviewer(user, true, allowed, binding,
                    answer.getStatus() == null ? "" : answer.getStatus().getReason());
        } catch (KubernetesClientException e) {
            return new KubernetesLoginDiagnosis.Reviewer(user, false, false, binding, e.getMessage());
        }
    }

    private static JWTClaimsSet claims(String jwt) {
        try {
            return JWTParser.parse(jwt.trim()).getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (!node.isMissingNode() && !node.isNull() && !node.asText().isEmpty()) {
            for (String v : node.asText().split(",")) {
                values.add(v.strip());
            }
        }
        return values;
    }
}
