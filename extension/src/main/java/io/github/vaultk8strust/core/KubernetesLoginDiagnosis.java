package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Explain a rejected login at a {@code kubernetes} auth method. Vault answers most refusals with a bare
 * {@code permission denied} (the TokenReview's reason is only in its debug log), so this compares what Vault compares,
 * on this side: the token's service account and namespace with the role's bindings, its audience with the role's,
 * the API server's own TokenReview verdict on the token, and whether the token reviewer may call TokenReview at all
 * ({@code system:auth-delegator}). Pure logic: {@link KubernetesLoginDiagnostics} asks the servers.
 */
@API(status = INTERNAL, since = "0.1")
public final class KubernetesLoginDiagnosis {

    /** What a kubernetes role binds, as Vault reports it; {@code audience} is empty when the role sets none. */
    public record Binding(List<String> boundServiceAccountNames, List<String> boundServiceAccountNamespaces,
                          String audience, String aliasNameSource) {

        public Binding {
            boundServiceAccountNames = List.copyOf(boundServiceAccountNames);
            boundServiceAccountNamespaces = List.copyOf(boundServiceAccountNamespaces);
            audience = Objects.requireNonNullElse(audience, "");
            aliasNameSource = Objects.requireNonNullElse(aliasNameSource, "");
        }

        String describe() {
            return "bound_service_account_names=" + boundServiceAccountNames + ", bound_service_account_namespaces="
                    + boundServiceAccountNamespaces + ", audience=" + (audience.isEmpty() ? "(none)" : audience)
                    + (aliasNameSource.isEmpty() ? "" : ", alias_name_source=" + aliasNameSource);
        }
    }

    /**
     * The API server's TokenReview of the token, asked for {@code audiences} (what Vault asks: the role's audience,
     * or the token's own when the role sets none); {@code error} is the API server's reason when not authenticated,
     * or why the review could not be made.
     */
    public record Review(boolean done, boolean authenticated, String username, List<String> audiences, String error) {

        public Review {
            audiences = List.copyOf(audiences);
            username = Objects.requireNonNullElse(username, "");
            error = Objects.requireNonNullElse(error, "");
        }

        String describe() {
            if (!done) {
                return "not made (" + error + ")";
            }
            return (authenticated ? "authenticated as " + username : "NOT authenticated" + (error.isEmpty() ? ""
                    : ": " + error)) + " (audiences asked " + audiences + ")";
        }
    }

    /**
     * Whether the identity Vault calls TokenReview with ({@code reviewer}: the reviewer service account, or the
     * logging-in service account in client-token mode) may create {@code tokenreviews}; {@code binding} is the
     * ClusterRoleBinding that should grant it.
     */
    public record Reviewer(String reviewer, boolean known, boolean allowed, String binding, String detail) {

        public Reviewer {
            detail = Objects.requireNonNullElse(detail, "");
        }
    }

    /** The comparison: token, role, TokenReview and reviewer lines, and the mismatches found. */
    public record Result(String token, String role, String review, List<String> mismatches) {

        public Result {
            mismatches = List.copyOf(mismatches);
        }
    }

    private KubernetesLoginDiagnosis() {
    }

    /**
     * Compare.
     *
     * @param binding the role as Vault reports it, or {@code null} when the role does not exist
     * @param review the TokenReview result
     * @param reviewer the reviewer's permission, or {@code null} when it could not be checked
     * @param asCredential in client-token mode, the TokenReview of the token for the API server's own audiences
     *                     (Vault calls TokenReview with it); {@code null} otherwise
     */
    public static Result diagnose(String rawJwt, Binding binding, Review review, Reviewer reviewer,
                                  Review asCredential, Instant now) {
        List<String> mismatches = new ArrayList<>();
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(rawJwt.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            mismatches.add("the token is not a JWT (" + e.getMessage() + ")");
            return new Result("not a JWT", binding == null ? "(none)" : binding.describe(), review.describe(),
                    mismatches);
        }
        String token = LoginDiagnosis.describe(jwt, claims);
        if (binding == null) {
            mismatches.add("the role does not exist in Vault");
            return new Result(token, "(none)", review.describe(), mismatches);
        }
        if (reviewer != null && reviewer.known() && !reviewer.allowed()) {
            mismatches.add("the token reviewer " + reviewer.reviewer() + " may not create "
                    + "tokenreviews.authentication.k8s.io: missing ClusterRoleBinding " + reviewer.binding()
                    + " of ClusterRole system:auth-delegator to " + reviewer.reviewer()
                    + (reviewer.detail().isEmpty() ? "" : " (" + reviewer.detail() + ")"));
        }
        if (asCredential != null && asCredential.done() && !asCredential.authenticated()) {
            mismatches.add("client-token mode: Vault calls TokenReview with this token itself, and the API server "
                    + "does not accept it as a credential (aud " + claims.getAudience() + " lacks the API server's "
                    + "audience" + (asCredential.error().isEmpty() ? "" : ": " + asCredential.error()) + "); mint "
                    + "it for the API server's audience too, or use a reviewer service account");
        }
        String namespace = namespace(claims);
        String name = serviceAccountName(claims);
        if (name == null || namespace == null) {
            mismatches.add("the token carries no service account (kubernetes.io claim): not a Kubernetes "
                    + "service-account token");
        } else {
            if (!matchesAny(binding.boundServiceAccountNames(), name)) {
                mismatches.add("service account " + name + " ∉ bound_service_account_names "
                        + binding.boundServiceAccountNames());
            }
            if (!matchesAny(binding.boundServiceAccountNamespaces(), namespace)) {
                mismatches.add("namespace " + namespace + " ∉ bound_service_account_namespaces "
                        + binding.boundServiceAccountNamespaces());
            }
        }
        List<String> audience = claims.getAudience();
        if (!binding.audience().isEmpty() && !audience.contains(binding.audience())) {
            mismatches.add("aud " + audience + " ≠ audience " + binding.audience());
        }
        LoginDiagnosis.timeMismatches(claims, now, mismatches);
        if (review.done() && !review.authenticated()) {
            mismatches.add("TokenReview: the API server does not accept the token"
                    + (review.error().isEmpty() ? "" : ": " + review.error()));
        }
        return new Result(token, binding.describe(), review.describe(), mismatches);
    }

    /** Vault's {@code strutil.StrListContainsGlob}: {@code *} matches any run of characters. */
    static boolean matchesAny(List<String> patterns, String value) {
        return patterns.stream().anyMatch(p -> p.equals("*") || LoginDiagnosis.globMatches(p, value));
    }

    @SuppressWarnings("unchecked")
    static String namespace(JWTClaimsSet claims) {
        Object k8s = claims.getClaim("kubernetes.io");
        if (k8s instanceof Map<?, ?> map && map.get("namespace") != null) {
            return String.valueOf(map.get("namespace"));
        }
        Object legacy = claims.getClaim("kubernetes.io/serviceaccount/namespace");
        return legacy == null ? null : String.valueOf(legacy);
    }

    static String serviceAccountName(JWTClaimsSet claims) {
        Object k8s = claims.getClaim("kubernetes.io");
        if (k8s instanceof Map<?, ?> map && map.get("serviceaccount") instanceof Map<?, ?> sa && sa.get("name") != null) {
            return String.valueOf(sa.get("name"));
        }
        Object legacy = claims.getClaim("kubernetes.io/serviceaccount/service-account.name");
        return legacy == null ? null : String.valueOf(legacy);
    }
}
