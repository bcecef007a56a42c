package io.github.vaultk8strust.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.core.TrustSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * {@code kubernetesVersion} / {@code vaultVersion} and {@link TrustMatrix}: defaults are the pins, partial versions
 * resolve to the newest known patch, bad input fails before anything starts (listing the known versions), the
 * versions shape the environment, and a matrix expands, names and validates its combinations.
 */
class VersionSettingsTest {

    private final Map<String, String> config = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private TrustSettings resolve(Class<?> fixture) {
        return VaultK8sTrustExtension.resolve(fixture.getAnnotation(VaultK8sTrust.class), false,
                key -> Optional.ofNullable(config.get(key)), env::get, getClass().getClassLoader());
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class Pinned {
    }

    @VaultK8sTrust(backend = Backend.LOCAL, kubernetesVersion = "1.33", vaultVersion = "v1.19.5")
    static class Older {
    }

    @VaultK8sTrust(backend = Backend.LOCAL, kubernetesVersion = "1.x")
    static class Malformed {
    }

    @VaultK8sTrust(backend = Backend.LOCAL, vaultVersion = "latest-ish")
    static class LatestIsh {
    }

    @VaultK8sTrust(backend = Backend.LOCAL, kubernetesVersion = "1.29")
    static class UnknownMinor {
    }

    @VaultK8sTrust(backend = Backend.LOCAL, vaultVersion = "1.21.4")
    static class UnknownPatch {
    }

    @VaultK8sTrust(backend = Backend.K3S, kubernetesVersion = "1.34")
    static class K3sWithVersion {
    }

    @Test
    void keysAreTheDocumentedOnes() {
        assertThat(ConfigKeys.KUBERNETES_VERSION_KEY).isEqualTo("vaultk8s.kubernetes.version");
        assertThat(ConfigKeys.VAULT_VERSION_KEY).isEqualTo("vaultk8s.vault.version");
        assertThat(ConfigKeys.environmentVariable(ConfigKeys.KUBERNETES_VERSION_KEY))
                .isEqualTo("VAULTK8S_KUBERNETES_VERSION");
    }

    @Test
    void defaultsAreThePinsAndShapeTheEnvironment() {
        TrustSettings settings = resolve(Pinned.class);

        assertThat(settings.kubernetesVersion()).isEqualTo("1.34.10");
        assertThat(settings.vaultVersion()).isEqualTo("1.21.0");
        assertThat(settings.backendShape()).containsEntry("kubernetes-version", "1.34.10")
                .containsEntry("vault-version", "1.21.0").containsEntry("etcd-version", "3.6.14");
    }

    @Test
    void partialVersionsResolveToTheNewestKnownPatchAndMakeAnotherEnvironment() {
        TrustSettings older = resolve(Older.class);

        assertThat(older.kubernetesVersion()).isEqualTo("1.33.13");
        assertThat(older.vaultVersion()).isEqualTo("1.19.5");
        assertThat(older.config().get(ConfigKeys.KUBERNETES_VERSION_KEY)).contains("1.33.13");
        assertThat(older.key()).isNotEqualTo(resolve(Pinned.class).key());
    }

    @Test
    void configurationAndEnvironmentVariablesSetVersionsToo() {
        env.put("VAULTK8S_VAULT_VERSION", "1.19");
        assertThat(resolve(Pinned.class).vaultVersion()).isEqualTo("1.19.5");
        config.put(ConfigKeys.KUBERNETES_VERSION_KEY, "1.33.13");
        assertThat(resolve(Pinned.class).kubernetesVersion()).isEqualTo("1.33.13");
        config.put(ConfigKeys.VAULT_VERSION_KEY, "nope");
        assertThatThrownBy(() -> resolve(Pinned.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Configuration parameter vaultk8s.vault.version = \"nope\" is not a vault version");
    }

    @Test
    void malformedOrUnknownVersionsFailListingTheKnownOnes() {
        assertThatThrownBy(() -> resolve(Malformed.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@VaultK8sTrust(kubernetesVersion = \"1.x\") is not a kubernetes version")
                .hasMessageContaining("Known kubernetes versions: 1.33.13 (1.33), 1.34.10 (1.34, default)");
        assertThatThrownBy(() -> resolve(LatestIsh.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@VaultK8sTrust(vaultVersion = \"latest-ish\") is not a vault version")
                .hasMessageContaining("Known vault versions: 1.19.5 (1.19), 1.21.0 (1.21, default)");
        assertThatThrownBy(() -> resolve(UnknownMinor.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("kubernetes 1.29 is not a known minor. Known kubernetes versions: 1.33.13");
        assertThatThrownBy(() -> resolve(UnknownPatch.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("vault 1.21.4 is not a known version. Known vault versions:");
    }

    @Test
    void theK3sBackendRefusesVersionSettings() {
        assertThatThrownBy(() -> resolve(K3sWithVersion.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("vaultk8s.kubernetes.version = \"1.34.10\" is not applied by the k3s backend")
                .hasMessageContaining("vaultk8s.k3s.image");
    }

    @Test
    void theBuilderSetsTheSameKeys() {
        TrustRequest request = io.github.vaultk8strust.TrustEnvironment.builder().kubernetesVersion("1.33")
                .vaultVersion("1.19").request();
        assertThat(request.settings()).containsEntry(ConfigKeys.KUBERNETES_VERSION_KEY, "1.33")
                .containsEntry(ConfigKeys.VAULT_VERSION_KEY, "1.19");
    }

    @VaultK8sTrust(backend = Backend.LOCAL, vaultFlavor = io.github.vaultk8strust.VaultFlavor.OPENBAO)
    static class OpenBao {
    }

    @VaultK8sTrust(backend = Backend.LOCAL, vaultFlavor = io.github.vaultk8strust.VaultFlavor.OPENBAO,
            vaultVersion = "1.19")
    static class OpenBaoWithVersion {
    }

    @Test
    void openBaoIsAFlavorWithoutKnownVersions() {
        TrustSettings bao = resolve(OpenBao.class);
        assertThat(bao.backendShape()).containsEntry("vault-flavor", "openbao");
        assertThat(bao.vaultVersion()).isEqualTo("openbao");
        assertThat(bao.key()).isNotEqualTo(resolve(Pinned.class).key());

        assertThatThrownBy(() -> resolve(OpenBaoWithVersion.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@VaultK8sTrust(vaultVersion = \"1.19\") with @VaultK8sTrust(vaultFlavor = VaultFlavor.OPENBAO): the library knows no OpenBao versions")
                .hasMessageContaining("the Go module proxy refuses github.com/openbao/openbao")
                .hasMessageContaining("https://github.com/openbao/openbao/releases");
        config.put(ConfigKeys.VAULT_FLAVOR_KEY, "hashicorp");
        assertThatThrownBy(() -> resolve(Pinned.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("vaultk8s.vault.flavor").hasMessageContaining("accepted: vault, openbao");
    }

    @Test
    void withoutABaoBinaryTheLocalBackendSaysWhereToGetOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.github.vaultk8strust.backend.local.BinarySourcesAccess
                .noBaoOnPath(), "a bao is on this machine's PATH");
        TrustSettings bao = resolve(OpenBao.class);
        var provider = io.github.vaultk8strust.core.Backends.installed().named("local").orElseThrow();

        assertThat(provider.probe(bao.config()).reason()).contains("needs a bao binary")
                .contains("https://github.com/openbao/openbao/releases").contains("vaultk8s.local.vault");
    }

    // ---------------------------------------------------------------------------------------------
    // @TrustMatrix

    @TrustMatrix(kubernetes = {"1.33", "1.34"}, vault = {"1.19", "1.21.0"})
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class Matrix {
    }

    @TrustMatrix(kubernetes = {}, vault = {"1.21"})
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class EmptyAxis {
        @Test
        void aTest() {
        }
    }

    @TrustMatrix(kubernetes = {"1.34"}, vault = {"1.21"})
    @VaultK8sTrust(backend = Backend.LOCAL, vaultVersion = "1.19")
    static class MatrixAndFixedVersion {
        @Test
        void aTest() {
        }
    }

    @TrustMatrix(kubernetes = {"1.34", "1.34.10"}, vault = {"1.21"})
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class Twice {
        @Test
        void aTest() {
        }
    }

    @TrustMatrix(kubernetes = {"1.x"}, vault = {"1.21"})
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class MatrixMalformed {
        @Test
        void aTest() {
        }
    }

    @TrustMatrix(kubernetes = {"1.34"}, vault = {"1.21"})
    static class WithoutVaultK8sTrust {
        @Test
        void aTest() {
        }
    }

    @Test
    void aMatrixExpandsKubernetesOuterVaultInnerWithResolvedVersions() {
        assertThat(TrustMatrixExtension.cells(Matrix.class, Matrix.class.getAnnotation(TrustMatrix.class),
                Optional.of(Matrix.class.getAnnotation(VaultK8sTrust.class))))
                .extracting(TrustMatrixExtension.Cell::displayName)
                .containsExactly("[kubernetes 1.33.13, vault 1.19.5]", "[kubernetes 1.33.13, vault 1.21.0]",
                        "[kubernetes 1.34.10, vault 1.19.5]", "[kubernetes 1.34.10, vault 1.21.0]");
    }

    @Test
    void aMatrixCellsVersionsWinOverConfiguration() {
        config.put(ConfigKeys.VAULT_VERSION_KEY, "1.21");
        TrustSettings settings = VaultK8sTrustExtension.resolve(Matrix.class.getAnnotation(VaultK8sTrust.class), false,
                key -> Optional.ofNullable(config.get(key)), env::get, getClass().getClassLoader(),
                new TrustMatrixExtension.Cell("1.33.13", "1.19.5").settings());

        assertThat(settings.kubernetesVersion()).isEqualTo("1.33.13");
        assertThat(settings.vaultVersion()).isEqualTo("1.19.5");
    }

    @Test
    void badMatricesFailTheClassNamingTheProblem() {
        assertThat(failure(EmptyAxis.class)).hasMessageContaining("@TrustMatrix on EmptyAxis: kubernetes = {} is empty")
                .hasMessageContaining("Known kubernetes versions");
        assertThat(failure(MatrixAndFixedVersion.class)).hasMessageContaining(
                "@TrustMatrix on MatrixAndFixedVersion and @VaultK8sTrust(vaultVersion = \"1.19\") both set versions");
        assertThat(failure(Twice.class)).hasMessageContaining("names kubernetes 1.34.10 twice (\"1.34\" and \"1.34.10\")");
        assertThat(failure(MatrixMalformed.class)).hasMessageContaining("\"1.x\" is not a kubernetes version")
                .hasMessageContaining("Known kubernetes versions: 1.33.13 (1.33), 1.34.10 (1.34, default)");
        assertThat(failure(WithoutVaultK8sTrust.class)).hasMessageContaining("the class has no @VaultK8sTrust");
    }

    @TrustMatrix(kubernetes = {"1.33", "1.34"}, vault = {"1.19"})
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class Unavailable {
        @Test
        void neverRuns() {
            throw new AssertionError("a combination that cannot run here must not run");
        }
    }

    @TrustMatrix(kubernetes = "1.34", vault = "1.21")
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class UnavailableWithNested {
        @Test
        void outer() {
            throw new AssertionError("must not run");
        }

        @org.junit.jupiter.api.Nested
        class Inner {
            @Test
            void inner() {
                throw new AssertionError("must not run");
            }
        }
    }

    @Test
    void nestedClassesOfAnInvocationAreSkippedWithIt(@TempDir Path emptyCache) {
        var events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(UnavailableWithNested.class))
                .configurationParameter(ConfigKeys.CACHE_DIR_KEY, emptyCache.toString())
                .configurationParameter(ConfigKeys.DOWNLOAD_KEY, "false")
                .configurationParameter(ConfigKeys.BUILD_KEY, "false").execute().allEvents();

        assertThat(events.failed().list()).isEmpty();
        assertThat(events.skipped().list()).extracting(e -> e.getTestDescriptor().getDisplayName())
                .containsExactlyInAnyOrder("outer()", "Inner");
    }

    @Test
    void combinationsThatCannotRunHereAreSkippedWithTheReasonOrFail(@TempDir Path emptyCache) {
        var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Unavailable.class))
                .configurationParameter(ConfigKeys.CACHE_DIR_KEY, emptyCache.toString())
                .configurationParameter(ConfigKeys.DOWNLOAD_KEY, "false")
                .configurationParameter(ConfigKeys.BUILD_KEY, "false");
        var events = kit.execute().allEvents();
        List<Event> skipped = events.skipped().list();

        assertThat(events.failed().list()).isEmpty();
        assertThat(skipped).extracting(e -> e.getTestDescriptor().getDisplayName())
                .containsOnly("neverRuns()").hasSize(2);
        assertThat(skipped).extracting(e -> e.getPayload(String.class).orElseThrow()).satisfiesExactly(
                first -> assertThat(first).startsWith("[kubernetes 1.33.13, vault 1.19.5] cannot run here: backend "
                        + "local: no ").contains("kube-apiserver").contains("vaultk8s.matrix.unavailable=fail"),
                second -> assertThat(second).startsWith("[kubernetes 1.34.10, vault 1.19.5] cannot run here"));

        var failed = kit.configurationParameter(TrustMatrix.UNAVAILABLE_KEY, "fail").execute().allEvents()
                .failed().list();
        assertThat(failed).isNotEmpty().allSatisfy(e -> assertThat(e.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow()).hasMessageContaining("cannot run here"));
    }

    private static Throwable failure(Class<?> fixture) {
        var failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().containerEvents()
                .failed().list();
        assertThat(failed).as("failed containers of %s", fixture.getSimpleName()).isNotEmpty();
        return failed.get(0).getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .orElseThrow();
    }
}
