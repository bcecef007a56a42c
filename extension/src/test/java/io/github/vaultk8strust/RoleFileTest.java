package io.github.vaultk8strust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading role files: JSON and YAML, the view the library reads, directories, and every way a file can be wrong. */
class RoleFileTest {

    @Test
    void aJsonRoleFileIsReadAsItIsWithTheLineOfEachKey() {
        RoleFile file = RoleFile.resource("roles/jwt/reader.json", getClass().getClassLoader());

        assertThat(file.parameters()).containsExactly(
                Map.entry("role_type", "jwt"),
                Map.entry("bound_subject", "system:serviceaccount:apps:reader"),
                Map.entry("bound_audiences", "vault, vault-dev"),
                Map.entry("user_claim", "sub"),
                Map.entry("token_policies", List.of("reader")),
                Map.entry("token_ttl", "15m"));
        assertThat(file.line("role_type")).isEqualTo(OptionalInt.of(2));
        assertThat(file.line("token_ttl")).isEqualTo(OptionalInt.of(7));
        assertThat(file.line("audience")).isEmpty();
        assertThat(file.roleName()).isEqualTo("reader");
        assertThat(file.fileName()).isEqualTo("reader.json");
        assertThat(file.describe()).isEqualTo("roles/jwt/reader.json");
        assertThat(file.where("token_ttl")).isEqualTo("roles/jwt/reader.json line 7");
        assertThat(file.classPath()).isTrue();
        assertThat(file.location()).startsWith("file:").endsWith("/roles/jwt/reader.json");
        assertThatThrownBy(() -> file.parameters().put("policies", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aLeadingSlashIsTheSameResource() {
        assertThat(RoleFile.resource("/roles/jwt/reader.json", getClass().getClassLoader()).parameters())
                .isEqualTo(RoleFile.resource("roles/jwt/reader.json", getClass().getClassLoader()).parameters());
    }

    @Test
    void theRoleSpecViewReadsTheBindingsFromTheFile() {
        RoleSpec role = RoleSpec.fromResource("roles/jwt/reader.json");

        assertThat(role.name()).isEqualTo("reader");
        assertThat(role.boundSubject()).isEqualTo("system:serviceaccount:apps:reader");
        assertThat(role.boundAudiences()).containsExactly("vault", "vault-dev"); // comma-separated, as Vault reads it
        assertThat(role.userClaim()).isEqualTo("sub");
        assertThat(role.policies()).containsExactly("reader");                 // token_policies
        assertThat(role.ttl()).isEqualTo("15m");                                // token_ttl
        assertThat(role.boundServiceAccount()).contains(new ServiceAccountSpec("apps", "reader"));
        assertThat(role.file()).hasValueSatisfying(f -> assertThat(f.fileName()).isEqualTo("reader.json"));
    }

    @Test
    void yamlWithTheSameKeysGivesTheSameKindOfRole() {
        RoleSpec role = RoleSpec.fromResource("roles/jwt/claims.yaml");

        assertThat(role.name()).isEqualTo("claims");
        assertThat(role.boundSubject()).isEmpty();
        assertThat(role.boundAudiences()).containsExactly("vault");
        assertThat(role.boundClaims()).containsExactly(
                Map.entry("/kubernetes.io/namespace", List.of("payments-*")),
                Map.entry("/kubernetes.io/serviceaccount/name", List.of("billing", "reader")));
        assertThat(role.boundClaimsType()).isEqualTo("glob");
        assertThat(role.claimMappings()).containsExactly(
                Map.entry("/kubernetes.io/serviceaccount/name", "service_account"));
        assertThat(role.policies()).containsExactly("reader");                 // the older policies
        assertThat(role.ttl()).isEqualTo("1h");                                 // the older ttl
        assertThat(role.file().orElseThrow().line("bound_claims")).isEqualTo(OptionalInt.of(6)); // after a comment
    }

    @Test
    void aKubernetesRoleFileGivesTheKubernetesView() {
        KubernetesRoleSpec role = KubernetesRoleSpec.fromResource("roles/kubernetes/reader.yml");

        assertThat(role.name()).isEqualTo("reader");
        assertThat(role.boundServiceAccountNames()).containsExactly("reader");
        assertThat(role.boundServiceAccountNamespaces()).containsExactly("apps", "apps-*");
        assertThat(role.audience()).isEqualTo("vault");
        assertThat(role.aliasNameSource()).isEqualTo(AliasNameSource.SERVICEACCOUNT_NAME);
        assertThat(role.policies()).containsExactly("reader");
        assertThat(role.ttl()).isEqualTo("900");
        assertThat(role.boundServiceAccounts()).containsExactly(new ServiceAccountSpec("apps", "reader")); // no globs
        assertThat(role.file().orElseThrow().parameters().get("token_ttl")).isEqualTo(900);
    }

    @Test
    void withNameRenamesTheRoleAndKeepsTheFile() {
        RoleSpec role = RoleSpec.fromResource("roles/jwt/reader.json").withName("reader-under-test");

        assertThat(role.name()).isEqualTo("reader-under-test");
        assertThat(role.file().orElseThrow().roleName()).isEqualTo("reader");
        assertThat(KubernetesRoleSpec.fromResource("roles/kubernetes/reader.yml").withName("k").name()).isEqualTo("k");
    }

    @Test
    void aDirectoryGivesOneRolePerRoleFileSortedByName() {
        List<RoleSpec> roles = RoleSpec.fromResourceDirectory("roles/jwt");

        assertThat(roles).extracting(RoleSpec::name).containsExactly("claims", "reader"); // README.md is skipped
        RoleFile reader = roles.get(1).file().orElseThrow();
        assertThat(reader.declared()).isEqualTo("roles/jwt");
        assertThat(reader.directoryEntry()).isEqualTo("reader.json");
        assertThat(reader.describe()).isEqualTo("roles/jwt/reader.json");
        assertThat(KubernetesRoleSpec.fromResourceDirectory("roles/kubernetes/")).extracting(KubernetesRoleSpec::name)
                .containsExactly("reader");
    }

    @Test
    void filesAndDirectoriesOfTheFileSystem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.yaml"), "bound_service_account_names: b\nbound_service_account_namespaces: n\n");
        Files.writeString(dir.resolve("a.json"), "{\"bound_service_account_names\": [\"a\"], "
                + "\"bound_service_account_namespaces\": [\"n\"], \"token_ttl\": 0.10}");
        Files.createDirectory(dir.resolve("nested.json"));

        assertThat(KubernetesRoleSpec.fromDirectory(dir)).extracting(KubernetesRoleSpec::name)
                .containsExactly("a", "b");
        KubernetesRoleSpec a = KubernetesRoleSpec.fromFile(dir.resolve("a.json"));
        assertThat(a.file().orElseThrow().classPath()).isFalse();
        assertThat(a.file().orElseThrow().location()).isEqualTo(dir.resolve("a.json").toString());
        // A number goes back to Vault exactly as written.
        assertThat(a.file().orElseThrow().parameters().get("token_ttl")).isEqualTo(new BigDecimal("0.10"));
    }

    @Test
    void aMissingResourceSaysWhereItWasLookedForAndWhatIsThere() {
        assertThatThrownBy(() -> RoleSpec.fromResource("roles/jwt/raeder.json"))
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageStartingWith("RoleSpec.fromResource(\"roles/jwt/raeder.json\"): roles/jwt/raeder.json is "
                        + "not on the class path (looked in ")
                .hasMessageContaining("test-classes")
                .hasMessageContaining("put the file under src/test/resources/roles/jwt/raeder.json")
                .hasMessageContaining("roles/jwt/ holds claims.yaml, reader.json");
    }

    @Test
    void aMissingFileNamesItsAbsolutePath() {
        Path missing = Path.of("deploy", "vault", "roles", "reader.json");

        assertThatThrownBy(() -> KubernetesRoleSpec.fromFile(missing))
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageContaining("KubernetesRoleSpec.fromFile(Path.of(\"" + missing + "\"))")
                .hasMessageContaining("no file " + missing.toAbsolutePath())
                .hasMessageContaining("relative to the working directory " + Path.of("").toAbsolutePath());
    }

    @Test
    void missingOrEmptyDirectoriesAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> RoleSpec.fromResourceDirectory("roles/nowhere"))
                .hasMessageContaining("roles/nowhere is not a directory on the class path")
                .hasMessageContaining("put the directory under src/test/resources/roles/nowhere/");
        assertThatThrownBy(() -> RoleSpec.fromDirectory(dir))
                .hasMessageContaining("holds no role file: role files end in .json, .yaml, .yml");
        assertThatThrownBy(() -> RoleSpec.fromResource("roles/jwt"))
                .hasMessageContaining("roles/jwt is a directory on the class path");
    }

    @Test
    void invalidJsonNamesTheFileAndTheLine() {
        assertThatThrownBy(() -> RoleSpec.fromResource("roles/broken/missing-comma.json"))
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageContaining("roles/broken/missing-comma.json (file:")
                .hasMessageContaining(" line 4, column 3: not valid JSON: Unexpected character ('\"' (code 34)): "
                        + "was expecting comma to separate Object entries");
    }

    @Test
    void invalidYamlNamesTheFileAndTheLine() {
        assertThatThrownBy(() -> RoleSpec.fromResource("roles/broken/unclosed.yaml"))
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageContaining("roles/broken/unclosed.yaml (file:")
                .hasMessageMatching("(?s).* line [34], column \\d+: not valid YAML: .*");
    }

    @Test
    void aFileMustHoldOneObjectWithEachKeyOnce() {
        assertThatThrownBy(() -> RoleSpec.fromResource("roles/broken/list.json"))
                .hasMessageContaining("line 1: a role file holds one JSON object of role parameters")
                .hasMessageContaining("not a list");
        assertThatThrownBy(() -> RoleSpec.fromResource("roles/broken/twice.json"))
                .hasMessageContaining("line 4, column 14: not valid JSON: Duplicate field 'role_type'");
        assertThatThrownBy(() -> RoleSpec.fromResource("roles/broken/empty.json"))
                .hasMessageContaining("roles/broken/empty.json (file:").hasMessageContaining(" is empty");
    }

    @Test
    void aYamlFileHoldsOneMappingWithEachKeyOnce(@TempDir Path dir) throws IOException {
        Path twoDocuments = Files.writeString(dir.resolve("two.yaml"), "role_type: jwt\n---\nrole_type: oidc\n");
        Path twice = Files.writeString(dir.resolve("twice.yml"), "role_type: jwt\nuser_claim: sub\nrole_type: oidc\n");

        assertThatThrownBy(() -> RoleSpec.fromFile(twoDocuments))
                .hasMessageContaining("more follows the object of role parameters");
        assertThatThrownBy(() -> RoleSpec.fromFile(twice))
                .hasMessageContaining(" line 3, column ").hasMessageContaining("not valid YAML: Duplicate field "
                        + "'role_type'");
    }

    @Test
    void aRoleFileIsJsonOrYamlByItsName(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("reader.txt"), "{}");

        assertThatThrownBy(() -> RoleSpec.fromFile(text))
                .hasMessageContaining("a role file's name ends in .json, .yaml, .yml (JSON or YAML), not \"reader.txt\"");
    }

    @Test
    void aRoleFromAFileEqualsAnotherReadOfTheSameFile() {
        // The sharing key of an environment holds its roles: equal files, equal roles.
        assertThat(RoleSpec.fromResource("roles/jwt/reader.json")).isEqualTo(RoleSpec.fromResource("roles/jwt/reader.json"))
                .isNotEqualTo(RoleSpec.fromResource("roles/jwt/claims.yaml").withName("reader"));
    }
}
