package io.github.vaultk8strust.junit;

import static io.github.vaultk8strust.AuthMethod.JWT;
import static io.github.vaultk8strust.AuthMethod.KUBERNETES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.AliasNameSource;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.SettingsResolver;
import io.github.vaultk8strust.core.TrustSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The {@code kubernetes} auth method's settings: methods, paths, reviewer, roles, and each bad input as an error. */
class KubernetesAuthSettingsTest {

    private final Map<String, String> config = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private TrustSettings resolve(Class<?> fixture) {
        return VaultK8sTrustExtension.resolve(fixture.getAnnotation(VaultK8sTrust.class), false,
                key -> Optional.ofNullable(config.get(key)), env::get, getClass().getClassLoader());
    }

    @VaultK8sTrust
    static class Defaults {
    }

    @Test
    void jwtAloneByDefault() {
        TrustSettings settings = resolve(Defaults.class);
        assertThat(settings.authMethods()).containsExactly(JWT);
        assertThat(settings.kubernetesRoles()).isEmpty();
        assertThat(settings.kubernetesAuthPath()).isEqualTo("kubernetes");
        assertThat(settings.tokenReviewer()).isEqualTo(TokenReviewer.REVIEWER_SERVICE_ACCOUNT);
    }

    @VaultK8sTrust(authMethods = {JWT, KUBERNETES})
    static class Both {
    }

    @Test
    void bothMethodsGiveTheSeedAKubernetesRoleBesideTheJwtOne() {
        TrustSettings settings = resolve(Both.class);
        assertThat(settings.authMethods()).containsExactly(JWT, KUBERNETES);
        assertThat(settings.roles()).extracting(r -> r.name()).containsExactly("k8s-dev");
        assertThat(settings.kubernetesRoles()).containsExactly(new KubernetesRoleSpec("k8s-dev-kubernetes",
                List.of("vault-writer"), List.of("default"), "vault-dev", AliasNameSource.SERVICEACCOUNT_UID,
                List.of("k8s-dev-writer"), "1h"));
        assertThat(settings.authMethod("k8s-dev-kubernetes")).contains(KUBERNETES);
        assertThat(settings.authMethod("k8s-dev")).contains(JWT);
        assertThat(settings.key()).isNotEqualTo(resolve(Defaults.class).key());
    }

    @VaultK8sTrust(authMethods = KUBERNETES, tokenReviewer = TokenReviewer.CLIENT_TOKEN,
            kubernetesRoles = @KubernetesRole(name = "apps", boundServiceAccountNames = {"reader", "writer"},
                    boundServiceAccountNamespaces = "apps", audience = "", aliasNameSource =
                    AliasNameSource.SERVICEACCOUNT_NAME, policies = "k8s-dev-writer", ttl = "15m"))
    static class KubernetesOnly {
    }

    @Test
    void kubernetesAloneNamesTheSeedRoleK8sDevAndCreatesTheBoundServiceAccounts() {
        TrustSettings settings = resolve(KubernetesOnly.class);
        assertThat(settings.roles()).isEmpty();
        assertThat(settings.kubernetesRoles()).extracting(KubernetesRoleSpec::name).containsExactly("k8s-dev", "apps");
        assertThat(settings.tokenReviewer()).isEqualTo(TokenReviewer.CLIENT_TOKEN);
        assertThat(settings.serviceAccounts()).contains(new ServiceAccountSpec("apps", "reader"),
                new ServiceAccountSpec("apps", "writer"), new ServiceAccountSpec("default", "vault-writer"));
        assertThat(settings.namespaces()).contains("apps");
        assertThat(settings.kubernetesRole("apps").orElseThrow().audience()).isEmpty();
    }

    @Test
    void configurationKeysChooseMethodsPathAndReviewer() {
        config.put("vaultk8s.auth.methods", "kubernetes, jwt");
        config.put("vaultk8s.auth.kubernetes.path", "k8s/cluster-a");
        config.put("vaultk8s.auth.kubernetes.token-reviewer", "client-token");
        TrustSettings settings = resolve(Defaults.class);
        assertThat(settings.authMethods()).containsExactly(JWT, KUBERNETES);
        assertThat(settings.kubernetesAuthPath()).isEqualTo("k8s/cluster-a");
        assertThat(settings.tokenReviewer()).isEqualTo(TokenReviewer.CLIENT_TOKEN);
    }

    @Test
    void unknownMethodInConfigurationIsNamed() {
        env.put("VAULTK8S_AUTH_METHODS", "jwt,ldap");
        assertThatThrownBy(() -> resolve(Defaults.class)).hasMessageContaining("Environment variable VAULTK8S_AUTH_METHODS = \"jwt,ldap\"")
                .hasMessageContaining("\"ldap\"").hasMessageContaining("accepted: jwt, kubernetes");
    }

    // ------------------------------------------------------------------------------------------- bad input

    @VaultK8sTrust(authMethods = {JWT, KUBERNETES}, kubernetesRoles = @KubernetesRole(name = "nobody",
            boundServiceAccountNamespaces = "default", policies = "k8s-dev-writer"))
    static class NoBoundNames {
    }

    @Test
    void roleWithoutBoundServiceAccountNamesIsAnErrorNamingTheAttribute() {
        assertThatThrownBy(() -> resolve(NoBoundNames.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@KubernetesRole(name = \"nobody\")")
                .hasMessageContaining("boundServiceAccountNames = {}")
                .hasMessageContaining("must list at least one non-empty value");
    }

    @VaultK8sTrust(authMethods = KUBERNETES, kubernetesRoles = @KubernetesRole(name = "nowhere",
            boundServiceAccountNames = "reader"))
    static class NoBoundNamespaces {
    }

    @Test
    void roleWithoutBoundNamespacesIsAnErrorNamingTheAttribute() {
        assertThatThrownBy(() -> resolve(NoBoundNamespaces.class))
                .hasMessageContaining("@KubernetesRole(name = \"nowhere\")")
                .hasMessageContaining("boundServiceAccountNamespaces = {}");
    }

    @Test
    void builderRoleWithoutBoundNamesIsAnErrorNamingTheAttributeToo() {
        assertThatThrownBy(() -> new SettingsResolver(k -> null, Backends.installed()).resolve(TrustEnvironment
                .builder().authMethods(KUBERNETES).kubernetesRole(KubernetesRoleSpec.builder("r")
                        .boundServiceAccountNamespaces("default").build()).request()))
                .isInstanceOf(VaultK8sTrustConfigurationException.class)
                .hasMessageStartingWith("KubernetesRoleSpec.builder(\"r\").boundServiceAccountNames() must list at least one")
                .hasMessageContaining("boundServiceAccountNames");
    }

    @VaultK8sTrust(authMethods = KUBERNETES, kubernetesRoles = @KubernetesRole(name = "mixed",
            boundServiceAccountNames = {"*", "reader"}, boundServiceAccountNamespaces = "default"))
    static class MixedWildcard {
    }

    @Test
    void starMixedWithNamesIsAnError() {
        assertThatThrownBy(() -> resolve(MixedWildcard.class)).hasMessageContaining("mixes \"*\" with other values");
    }

    @VaultK8sTrust(authMethods = {JWT, KUBERNETES}, authPath = "k8s", kubernetesAuthPath = "k8s")
    static class SamePath {
    }

    @Test
    void bothMethodsAtTheSamePathIsAnError() {
        assertThatThrownBy(() -> resolve(SamePath.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@VaultK8sTrust(authPath = \"k8s\") (jwt) and @VaultK8sTrust(kubernetesAuthPath = \"k8s\") (kubernetes) are the same path");
    }

    @Test
    void bothMethodsAtTheSamePathThroughConfigurationIsAnErrorToo() {
        config.put("vaultk8s.auth.methods", "jwt,kubernetes");
        config.put("vaultk8s.auth.kubernetes.path", "jwt");
        assertThatThrownBy(() -> resolve(Defaults.class)).hasMessageContaining("@VaultK8sTrust(authPath = \"jwt\") (jwt) and Configuration parameter vaultk8s.auth.kubernetes.path = \"jwt\" (kubernetes) are the same path");
    }

    @VaultK8sTrust(authMethods = {JWT, KUBERNETES}, kubernetesRoles = @KubernetesRole(name = "k8s-dev",
            boundServiceAccountNames = "vault-writer", boundServiceAccountNamespaces = "default"))
    static class SameNameAcrossMethods {
    }

    @Test
    void roleNamesMustBeUniqueAcrossMethods() {
        assertThatThrownBy(() -> resolve(SameNameAcrossMethods.class))
                .hasMessageContaining("@KubernetesRole(name = \"k8s-dev\") has the name of a jwt role (@JwtRole(name = \"k8s-dev\"))");
    }

    @VaultK8sTrust(kubernetesRoles = @KubernetesRole(name = "orphan", boundServiceAccountNames = "a",
            boundServiceAccountNamespaces = "b"))
    static class KubernetesRoleWithoutTheMethod {
    }

    @Test
    void kubernetesRolesNeedTheMethodEnabled() {
        assertThatThrownBy(() -> resolve(KubernetesRoleWithoutTheMethod.class))
                .hasMessageContaining("the kubernetes auth method is not enabled");
    }

    @VaultK8sTrust(authMethods = KUBERNETES, kubernetesRoles = @KubernetesRole(name = "reader",
            boundServiceAccountNames = "reader", boundServiceAccountNamespaces = "apps", policies = "missing"))
    static class UnknownPolicy {
    }

    @Test
    void kubernetesRolePolicyMustBeDeclared() {
        assertThatThrownBy(() -> resolve(UnknownPolicy.class))
                .hasMessageContaining("@KubernetesRole(name = \"reader\"): policies = \"missing\": no policy named \"missing\"");
    }

    @VaultK8sTrust(authMethods = KUBERNETES, kubernetesRoles = @KubernetesRole(name = "bad-ns",
            boundServiceAccountNames = "reader", boundServiceAccountNamespaces = "Not_A_Namespace"))
    static class InvalidNamespace {
    }

    @Test
    void boundNamespacesWithoutGlobsMustBeNamespaceNames() {
        assertThatThrownBy(() -> resolve(InvalidNamespace.class))
                .hasMessageContaining("boundServiceAccountNamespaces = \"Not_A_Namespace\" is not a valid namespace");
    }

    @Test
    void kubernetesRoleSpecListsConcreteServiceAccountsOnly() {
        KubernetesRoleSpec spec = KubernetesRoleSpec.builder("r").boundServiceAccountNames("a", "b-*")
                .boundServiceAccountNamespaces("x", "*").build();
        assertThat(spec.boundServiceAccounts()).containsExactly(new ServiceAccountSpec("x", "a"));
        assertThat(AuthMethod.KUBERNETES.vaultType()).isEqualTo("kubernetes");
    }
}
