package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The parameters of a role path, read from Vault's own description. The resources under {@code vault-help/} are the
 * answers of Vault 1.21.0 to {@code GET auth/<path>/role/<name>?help=1}, trimmed to the path and the request schema;
 * 1.19.5 answers the same shape.
 */
class RoleParametersTest {

    private static JsonNode help(String name) throws IOException {
        try (InputStream in = RoleParametersTest.class.getResourceAsStream("/vault-help/" + name)) {
            return VaultApi.JSON.readTree(in);
        }
    }

    @Test
    void theKubernetesRolePathsParametersComeFromTheReferencedSchema() throws IOException {
        RoleParameters parameters = RoleParameters.parse("auth/kubernetes/role",
                help("kubernetes-role-1.21.0.json")).orElseThrow();

        assertThat(parameters.path()).isEqualTo("auth/kubernetes/role");
        assertThat(parameters.names()).contains("audience", "bound_service_account_names",
                "bound_service_account_namespaces", "bound_service_account_namespace_selector", "alias_name_source",
                "token_policies", "token_ttl", "policies", "ttl").doesNotContain("audiences", "name");
        assertThat(parameters.deprecated()).containsExactly("bound_cidrs", "max_ttl", "num_uses", "period",
                "policies", "ttl");
        assertThat(parameters.pathParameters()).containsExactly("name");
        assertThat(parameters.accepts("name")).isTrue();
        assertThat(parameters.accepts("audiences")).isFalse();
    }

    @Test
    void theJwtRolePathsParameters() throws IOException {
        RoleParameters parameters = RoleParameters.parse("auth/jwt/role", help("jwt-role-1.21.0.json")).orElseThrow();

        assertThat(parameters.names()).contains("bound_audiences", "bound_subject", "bound_claims", "claim_mappings",
                "role_type", "user_claim", "policies", "token_policies").doesNotContain("policy", "bound_audience");
    }

    @Test
    void anInlineSchemaIsReadToo() throws IOException {
        JsonNode inline = VaultApi.JSON.readTree("""
                {"openapi": {"paths": {"/role/{name}": {
                  "parameters": [{"name": "name", "in": "path"}],
                  "post": {"requestBody": {"content": {"application/json": {"schema": {"properties": {
                    "audience": {"type": "string"}, "policies": {"type": "array", "deprecated": true}}}}}}}}}}}
                """);

        RoleParameters parameters = RoleParameters.parse("auth/k/role", inline).orElseThrow();

        assertThat(parameters.names()).containsExactly("audience", "policies");
        assertThat(parameters.deprecated()).containsExactly("policies");
    }

    @Test
    void anAnswerWithoutADescriptionGivesNothing() throws IOException {
        assertThat(RoleParameters.parse("auth/k/role", VaultApi.JSON.readTree("{\"help\": \"text only\"}")))
                .isEqualTo(Optional.empty());
        assertThat(RoleParameters.parse("auth/k/role", VaultApi.JSON.readTree(
                "{\"openapi\": {\"paths\": {\"/role/{name}\": {\"post\": {}}}}}"))).isEmpty();
    }
}
