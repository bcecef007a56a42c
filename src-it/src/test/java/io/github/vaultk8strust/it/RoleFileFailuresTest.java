package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.assertNothingLeft;
import static io.github.vaultk8strust.it.ItSupport.classFailure;
import static io.github.vaultk8strust.it.ItSupport.environmentDirs;
import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static io.github.vaultk8strust.it.ItSupport.liveDescendants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleDefinitionException;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.junit.JwtRole;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultPolicy;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Role files that are wrong, on both Vault versions of the compatibility matrix. Vault accepts the typos of the
 * issue without a word (1.19.5 and 1.21.0 answer a role write with 204 No Content; only a write that has something
 * else to say carries "Endpoint ignored these unrecognized parameters"), so the start must find them itself, from the
 * parameters the running Vault describes. A file that is not JSON or YAML, a missing file, and a name clash fail before
 * any server starts; they run against each version all the same, through the builder and through the annotation with
 * the version as a configuration parameter.
 */
class RoleFileFailuresTest {

    private static final String HCL = "vault/policies/reports-reader.hcl";

    @ParameterizedTest(name = "vault {0}")
    @ValueSource(strings = {"1.19", "1.21"})
    void eachTypoIsCaughtWithTheKeyMeantAndANormalisedValueIsNot(String vault) {
        Set<Long> descendants = liveDescendants();
        Set<Path> dirs = environmentDirs();

        RoleDefinitionException failure = catchThrowableOfType(RoleDefinitionException.class, () ->
                TrustEnvironment.builder().backend(Backend.LOCAL).vaultVersion(vault).vaultMode(VaultMode.DEV)
                        .authMethods(AuthMethod.JWT, AuthMethod.KUBERNETES)
                        .policyResource("reports-reader", HCL)
                        .kubernetesRole(KubernetesRoleSpec.fromResource("vault/typos/reports-audiences.json"))
                        .role(RoleSpec.fromResource("vault/typos/reports-policy.json"))
                        .role(RoleSpec.fromResource("vault/typos/reports-bound-audience.yaml"))
                        .role(RoleSpec.fromResource("vault/typos/reports-ttl-twice.json"))
                        .role(RoleSpec.fromResource("vault/roles/jwt/reports-normalised.yaml"))
                        .start().close());

        assertThat(failure).as("the start fails").isNotNull();
        assertThat(failure.problems()).containsExactlyInAnyOrder(
                "vault/typos/reports-audiences.json line 4: `audiences` is not a parameter of auth/kubernetes/role; "
                        + "did you mean `audience`? Vault ignored it: the role runs without it.",
                "vault/typos/reports-policy.json line 6: `policy` is not a parameter of auth/jwt/role; did you mean "
                        + "`policies`? (deprecated: Vault's current name is `token_policies`). Vault ignored it: the "
                        + "role runs without it.",
                "vault/typos/reports-bound-audience.yaml line 3: `bound_audience` is not a parameter of auth/jwt/role; "
                        + "did you mean `bound_audiences`? Vault ignored it: the role runs without it.",
                "vault/typos/reports-ttl-twice.json line 7: `ttl` does not read back as written: the file says \"1h\" "
                        + "(3600 s), Vault reads back 1800 (Vault takes token_ttl when both are given)");
        assertThat(failure.getMessage()).startsWith("Vault did not take 4 role(s) as written.")
                .contains("kubernetes role \"reports-audiences\" (KubernetesRoleSpec.fromResource("
                        + "\"vault/typos/reports-audiences.json\")), written to auth/kubernetes/role/reports-audiences:")
                .doesNotContain("reports-normalised");
        assertNothingLeft(descendants, dirs);
    }

    @ParameterizedTest(name = "vault {0}")
    @ValueSource(strings = {"1.19", "1.21"})
    void aFileThatIsNotJsonOrYamlIsNamedWithItsLine(String vault) {
        Set<Long> descendants = liveDescendants();
        Set<Path> dirs = environmentDirs();

        assertThatThrownBy(() -> TrustEnvironment.builder().backend(Backend.LOCAL).vaultVersion(vault)
                .role(RoleSpec.fromResource("vault/broken/reports-comma.json")).start().close())
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageStartingWith("RoleSpec.fromResource(\"vault/broken/reports-comma.json\"): "
                        + "vault/broken/reports-comma.json (file:")
                .hasMessageContaining(" line 5, column 3: not valid JSON: Unexpected character");
        EngineExecutionResults results = jupiter().configurationParameter(ConfigKeys.VAULT_VERSION_KEY, vault)
                .selectors(selectClass(BrokenYamlFixture.class)).execute();
        assertThat(classFailure(results, BrokenYamlFixture.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@VaultK8sTrust: @JwtRole(resource = \"vault/broken/reports-indent.yaml\"): "
                        + "vault/broken/reports-indent.yaml (file:")
                .hasMessageContaining(" line 3, column ").hasMessageContaining("not valid YAML");
        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertNothingLeft(descendants, dirs);
    }

    @ParameterizedTest(name = "vault {0}")
    @ValueSource(strings = {"1.19", "1.21"})
    void aMissingFileIsNamedWithWhereItWasLookedFor(String vault) {
        Set<Long> descendants = liveDescendants();
        Set<Path> dirs = environmentDirs();
        Path missing = Path.of("deploy", "vault", "roles", "reports-jwt.json");

        assertThatThrownBy(() -> TrustEnvironment.builder().backend(Backend.LOCAL).vaultVersion(vault)
                .role(RoleSpec.fromFile(missing)).start().close())
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageContaining("no file " + missing.toAbsolutePath());
        EngineExecutionResults results = jupiter().configurationParameter(ConfigKeys.VAULT_VERSION_KEY, vault)
                .selectors(selectClass(MissingResourceFixture.class)).execute();
        assertThat(classFailure(results, MissingResourceFixture.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("vault/roles/jwt/reports-jwt.jsn is not on the class path (looked in ")
                .hasMessageContaining(Path.of("target", "test-classes").toString())
                .hasMessageContaining("put the file under src/test/resources/vault/roles/jwt/reports-jwt.jsn")
                .hasMessageContaining("vault/roles/jwt/ holds reports-jwt.json, reports-normalised.yaml");
        assertNothingLeft(descendants, dirs);
    }

    @ParameterizedTest(name = "vault {0}")
    @ValueSource(strings = {"1.19", "1.21"})
    void aFileRoleNamedLikeAnAnnotationRoleIsRefusedNamingBoth(String vault) {
        Set<Long> descendants = liveDescendants();
        Set<Path> dirs = environmentDirs();

        EngineExecutionResults results = jupiter().configurationParameter(ConfigKeys.VAULT_VERSION_KEY, vault)
                .selectors(selectClass(ClashFixture.class)).execute();

        assertThat(classFailure(results, ClashFixture.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@JwtRole(resource = \"vault/roles/jwt/reports-jwt.json\") declares role "
                        + "\"reports-jwt\", as @JwtRole(name = \"reports-jwt\") does")
                .hasMessageContaining("e.g. @JwtRole(name = \"reports-jwt-2\", resource = "
                        + "\"vault/roles/jwt/reports-jwt.json\")");
        results.testEvents().assertStatistics(stats -> stats.started(0));
        assertNothingLeft(descendants, dirs);
    }

    @VaultK8sTrust(backend = Backend.LOCAL, roles = @JwtRole(resource = "vault/broken/reports-indent.yaml"))
    static class BrokenYamlFixture {
        @Test
        void neverRuns() {
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL, roles = @JwtRole(resource = "vault/roles/jwt/reports-jwt.jsn"))
    static class MissingResourceFixture {
        @Test
        void neverRuns() {
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL, policies = @VaultPolicy(name = "reports-reader", resource = HCL),
            roles = {@JwtRole(name = "reports-jwt", boundSubject = "system:serviceaccount:reports:reader",
                    boundAudiences = "vault", policies = "reports-reader"),
                    @JwtRole(resource = "vault/roles/jwt/reports-jwt.json")})
    static class ClashFixture {
        @Test
        void neverRuns() {
        }
    }
}
