package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.backend.local.LocalOptions;

import io.github.vaultk8strust.core.TrustSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.backend.local.ServerBinary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsResolverTest {

    /** The seed walkthrough's policy, written out here so a change to the production constant is caught. */
    private static final String SEED_HCL = """
            path "kvv2/metadata/k8s-dev/*" {
                capabilities = ["list"]
            }

            path "kvv2/data/k8s-dev/*" {
                capabilities = ["create", "update", "patch", "read", "delete"]
            }
            """;

    /** Content of src/test/resources/policies/reader.hcl. */
    private static final String READER_HCL = """
            path "kvv2/data/apps/*" {
                capabilities = ["read"]
            }
            """;

    private static final RoleSpec SEED_ROLE = new RoleSpec("k8s-dev", "system:serviceaccount:default:vault-writer",
            List.of("vault-dev"), "sub", List.of("k8s-dev-writer"), "1h");

    private final Map<String, String> config = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private TrustSettings resolve(Class<?> fixture) {
        VaultK8sTrust annotation = fixture.getAnnotation(VaultK8sTrust.class);
        assertThat(annotation).as("@VaultK8sTrust on %s", fixture.getSimpleName()).isNotNull();
        return VaultK8sTrustExtension.resolve(annotation, false, key -> Optional.ofNullable(config.get(key)), env::get, SettingsResolverTest.class.getClassLoader());
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertMisuse(Class<?> fixture) {
        return assertThatThrownBy(() -> resolve(fixture)).isInstanceOf(ExtensionConfigurationException.class);
    }

    // ---------------------------------------------------------------- defaults

    @VaultK8sTrust
    static class Defaults {
    }

    @Test
    void defaultsReproduceTheSeedExactly() {
        TrustSettings settings = resolve(Defaults.class);

        assertThat(settings.roles()).containsExactly(SEED_ROLE);
        assertThat(settings.policies()).hasSize(1);
        PolicySpec policy = settings.policies().get(0);
        assertThat(policy.name()).isEqualTo("k8s-dev-writer");
        assertThat(policy.hcl()).isEqualTo(SEED_HCL);
        assertThat(settings.serviceAccounts()).containsExactly(new ServiceAccountSpec("default", "vault-writer"));
        assertThat(settings.serviceAccounts().get(0).subject()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(settings.namespaces()).containsExactly("default");
        assertThat(settings.kvPath()).isEqualTo("kvv2");
        assertThat(settings.authPath()).isEqualTo("jwt");
        assertThat(settings.defaultRole()).isEqualTo("k8s-dev");
        assertThat(settings.backend()).as("AUTO picks the local backend, whose binaries can be had").isEqualTo("local");
        assertThat(settings.vaultMode()).isEqualTo(VaultMode.INIT);
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
        LocalOptions local = LocalOptions.from(settings.config());
        assertThat(local.explicitBinaries()).isEmpty();
        assertThat(local.download()).isTrue();
        assertThat(local.build()).isTrue();
        assertThat(local.cacheDir()).isAbsolute();
    }

    @VaultK8sTrust(kvPath = "secret")
    static class SecretKvPath {
    }

    @Test
    void seedPolicyFollowsKvPath() {
        String hcl = resolve(SecretKvPath.class).policies().get(0).hcl();

        assertThat(hcl).isEqualTo(SEED_HCL.replace("kvv2/", "secret/")).doesNotContain("kvv2");
    }

    // ---------------------------------------------------------------- layering

    @VaultK8sTrust(backend = Backend.K3S, vaultMode = VaultMode.DEV, startupTimeout = "90s")
    static class ExplicitRuntime {
    }

    @Test
    void annotationAttributeBeatsConfigurationParameterAndEnvironment() {
        config.put(VaultK8sTrust.BACKEND_KEY, "local");
        config.put(VaultK8sTrust.VAULT_MODE_KEY, "init");
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, "2m");
        env.put("VAULTK8S_BACKEND", "auto");
        env.put("VAULTK8S_VAULT_MODE", "init");
        env.put("VAULTK8S_STARTUP_TIMEOUT", "PT3M");

        TrustSettings settings = resolve(ExplicitRuntime.class);

        assertThat(settings.backend()).isEqualTo("k3s");
        assertThat(settings.vaultMode()).isEqualTo(VaultMode.DEV);
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void configurationParameterBeatsEnvironment() {
        config.put(VaultK8sTrust.BACKEND_KEY, "local");
        config.put(VaultK8sTrust.VAULT_MODE_KEY, "dev");
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, "2m");
        env.put("VAULTK8S_BACKEND", "k3s");
        env.put("VAULTK8S_VAULT_MODE", "init");
        env.put("VAULTK8S_STARTUP_TIMEOUT", "PT3M");

        TrustSettings settings = resolve(Defaults.class);

        assertThat(settings.backend()).isEqualTo("local");
        assertThat(settings.vaultMode()).isEqualTo(VaultMode.DEV);
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void environmentVariableBeatsDefault() {
        env.put("VAULTK8S_BACKEND", "k3s");
        env.put("VAULTK8S_VAULT_MODE", "dev");
        env.put("VAULTK8S_STARTUP_TIMEOUT", "PT3M");

        TrustSettings settings = resolve(Defaults.class);

        assertThat(settings.backend()).isEqualTo("k3s");
        assertThat(settings.vaultMode()).isEqualTo(VaultMode.DEV);
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void enumSettingsIgnoreCaseAndSurroundingBlanks() {
        config.put(VaultK8sTrust.BACKEND_KEY, " K3s ");
        env.put("VAULTK8S_VAULT_MODE", "Dev\n");

        TrustSettings settings = resolve(Defaults.class);

        assertThat(settings.backend()).isEqualTo("k3s");
        assertThat(settings.vaultMode()).isEqualTo(VaultMode.DEV);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "90s, PT1M30S",
            "2m, PT2M",
            "1h, PT1H",
            "1500ms, PT1.5S",
            "1s, PT1S",
            "45, PT45S",
            "PT2M, PT2M",
            "pt2m, PT2M",
            "30S, PT30S",
    })
    void startupTimeoutAcceptsDocumentedFormats(String value, Duration expected) {
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, value);

        assertThat(resolve(Defaults.class).startupTimeout()).isEqualTo(expected);
    }

    @Test
    void localOptionsAreLayeredToo() {
        config.put(VaultK8sTrust.BACKEND_KEY, "local");
        config.put(VaultK8sTrust.LOCAL_VAULT_KEY, "/opt/from-config/bao");
        env.put("VAULTK8S_LOCAL_VAULT", "/opt/from-env/vault");
        env.put("VAULTK8S_LOCAL_KUBE_APISERVER", "/opt/from-env/kube-apiserver");
        env.put("VAULTK8S_CACHE_DIR", "/var/cache/vk8s");
        config.put(VaultK8sTrust.DOWNLOAD_KEY, "false");
        env.put("VAULTK8S_LOCAL_BUILD", "FALSE");

        LocalOptions local = LocalOptions.from(resolve(Defaults.class).config());

        assertThat(local.explicitBinaries()).containsOnly(
                Map.entry(ServerBinary.VAULT, Path.of("/opt/from-config/bao")),
                Map.entry(ServerBinary.KUBE_APISERVER, Path.of("/opt/from-env/kube-apiserver")));
        assertThat(local.cacheDir()).isEqualTo(Path.of("/var/cache/vk8s"));
        assertThat(local.download()).isFalse();
        assertThat(local.build()).isFalse();
    }

    // ---------------------------------------------------------------- additive scenario

    @VaultK8sTrust(
            roles = @JwtRole(name = "apps-reader", boundSubject = "system:serviceaccount:apps:reader",
                    boundAudiences = {"vault-dev", "apps"}, policies = {"apps-reader", "default"}, ttl = "30m"),
            policies = @VaultPolicy(name = "apps-reader", hcl = "path \"kvv2/data/apps/*\" { capabilities = [\"read\"] }"),
            serviceAccounts = @K8sServiceAccount(namespace = "batch", name = "job-runner"),
            namespaces = "monitoring")
    static class Additive {
    }

    @Test
    void rolesPoliciesServiceAccountsAndNamespacesAddToTheSeed() {
        TrustSettings settings = resolve(Additive.class);

        assertThat(settings.roles()).containsExactly(SEED_ROLE,
                new RoleSpec("apps-reader", "system:serviceaccount:apps:reader", List.of("vault-dev", "apps"), "sub",
                        List.of("apps-reader", "default"), "30m"));
        assertThat(settings.policies()).extracting(PolicySpec::name).containsExactly("k8s-dev-writer", "apps-reader");
        assertThat(settings.policies().get(1).hcl()).isEqualTo("path \"kvv2/data/apps/*\" { capabilities = [\"read\"] }");
        assertThat(settings.policies().get(1).origin()).isEqualTo("inline HCL");
        assertThat(settings.serviceAccounts()).containsExactlyInAnyOrder(
                new ServiceAccountSpec("default", "vault-writer"),
                new ServiceAccountSpec("apps", "reader"),
                new ServiceAccountSpec("batch", "job-runner"));
        assertThat(settings.namespaces()).containsExactlyInAnyOrder("default", "apps", "batch", "monitoring");
        assertThat(settings.defaultRole()).isEqualTo("k8s-dev");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "payments", boundSubject = "system:serviceaccount:payments:api"))
    static class RoleOnly {
    }

    @Test
    void roleBoundSubjectCreatesItsServiceAccountAndNamespace() {
        TrustSettings settings = resolve(RoleOnly.class);

        assertThat(settings.serviceAccounts()).contains(new ServiceAccountSpec("payments", "api"));
        assertThat(settings.namespaces()).contains("payments");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "ci", boundSubject = "repo:acme/app:ref:refs/heads/main"))
    static class NonServiceAccountSubject {
    }

    @Test
    void subjectThatNamesNoServiceAccountCreatesNone() {
        TrustSettings settings = resolve(NonServiceAccountSubject.class);

        assertThat(settings.role("ci")).isPresent();
        assertThat(settings.serviceAccounts()).containsExactly(new ServiceAccountSpec("default", "vault-writer"));
        assertThat(settings.namespaces()).containsExactly("default");
    }

    @VaultK8sTrust(serviceAccounts = @K8sServiceAccount(name = "vault-writer"), namespaces = "default")
    static class RedeclaresSeedServiceAccount {
    }

    @Test
    void serviceAccountsAndNamespacesAreNotDuplicated() {
        TrustSettings settings = resolve(RedeclaresSeedServiceAccount.class);

        assertThat(settings.serviceAccounts()).containsExactly(new ServiceAccountSpec("default", "vault-writer"));
        assertThat(settings.namespaces()).containsExactly("default");
    }

    // ---------------------------------------------------------------- seedScenario = false

    @VaultK8sTrust(seedScenario = false, defaultRole = "")
    static class Empty {
    }

    @Test
    void seedScenarioFalseRemovesTheSeedItems() {
        TrustSettings settings = resolve(Empty.class);

        assertThat(settings.roles()).isEmpty();
        assertThat(settings.policies()).isEmpty();
        assertThat(settings.serviceAccounts()).isEmpty();
        assertThat(settings.namespaces()).isEmpty();
        assertThat(settings.defaultRole()).isEmpty();
        assertThat(settings.kvPath()).isEqualTo("kvv2");
        assertThat(settings.authPath()).isEqualTo("jwt");
    }

    @VaultK8sTrust(seedScenario = false)
    static class EmptyKeepingSeedDefaultRole {
    }

    @Test
    void seedScenarioFalseNeedsDefaultRoleCleared() {
        assertMisuse(EmptyKeepingSeedDefaultRole.class).hasMessageContainingAll(
                "@VaultK8sTrust(defaultRole = \"k8s-dev\") names no configured role",
                "configured roles: []",
                "@VaultK8sTrust(defaultRole = \"\") for none");
    }

    @VaultK8sTrust(seedScenario = false,
            roles = @JwtRole(name = "k8s-dev", boundSubject = "system:serviceaccount:team:app", policies = "team"),
            policies = @VaultPolicy(name = "team", hcl = "path \"kvv2/data/team/*\" { capabilities = [\"read\"] }"))
    static class ReplacedSeed {
    }

    @Test
    void seedScenarioFalseLetsTheSeedNamesBeReplaced() {
        TrustSettings settings = resolve(ReplacedSeed.class);

        assertThat(settings.roles()).containsExactly(new RoleSpec("k8s-dev", "system:serviceaccount:team:app",
                List.of("vault-dev"), "sub", List.of("team"), "1h"));
        assertThat(settings.policies()).extracting(PolicySpec::name).containsExactly("team");
        assertThat(settings.serviceAccounts()).containsExactly(new ServiceAccountSpec("team", "app"));
        assertThat(settings.namespaces()).containsExactly("team");
        assertThat(settings.defaultRole()).isEqualTo("k8s-dev");
    }

    // ---------------------------------------------------------------- policy resources

    @VaultK8sTrust(policies = @VaultPolicy(name = "reader", resource = "policies/reader.hcl"))
    static class ResourcePolicy {
    }

    @VaultK8sTrust(policies = @VaultPolicy(name = "reader", resource = "/policies/reader.hcl"))
    static class AbsoluteResourcePolicy {
    }

    @Test
    void policyHclCanComeFromAClasspathResource() {
        PolicySpec reader = resolve(ResourcePolicy.class).policies().get(1);

        assertThat(reader.name()).isEqualTo("reader");
        assertThat(reader.hcl()).isEqualTo(READER_HCL);
        assertThat(reader.origin()).isEqualTo("classpath resource policies/reader.hcl");
    }

    @Test
    void leadingSlashOnAResourceIsAccepted() {
        assertThat(resolve(AbsoluteResourcePolicy.class).policies().get(1).hcl()).isEqualTo(READER_HCL);
    }

    // ---------------------------------------------------------------- sharing key

    @VaultK8sTrust
    static class DefaultsAgain {
    }

    @VaultK8sTrust(kvPath = "kvv2", authPath = "jwt", defaultRole = "k8s-dev", seedScenario = true)
    static class DefaultsSpelledOut {
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class LocalBackend {
    }

    @VaultK8sTrust(namespaces = "monitoring")
    static class WithMonitoring {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:apps:r", ttl = "1h"))
    static class RoleTtlOneHour {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:apps:r", ttl = "1h"))
    static class RoleTtlOneHourAgain {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:apps:r", ttl = "2h"))
    static class RoleTtlTwoHours {
    }

    @Test
    void equalAnnotationsOnDifferentClassesGiveEqualSettings() {
        assertThat(resolve(DefaultsAgain.class)).isEqualTo(resolve(Defaults.class))
                .hasSameHashCodeAs(resolve(Defaults.class));
        assertThat(resolve(RoleTtlOneHourAgain.class)).isEqualTo(resolve(RoleTtlOneHour.class))
                .hasSameHashCodeAs(resolve(RoleTtlOneHour.class));
    }

    @Test
    void settingsAreComparedAfterResolutionNotAsWritten() {
        assertThat(resolve(DefaultsSpelledOut.class)).isEqualTo(resolve(Defaults.class));

        TrustSettings fromAnnotation = resolve(LocalBackend.class);
        config.put(VaultK8sTrust.BACKEND_KEY, "local");
        assertThat(resolve(Defaults.class)).isEqualTo(fromAnnotation);
    }

    @Test
    void differingAnnotationsGiveDifferentSettings() {
        assertThat(resolve(WithMonitoring.class)).isNotEqualTo(resolve(Defaults.class));
        assertThat(resolve(RoleTtlTwoHours.class)).isNotEqualTo(resolve(RoleTtlOneHour.class));
        assertThat(resolve(SecretKvPath.class)).isNotEqualTo(resolve(Defaults.class));
    }

    @Test
    void whatDoesNotShapeTheEnvironmentDoesNotSplitIt() {
        TrustSettings before = resolve(Defaults.class);
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, "7m");
        config.put(VaultK8sTrust.DOWNLOAD_KEY, "false");
        env.put("VAULTK8S_K3S_ONLY", "fail");

        TrustSettings after = resolve(Defaults.class);

        assertThat(after.startupTimeout()).isEqualTo(Duration.ofMinutes(7));
        assertThat(after).isEqualTo(before).hasSameHashCodeAs(before);
        assertThat(resolve(LocalBackend.class)).as("AUTO resolves to local here, so both share one environment")
                .isEqualTo(resolve(Defaults.class));
    }

    @Test
    void differingConfigurationGivesDifferentSettings() {
        TrustSettings before = resolve(Defaults.class);
        env.put("VAULTK8S_VAULT_MODE", "dev");

        assertThat(resolve(Defaults.class)).isNotEqualTo(before);
    }

    // ---------------------------------------------------------------- misuse: roles

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader", ttl = "1 hour"))
    static class BadTtl {
    }

    @Test
    void rejectsTtlThatIsNotAVaultDuration() {
        assertMisuse(BadTtl.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\")",
                "ttl = \"1 hour\" is not a Vault duration",
                "\"1h\"", "\"30m\"", "\"90s\"", "a number of seconds");
    }

    @VaultK8sTrust(roles = {
            @JwtRole(name = "hours", boundSubject = "s", ttl = "1h"),
            @JwtRole(name = "minutes", boundSubject = "s", ttl = "30m"),
            @JwtRole(name = "seconds", boundSubject = "s", ttl = "90s"),
            @JwtRole(name = "plain", boundSubject = "s", ttl = "3600"),
            @JwtRole(name = "compound", boundSubject = "s", ttl = "1h30m"),
            @JwtRole(name = "fraction", boundSubject = "s", ttl = "1.5h"),
            @JwtRole(name = "days", boundSubject = "s", ttl = "7d")})
    static class VaultDurations {
    }

    @Test
    void acceptsVaultDurationsAndPassesThemOnAsWritten() {
        TrustSettings settings = resolve(VaultDurations.class);

        assertThat(settings.roles()).extracting(RoleSpec::name, RoleSpec::ttl).contains(
                tuple("hours", "1h"), tuple("minutes", "30m"), tuple("seconds", "90s"), tuple("plain", "3600"),
                tuple("compound", "1h30m"), tuple("fraction", "1.5h"), tuple("days", "7d"));
    }

    @VaultK8sTrust(roles = @JwtRole(name = "", boundSubject = "system:serviceaccount:apps:reader"))
    static class EmptyRoleName {
    }

    @Test
    void rejectsEmptyRoleName() {
        // name is optional for a role read from a file (the file names it), required otherwise.
        assertMisuse(EmptyRoleName.class).hasMessageContainingAll(
                "@JwtRole without a name: name is required for a role declared attribute by attribute",
                "@JwtRole(resource = \"vault/roles/reader.json\")");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader",
            boundAudiences = {}))
    static class NoAudiences {
    }

    @Test
    void rejectsEmptyBoundAudiences() {
        assertMisuse(NoAudiences.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\")",
                "boundAudiences = {}",
                "at least one non-empty audience",
                "boundAudiences = \"vault-dev\"");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader",
            boundAudiences = {"vault-dev", " "}))
    static class BlankAudience {
    }

    @Test
    void rejectsBlankBoundAudience() {
        assertMisuse(BlankAudience.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\")", "boundAudiences = {\"vault-dev\", \" \"}", "non-empty audience");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "   "))
    static class BlankSubject {
    }

    @Test
    void rejectsBlankBoundSubject() {
        assertMisuse(BlankSubject.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\")",
                "boundSubject = \"   \" is empty",
                "system:serviceaccount:<namespace>:<service-account>");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader", userClaim = ""))
    static class BlankUserClaim {
    }

    @Test
    void rejectsBlankUserClaim() {
        assertMisuse(BlankUserClaim.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\")", "userClaim = \"\" is empty", "\"sub\"");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:Bad_NS:reader"))
    static class BadSubjectNamespace {
    }

    @Test
    void rejectsBoundSubjectWithInvalidNamespace() {
        assertMisuse(BadSubjectNamespace.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\") boundSubject namespace = \"Bad_NS\" is not a valid namespace name",
                "lower-case letters, digits and '-'");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:Reader_1"))
    static class BadSubjectServiceAccount {
    }

    @Test
    void rejectsBoundSubjectWithInvalidServiceAccount() {
        assertMisuse(BadSubjectServiceAccount.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\") boundSubject service account = \"Reader_1\"",
                "is not a valid service account name");
    }

    @VaultK8sTrust(policies = @VaultPolicy(name = "reader", resource = "policies/reader.hcl"),
            roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader", policies = "writer"))
    static class UndeclaredPolicy {
    }

    @Test
    void rejectsRoleReferencingUndeclaredPolicy() {
        assertMisuse(UndeclaredPolicy.class).hasMessageContainingAll(
                "@JwtRole(name = \"reader\"): policies = \"writer\": no policy",
                "no policy named \"writer\" is declared",
                "declared policies: [k8s-dev-writer, reader]",
                "built-in \"default\"",
                "@VaultPolicy(name = \"writer\", ...)");
    }

    @VaultK8sTrust(seedScenario = false, defaultRole = "",
            roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader",
                    policies = "k8s-dev-writer"))
    static class SeedPolicyWithoutSeed {
    }

    @Test
    void seedPolicyIsGoneWithoutTheSeed() {
        assertMisuse(SeedPolicyWithoutSeed.class).hasMessageContainingAll(
                "no policy named \"k8s-dev-writer\" is declared", "declared policies: []");
    }

    @VaultK8sTrust(roles = {
            @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader"),
            @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:other")})
    static class DuplicateRole {
    }

    @Test
    void rejectsDuplicateRoleName() {
        assertMisuse(DuplicateRole.class)
                .hasMessageContainingAll("@JwtRole(name = \"reader\") is declared twice.")
                .hasMessageNotContaining("seedScenario");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "k8s-dev", boundSubject = "system:serviceaccount:apps:reader"))
    static class RedeclaredSeedRole {
    }

    @Test
    void rejectsRedeclaredSeedRoleWithHint() {
        assertMisuse(RedeclaredSeedRole.class).hasMessageContainingAll(
                "@JwtRole(name = \"k8s-dev\") is declared twice.",
                "The seed scenario already declares \"k8s-dev\"",
                "set @VaultK8sTrust(seedScenario = false) to replace it");
    }

    // ---------------------------------------------------------------- misuse: policies

    @VaultK8sTrust(policies = @VaultPolicy(name = "k8s-dev-writer", hcl = "path \"x\" { capabilities = [\"read\"] }"))
    static class RedeclaredSeedPolicy {
    }

    @Test
    void rejectsRedeclaredSeedPolicyWithHint() {
        assertMisuse(RedeclaredSeedPolicy.class).hasMessageContainingAll(
                "@VaultPolicy(name = \"k8s-dev-writer\") is declared twice.",
                "set @VaultK8sTrust(seedScenario = false) to replace it");
    }

    @VaultK8sTrust(policies = @VaultPolicy(name = "reader", hcl = "path \"x\" {}", resource = "policies/reader.hcl"))
    static class PolicyWithBoth {
    }

    @Test
    void rejectsPolicyWithBothHclAndResource() {
        assertMisuse(PolicyWithBoth.class).hasMessageContainingAll(
                "@VaultPolicy(name = \"reader\")",
                "give exactly one of hcl = \"...\" (inline HCL) or resource = \"path/on/classpath.hcl\"",
                "both are set");
    }

    @VaultK8sTrust(policies = @VaultPolicy(name = "reader"))
    static class PolicyWithNeither {
    }

    @Test
    void rejectsPolicyWithNeitherHclNorResource() {
        assertMisuse(PolicyWithNeither.class).hasMessageContainingAll(
                "@VaultPolicy(name = \"reader\")", "give exactly one of hcl", "neither is set");
    }

    @VaultK8sTrust(policies = @VaultPolicy(name = "reader", resource = "policies/missing.hcl"))
    static class MissingResource {
    }

    @Test
    void rejectsMissingPolicyResource() {
        assertMisuse(MissingResource.class).hasMessageContainingAll(
                "@VaultPolicy(name = \"reader\")",
                "resource = \"policies/missing.hcl\" is not on the test classpath",
                "src/test/resources/policies/missing.hcl");
    }

    @VaultK8sTrust(policies = @VaultPolicy(name = "bad name", hcl = "path \"x\" {}"))
    static class BadPolicyName {
    }

    @Test
    void rejectsInvalidPolicyName() {
        assertMisuse(BadPolicyName.class).hasMessageContainingAll(
                "@VaultPolicy(name = \"bad name\")", "name = \"bad name\" is not a valid name");
    }

    // ---------------------------------------------------------------- misuse: service accounts and namespaces

    @VaultK8sTrust(namespaces = "Bad_NS")
    static class BadNamespace {
    }

    @Test
    void rejectsInvalidNamespace() {
        assertMisuse(BadNamespace.class).hasMessageContainingAll(
                "@VaultK8sTrust(namespaces = \"Bad_NS\") is not a valid namespace name",
                "lower-case letters, digits and '-', 1 to 63 characters");
    }

    @VaultK8sTrust(serviceAccounts = @K8sServiceAccount(namespace = "apps", name = "Vault_Writer"))
    static class BadServiceAccountName {
    }

    @Test
    void rejectsInvalidServiceAccountName() {
        assertMisuse(BadServiceAccountName.class).hasMessageContainingAll(
                "@K8sServiceAccount(namespace = \"apps\", name = \"Vault_Writer\") name = \"Vault_Writer\"",
                "is not a valid service account name",
                "lower-case letters, digits, '-' and '.'");
    }

    @VaultK8sTrust(serviceAccounts = @K8sServiceAccount(namespace = "Apps", name = "writer"))
    static class BadServiceAccountNamespace {
    }

    @Test
    void rejectsInvalidServiceAccountNamespace() {
        assertMisuse(BadServiceAccountNamespace.class).hasMessageContainingAll(
                "@K8sServiceAccount(namespace = \"Apps\", name = \"writer\") namespace = \"Apps\"",
                "is not a valid namespace name");
    }

    // ---------------------------------------------------------------- misuse: paths

    @VaultK8sTrust(kvPath = "sys")
    static class SysKvPath {
    }

    @Test
    void rejectsReservedKvPath() {
        assertMisuse(SysKvPath.class).hasMessageContainingAll(
                "@VaultK8sTrust(kvPath = \"sys\") is not a usable mount path",
                "a path Vault reserves (audit, auth, sys, cubbyhole, identity)");
    }

    @VaultK8sTrust(kvPath = "audit")
    static class AuditKvPath {
    }

    @VaultK8sTrust(kvPath = "sys/kv")
    static class UnderSysKvPath {
    }

    @VaultK8sTrust(authPath = "token")
    static class TokenAuthPath {
    }

    @VaultK8sTrust(authPath = "sys")
    static class SysAuthPath {
    }

    @Test
    void rejectsEverySecretsMountVaultReserves() {
        assertMisuse(AuditKvPath.class).hasMessageContaining("@VaultK8sTrust(kvPath = \"audit\") is not a usable mount path");
        assertMisuse(UnderSysKvPath.class).hasMessageContaining("@VaultK8sTrust(kvPath = \"sys/kv\") is not a usable mount path");
    }

    @Test
    void authPathsLiveUnderAuthSoOnlyTokenIsTaken() {
        assertMisuse(TokenAuthPath.class).hasMessageContaining("@VaultK8sTrust(authPath = \"token\") is not a usable mount path");
        assertThat(resolve(SysAuthPath.class).authPath()).isEqualTo("sys");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "reader", boundSubject = "system:serviceaccount:apps:reader", ttl = "1d12h"))
    static class MixedDaysTtl {
    }

    @Test
    void rejectsDurationsVaultCannotParse() {
        // Vault takes whole days ("7d") or a Go duration, never both mixed.
        assertMisuse(MixedDaysTtl.class).hasMessageContaining("ttl = \"1d12h\" is not a Vault duration");
    }

    @Test
    void rejectsAnOverflowingTimeoutAsMisuse() {
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, "99999999999999999999");

        assertMisuse(Defaults.class).hasMessageContaining("\"99999999999999999999\" is not a positive duration");
    }

    @Test
    void timeoutFromTheEnvironmentNamesTheVariable() {
        env.put("VAULTK8S_STARTUP_TIMEOUT", "soon");

        assertMisuse(Defaults.class).hasMessageContaining("Environment variable VAULTK8S_STARTUP_TIMEOUT = \"soon\"");
    }

    @VaultK8sTrust(kvPath = "kv/")
    static class TrailingSlashKvPath {
    }

    @Test
    void rejectsMalformedKvPath() {
        assertMisuse(TrailingSlashKvPath.class).hasMessageContainingAll(
                "@VaultK8sTrust(kvPath = \"kv/\") is not a usable mount path", "separated by '/'");
    }

    @VaultK8sTrust(kvPath = "shared", authPath = "shared")
    static class SamePaths {
    }

    @Test
    void rejectsKvPathEqualToAuthPath() {
        assertMisuse(SamePaths.class).hasMessageContainingAll(
                "@VaultK8sTrust(kvPath = \"shared\") and @VaultK8sTrust(authPath = \"shared\") are the same path", "give them different paths");
    }

    // ---------------------------------------------------------------- misuse: configuration

    @Test
    void rejectsUnknownBackendFromConfigurationParameter() {
        config.put(VaultK8sTrust.BACKEND_KEY, "docker");

        assertMisuse(Defaults.class).hasMessageContainingAll(
                "Configuration parameter vaultk8s.backend = \"docker\" is not valid",
                "accepted: auto, local, k3s");
    }

    @Test
    void rejectsUnknownBackendFromEnvironment() {
        env.put("VAULTK8S_BACKEND", "docker");

        assertMisuse(Defaults.class).hasMessageContainingAll(
                "VAULTK8S_BACKEND", "\"docker\" is not valid", "accepted: auto, local, k3s");
    }

    @Test
    void keepOnFailureIsOffUnlessSwitchedOn() {
        assertThat(resolve(Defaults.class).keepOnFailure()).isFalse();

        env.put("VAULTK8S_KEEP_ON_FAILURE", "true");
        assertThat(resolve(Defaults.class).keepOnFailure()).isTrue();

        config.put(VaultK8sTrust.KEEP_ON_FAILURE_KEY, "yes");
        assertMisuse(Defaults.class).hasMessageContainingAll("vaultk8s.keep-on-failure", "\"yes\" is not valid");
    }

    @Test
    void rejectsTheDefaultSentinelAsBackendValue() {
        config.put(VaultK8sTrust.BACKEND_KEY, "default");

        assertMisuse(Defaults.class).hasMessageContainingAll("\"default\" is not valid", "accepted: auto, local, k3s");
    }

    @Test
    void rejectsUnknownVaultMode() {
        config.put(VaultK8sTrust.VAULT_MODE_KEY, "prod");

        assertMisuse(Defaults.class).hasMessageContainingAll(
                "Configuration parameter vaultk8s.vault.mode = \"prod\" is not valid; accepted: init, dev");
    }

    @Test
    void rejectsStartupTimeoutThatIsNotADuration() {
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, "soon");

        assertMisuse(Defaults.class).hasMessageContainingAll(
                "Configuration parameter vaultk8s.startup.timeout = \"soon\" is not a positive duration",
                "\"90s\"", "\"2m\"", "\"1500ms\"", "a number of seconds", "\"PT2M\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "PT0S", "-5s", "1.5m", "2 minutes"})
    void rejectsStartupTimeoutsThatAreNotPositiveDurations(String value) {
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, value);

        assertMisuse(Defaults.class).hasMessageContaining("\"" + value + "\" is not a positive duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ms", "500ms", "999ms", "PT0.5S"})
    void rejectsStartupTimeoutsBelowOneSecond(String value) {
        config.put(VaultK8sTrust.STARTUP_TIMEOUT_KEY, value);

        assertMisuse(Defaults.class).hasMessageContainingAll("Configuration parameter vaultk8s.startup.timeout",
                "\"" + value + "\" is below the minimum of 1 s");
    }

    @VaultK8sTrust(startupTimeout = "1ms")
    static class TinyStartupTimeoutAttribute {
    }

    @Test
    void rejectsTinyStartupTimeoutAttributeNamingTheAttribute() {
        assertMisuse(TinyStartupTimeoutAttribute.class).hasMessageContainingAll(
                "@VaultK8sTrust(startupTimeout = \"1ms\")", "below the minimum of 1 s")
                .hasMessageNotContaining("budget of 0 s");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:default"))
    static class SubjectWithoutServiceAccount {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = " system:serviceaccount:default:app"))
    static class SubjectWithLeadingSpace {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:default:app\t"))
    static class SubjectWithTrailingTab {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:default:sa:extra"))
    static class SubjectWithExtraPart {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:Default:app"))
    static class SubjectWithInvalidNamespace {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:default:my_app"))
    static class SubjectWithInvalidServiceAccount {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount::app"))
    static class SubjectWithEmptyNamespace {
    }

    @Test
    void rejectsServiceAccountSubjectWithoutName() {
        assertMisuse(SubjectWithoutServiceAccount.class).hasMessageContainingAll("@JwtRole(name = \"r\")",
                "boundSubject = \"system:serviceaccount:default\"", "service account name is missing",
                "\"system:serviceaccount:<namespace>:<service-account>\"");
    }

    @Test
    void rejectsSubjectsWithSurroundingWhitespace() {
        assertMisuse(SubjectWithLeadingSpace.class).hasMessageContainingAll("@JwtRole(name = \"r\")",
                "boundSubject = \" system:serviceaccount:default:app\"", "leading or trailing whitespace",
                "Use \"system:serviceaccount:default:app\"");
        assertMisuse(SubjectWithTrailingTab.class).hasMessageContaining("leading or trailing whitespace");
    }

    @Test
    void rejectsServiceAccountSubjectWithExtraParts() {
        assertMisuse(SubjectWithExtraPart.class).hasMessageContainingAll(
                "boundSubject = \"system:serviceaccount:default:sa:extra\"", "1 extra ':'-separated part(s)");
    }

    @Test
    void rejectsServiceAccountSubjectWithInvalidParts() {
        assertMisuse(SubjectWithInvalidNamespace.class).hasMessageContainingAll(
                "boundSubject namespace = \"Default\"",
                "not a valid namespace name");
        assertMisuse(SubjectWithInvalidServiceAccount.class).hasMessageContainingAll(
                "boundSubject service account = \"my_app\"", "not a valid service account name");
        assertMisuse(SubjectWithEmptyNamespace.class).hasMessageContaining("boundSubject namespace = \"\"");
    }

    @VaultK8sTrust(startupTimeout = "soon")
    static class BadStartupTimeoutAttribute {
    }

    @Test
    void rejectsStartupTimeoutAttributeNamingTheAttribute() {
        assertMisuse(BadStartupTimeoutAttribute.class).hasMessageContainingAll(
                "@VaultK8sTrust(startupTimeout = \"soon\")", "startupTimeout = \"soon\") is not a positive duration");
    }

    @Test
    void rejectsDownloadSettingThatIsNotABoolean() {
        config.put(VaultK8sTrust.DOWNLOAD_KEY, "maybe");

        assertMisuse(Defaults.class).hasMessageContainingAll(
                "Configuration parameter vaultk8s.local.download = \"maybe\" is not valid",
                "accepted: true, false");
    }
}
