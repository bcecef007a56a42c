package io.github.vaultk8strust.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fetch what {@link LoginDiagnosis} compares against: the role as Vault reports it and the cluster's keys. */
final class LoginDiagnostics {

    private LoginDiagnostics() {
    }

    /**
     * The role as read from Vault: its binding, or null with {@code readFailure} null when Vault says it does not
     * exist (404), or null with the reason when the read itself failed (then nothing is known about the role).
     */
    record RoleLookup(LoginDiagnosis.Binding binding, String readFailure) {
    }

    /** Read the role and the auth method's {@code bound_issuer} with an administrator token. */
    static RoleLookup lookup(VaultApi admin, String authPath, String role) {
        VaultApi.Answer answer = VaultApi.read(admin, "auth/" + authPath + "/role/" + role);
        if (answer.status() == 404) {
            return new RoleLookup(null, null);
        }
        if (!answer.ok()) {
            return new RoleLookup(null, (answer.status() == 0 ? "no answer" : "HTTP " + answer.status()) + ": "
                    + String.join("; ", answer.errors()));
        }
        return new RoleLookup(binding(admin, authPath, answer), null);
    }

    private static LoginDiagnosis.Binding binding(VaultApi admin, String authPath, VaultApi.Answer answer) {
        JsonNode data = answer.body().path("data");
        Map<String, List<String>> claims = new LinkedHashMap<>();
        data.path("bound_claims").properties().forEach(e -> claims.put(e.getKey(), strings(e.getValue())));
        String issuer = VaultApi.read(admin, "auth/" + authPath + "/config").body().path("data").path("bound_issuer")
                .asText("");
        return new LoginDiagnosis.Binding(data.path("bound_subject").asText(""), strings(data.path("bound_audiences")),
                claims, data.path("bound_claims_type").asText("string"), issuer);
    }

    /** Read {@code /openid/v1/jwks}; null when it cannot be read (the diagnosis then skips the signature). */
    static JWKSet clusterKeys(KubernetesClient kube) {
        try {
            String raw = kube.raw("/openid/v1/jwks");
            return raw == null ? null : JWKSet.parse(raw);
        } catch (RuntimeException | java.text.ParseException e) {
            return null;
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> values.add(v.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            values.add(node.asText());
        }
        return values;
    }
}
