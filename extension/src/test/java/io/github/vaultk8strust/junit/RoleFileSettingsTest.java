package io.github.vaultk8strust.junit;

import static io.github.vaultk8strust.AuthMethod.JWT;
import static io.github.vaultk8strust.AuthMethod.KUBERNETES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.SettingsResolver;
import io.github.vaultk8strust.core.TrustSettings;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Roles from files in the settings: {@code @JwtRole(resource = ...)}, {@code @KubernetesRole(directory = ...)} and
 * their builder forms, what they add (service accounts), and each misuse refused before anything starts, naming the
 * file and the other party of a clash.
 */
class RoleFileSettingsTest {

    private TrustSettings resolve(Class<?> fixture) {
        return VaultK8sTrustExtension.resolve(fixture.getAnnotation(VaultK8sTrust.class), false, key -> Optional.empty(),
                key -> null, getClass().getClassLoader());
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertMisuse(Class<?> fixture) {
        return assertThatThrownBy(() -> resolve(fixture)).isInstanceOf(ExtensionConfigurationException.class);
    }

    private static TrustSettings resolve(TrustEnvironmentBuilder builder) {
        return new SettingsResolver(k -> null, Backends.installed()).resolve(builder.request());
    }

    // ---------------------------------------------------------------- what a file role brings

    @VaultK8sTrust(authMethods = {JWT, KUBERNETES}, policies = @VaultPolicy(name = "reader", hcl = "path \"a\" {}"),
            roles = {@JwtRole(name = "jwt-reader", resource = "roles/jwt/reader.json"),
                    @JwtRole(resource = "roles/jwt/claims.yaml")},
            kubernetesRoles = @KubernetesRole(directory = "roles/kubernetes"))
    static class FileRoles {
    }

    @Test
    void fileRolesJoinTheSeedsAndBringTheirServiceAccounts() {
        TrustSettings settings = resolve(FileRoles.class);

        assertThat(settings.roles()).extracting(RoleSpec::name).containsExactly("k8s-dev", "jwt-reader", "claims");
        assertThat(settings.role("jwt-reader").orElseThrow().file().orElseThrow().roleName()).isEqualTo("reader");
        assertThat(settings.role("claims").orElseThrow().file()).isPresent();
        assertThat(settings.kubernetesRoles()).extracting(KubernetesRoleSpec::name)
                .containsExactly("k8s-dev-kubernetes", "reader");
        assertThat(settings.kubernetesRole("reader").orElseThrow().file().orElseThrow().directoryEntry())
                .isEqualTo("reader.yml");
        assertThat(settings.serviceAccounts()).contains(new ServiceAccountSpec("apps", "reader"));
        assertThat(settings.namespaces()).contains("apps");
    }

    // ---------------------------------------------------------------- clashes, named on both sides

    @VaultK8sTrust(policies = @VaultPolicy(name = "reader", hcl = "path \"a\" {}"),
            roles = {@JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader", policies = "reader"),
                    @JwtRole(resource = "roles/jwt/reader.json")})
    static class ClashWithAnnotationRole {
    }

    @Test
    void aFileRoleNamedLikeAnAnnotationRoleIsRefusedNamingBoth() {
        assertMisuse(ClashWithAnnotationRole.class).hasMessage("@JwtRole(resource = \"roles/jwt/reader.json\") "
                + "declares role \"reader\", as @JwtRole(name = \"reader\") does; role names must be unique across "
                + "both auth methods (a login by role name picks the role, and its method, by name). Give one of them "
                + "another name, e.g. @JwtRole(name = \"reader-2\", resource = \"roles/jwt/reader.json\").");
    }

    @Test
    void aFileRoleNamedLikeTheSeedsIsRefusedNamingTheSeed() {
        assertThatThrownBy(() -> resolve(TrustEnvironment.builder().role(RoleSpec.fromResource("roles/jwt/reader.json")
                .withName("k8s-dev"))))
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageStartingWith("RoleSpec.fromResource(\"roles/jwt/reader.json\").withName(\"k8s-dev\") "
                        + "declares role \"k8s-dev\", which the seed scenario's jwt role \"k8s-dev\" is already called. "
                        + "Set TrustEnvironment.builder().seedScenario(false) to replace the seed's role with yours, or "
                        + "give yours another name, e.g. RoleSpec.fromResource(\"roles/jwt/reader.json\")"
                        + ".withName(\"k8s-dev-2\").");
    }

    @Test
    void aKubernetesFileRoleNamedLikeAJwtRoleIsRefusedNamingBoth() {
        assertThatThrownBy(() -> resolve(TrustEnvironment.builder().authMethods(JWT, KUBERNETES)
                .policy("reader", "path \"a\" {}")
                .role(RoleSpec.fromResource("roles/jwt/reader.json"))
                .kubernetesRoles(KubernetesRoleSpec.fromResourceDirectory("roles/kubernetes"))))
                .hasMessageStartingWith("KubernetesRoleSpec.fromResourceDirectory(\"roles/kubernetes\"): reader.yml "
                        + "declares role \"reader\", as RoleSpec.fromResource(\"roles/jwt/reader.json\") does");
    }

    // ---------------------------------------------------------------- what the library checks itself

    @VaultK8sTrust(roles = @JwtRole(resource = "roles/jwt/reader.json"))
    static class UndeclaredPolicy {
    }

    @Test
    void aPolicyTheFileNamesMustBeDeclared() {
        assertMisuse(UndeclaredPolicy.class).hasMessageStartingWith("@JwtRole(resource = \"roles/jwt/reader.json\"): "
                + "token_policies (line 6) names policy \"reader\", but no policy of that name is declared; declared "
                + "policies: [k8s-dev-writer]");
    }

    // ---------------------------------------------------------------- annotation misuse

    @VaultK8sTrust(roles = @JwtRole(resource = "roles/jwt/reader.json", ttl = "15m", boundSubject = "x"))
    static class FileAndAttributes {
    }

    @Test
    void aFileRoleTakesNoOtherAttributes() {
        assertMisuse(FileAndAttributes.class).hasMessage("@VaultK8sTrust: @JwtRole(resource = "
                + "\"roles/jwt/reader.json\"): boundSubject, ttl are set too, but a role from a file takes everything "
                + "from the file (it is sent to Vault as it is); put it in the file, or declare the role attribute by "
                + "attribute");
    }

    @VaultK8sTrust(authMethods = KUBERNETES, kubernetesRoles = @KubernetesRole(name = "x", directory = "roles/kubernetes"))
    static class DirectoryWithName {
    }

    @VaultK8sTrust(roles = @JwtRole(resource = "roles/jwt/reader.json", directory = "roles/jwt"))
    static class ResourceAndDirectory {
    }

    @Test
    void aDirectoryTakesNoNameAndNotBothKinds() {
        assertMisuse(DirectoryWithName.class).hasMessageContaining("@KubernetesRole(directory = \"roles/kubernetes\"): "
                + "name = \"x\" is not allowed with directory: each role is named after its file");
        assertMisuse(ResourceAndDirectory.class).hasMessageContaining("give one of resource (a role file) or "
                + "directory (a directory of role files), not both");
    }

    @VaultK8sTrust(roles = @JwtRole(resource = "roles/broken/missing-comma.json"))
    static class InvalidJson {
    }

    @VaultK8sTrust(roles = @JwtRole(resource = "roles/jwt/missing.json"))
    static class MissingResource {
    }

    @Test
    void anInvalidOrMissingFileFailsTheClassNamingTheFile() {
        assertMisuse(InvalidJson.class).hasMessageStartingWith("@VaultK8sTrust: @JwtRole(resource = "
                + "\"roles/broken/missing-comma.json\"): roles/broken/missing-comma.json (file:")
                .hasMessageContaining("line 4, column 3: not valid JSON");
        assertMisuse(MissingResource.class).hasMessageStartingWith("@VaultK8sTrust: @JwtRole(resource = "
                + "\"roles/jwt/missing.json\"): roles/jwt/missing.json is not on the class path (looked in ")
                .hasMessageContaining("roles/jwt/ holds claims.yaml, reader.json");
    }

    @Test
    void aRoleNameFromAFileNameMustBeAValidName() {
        assertThatThrownBy(() -> resolve(TrustEnvironment.builder().role(RoleSpec.fromResource("roles/jwt/reader.json")
                .withName("my reader"))))
                .hasMessageStartingWith("RoleSpec.fromResource(\"roles/jwt/reader.json\").withName(\"my reader\"): role "
                        + "name \"my reader\" is not a valid name");
    }

    @Test
    void theFileRolesOwnParametersAreNotJudgedHereButByVault() {
        // A file role without bound_audiences would be misuse as @JwtRole; from a file, Vault decides (and the setup
        // reads it back).
        TrustSettings settings = resolve(TrustEnvironment.builder().policy("reader", "path \"a\" {}")
                .role(RoleSpec.fromResource("roles/jwt/reader.json")));

        assertThat(settings.role("reader").orElseThrow().file().orElseThrow().parameters())
                .containsEntry("token_ttl", "15m").doesNotContainKey("ttl");
        assertThat(Map.copyOf(settings.role("reader").orElseThrow().file().orElseThrow().parameters())).hasSize(6);
    }
}
