package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What Vault does to a role's values on the way in is not a difference; anything else is. The read-back documents
 * below are what Vault 1.19.5 and 1.21.0 answered for the written values beside them.
 */
class RoleReadBackTest {

    private static JsonNode json(String text) throws IOException {
        return VaultApi.JSON.readTree(text);
    }

    private static Map<String, Object> written(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void vaultsNormalisationsAreNotDifferences() throws IOException {
        Map<String, Object> written = written(
                "bound_service_account_names", "a, b",          // comma-separated string to a list, trimmed
                "bound_service_account_namespaces", " ns ",     // one string to a one-element list
                "audience", "vault",
                "policies", "Admin,b,Admin",                    // lower case, repeats dropped
                "token_ttl", "30m",                             // a duration to seconds
                "max_ttl", "2h",                                // deprecated: Vault reads back token_max_ttl too
                "num_uses", "2",                                // a number as a string
                "token_no_default_policy", "true",              // a boolean as a string
                "token_bound_cidrs", List.of("127.0.0.1/32", "10.0.0.0/8", " ::1/128"), // order does not count; one
                                                                // address reads back without /32 (/128), trimmed
                "token_explicit_max_ttl", 0,                    // a zero
                "bound_service_account_namespace_selector", "");
        JsonNode read = json("""
                {"alias_name_source":"serviceaccount_uid","audience":"vault",
                 "bound_service_account_names":["a","b"],"bound_service_account_namespace_selector":"",
                 "bound_service_account_namespaces":["ns"],"max_ttl":7200,"num_uses":2,"policies":["admin","b"],
                 "token_bound_cidrs":["10.0.0.0/8","127.0.0.1","::1"],"token_explicit_max_ttl":0,"token_max_ttl":7200,
                 "token_no_default_policy":true,"token_num_uses":2,"token_policies":["admin","b"],"token_ttl":1800,
                 "token_type":"default"}
                """);

        assertThat(RoleReadBack.compare(written, read, Set.of(), true)).isEmpty();
    }

    @Test
    void jwtRoleNormalisations() throws IOException {
        Map<String, Object> written = written(
                "role_type", "jwt", "bound_subject", "s", "bound_audiences", "vault,x", "user_claim", "sub",
                "policies", "p,q", "ttl", "1h", "clock_skew_leeway", "2m", "verbose_oidc_logging", "true",
                "token_num_uses", "3", "token_bound_cidrs", "10.0.0.1",
                "bound_claims", Map.of("/a/b", "x,y", "c", List.of("d")), "claim_mappings", Map.of("a", "b"),
                "token_period", new BigDecimal("90"), "expiration_leeway", "1m", "max_age", "5m",
                "claim_mappings_absent", Map.of(), "allowed_redirect_uris", List.of());
        JsonNode read = json("""
                {"allowed_redirect_uris":null,"bound_audiences":["vault","x"],"bound_claims":{"/a/b":"x,y","c":["d"]},
                 "bound_claims_type":"string","bound_subject":"s","claim_mappings":{"a":"b"},"clock_skew_leeway":120,
                 "expiration_leeway":60,"max_age":300,"policies":["p","q"],"role_type":"jwt",
                 "token_bound_cidrs":["10.0.0.1"],"token_num_uses":3,"token_period":90,"token_policies":["p","q"],
                 "token_ttl":3600,"ttl":3600,"user_claim":"sub","verbose_oidc_logging":true}
                """);

        assertThat(RoleReadBack.compare(written, read, Set.of(), true)).isEmpty();
    }

    @Test
    void aDeprecatedKeyOverriddenByItsSuccessorIsADifference() throws IOException {
        // What Vault answers when a file sets both: token_ttl wins, and ttl reads back as token_ttl.
        Map<String, Object> written = written("ttl", "1h", "token_ttl", "30m", "policies", "a", "token_policies", "b");
        JsonNode read = json("""
                {"ttl":1800,"token_ttl":1800,"policies":["b"],"token_policies":["b"]}
                """);

        List<RoleReadBack.Difference> differences = RoleReadBack.compare(written, read, Set.of(), true);

        assertThat(differences).extracting(RoleReadBack.Difference::key).containsExactly("ttl", "policies");
        assertThat(differences.get(0).message()).isEqualTo("the file says \"1h\" (3600 s), Vault reads back 1800 "
                + "(Vault takes token_ttl when both are given)");
        assertThat(differences.get(1).message()).isEqualTo("the file says \"a\", Vault reads back [\"b\"] (Vault "
                + "takes token_policies when both are given)");
    }

    @Test
    void otherDifferencesAreReportedKeyByKey() throws IOException {
        Map<String, Object> written = written("audience", "vault", "token_type", "Service", "bound_claims",
                Map.of("a", "b"), "token_ttl", "soon", "user_claim", List.of("sub"), "token_no_default_policy", "yes",
                "bound_service_account_names", Map.of("a", "b"), "token_num_uses", "3");
        JsonNode read = json("""
                {"token_type":"service","bound_claims":{"a":"b","c":"d"},"token_ttl":0,"user_claim":"sub",
                 "token_no_default_policy":false,"bound_service_account_names":["a"],"token_num_uses":2}
                """);

        assertThat(RoleReadBack.compare(written, read, Set.of("user_claim"), false))
                .extracting(RoleReadBack.Difference::key).containsExactly("audience", "token_type", "bound_claims",
                        "token_ttl", "token_no_default_policy", "bound_service_account_names", "token_num_uses");
        assertThat(RoleReadBack.compare(written("audience", "vault"), read, Set.of(), false).get(0).message())
                .isEqualTo("written as \"vault\", Vault reads back nothing");
    }

    @Test
    void aCidrKeepsItsHostBits() throws IOException {
        // What Vault 1.19.5 and 1.21.0 answer for ["10.1.2.3/8", "10.0.0.0/24"]: only /32 and /128 are dropped.
        JsonNode read = json("{\"token_bound_cidrs\":[\"10.1.2.3/8\",\"10.0.0.0/24\"]}");

        assertThat(RoleReadBack.compare(written("token_bound_cidrs", "10.1.2.3/8, 10.0.0.0/24"), read, Set.of(), true))
                .isEmpty();
        assertThat(RoleReadBack.compare(written("token_bound_cidrs", "10.0.0.0/8, 10.0.0.0/24"), read, Set.of(), true))
                .hasSize(1);
    }

    @Test
    void aDeprecatedKeyReadBackOnlyAsItsSuccessorIsComparedWithIt() throws IOException {
        JsonNode read = json("{\"token_bound_cidrs\":[\"10.0.0.0/8\"],\"token_num_uses\":2}");

        assertThat(RoleReadBack.compare(written("bound_cidrs", "10.0.0.0/8", "num_uses", 2), read, Set.of(), true))
                .isEmpty();
        assertThat(RoleReadBack.compare(written("num_uses", 3), read, Set.of(), true).get(0).message())
                .isEqualTo("the file says 3, Vault reads back 2 as token_num_uses");
    }

    @Test
    void durationsAsVaultParsesThem() {
        assertThat(RoleReadBack.seconds("3600")).isEqualTo(OptionalLong.of(3600));
        assertThat(RoleReadBack.seconds("1h")).isEqualTo(OptionalLong.of(3600));
        assertThat(RoleReadBack.seconds("1h30m")).isEqualTo(OptionalLong.of(5400));
        assertThat(RoleReadBack.seconds("1.5h")).isEqualTo(OptionalLong.of(5400));
        assertThat(RoleReadBack.seconds("90s")).isEqualTo(OptionalLong.of(90));
        assertThat(RoleReadBack.seconds("1500ms")).isEqualTo(OptionalLong.of(1));
        assertThat(RoleReadBack.seconds("7d")).isEqualTo(OptionalLong.of(604_800));
        assertThat(RoleReadBack.seconds("1 hour")).isEmpty();
        assertThat(RoleReadBack.seconds("h")).isEmpty();
    }
}
