package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.assertNothingLeft;
import static io.github.vaultk8strust.it.ItSupport.classFailure;
import static io.github.vaultk8strust.it.ItSupport.environmentDirs;
import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static io.github.vaultk8strust.it.ItSupport.liveDescendants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.backend.local.DownloadSpec;
import io.github.vaultk8strust.backend.local.MissingServerBinaryException;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.it.ItSupport.TmpDirWatch;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * With no binary anywhere and downloading and building switched off, the class fails before anything starts,
 * with one message that lists every server, every place searched, and every way to provide it.
 */
class MissingBinariesTest {

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class NoBinariesFixture {
        @Test
        void neverRuns() {
        }
    }

    @TempDir
    Path cache;

    @Test
    void missingBinariesFailTheClassListingEveryPlaceSearchedAndHowToProvideThem() throws Exception {
        List<Path> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
        List<String> onPath = Stream.of("etcd", "kube-apiserver", "vault", "bao")
                .filter(name -> path.stream().map(dir -> dir.resolve(name))
                        .anyMatch(f -> Files.isRegularFile(f) && Files.isExecutable(f)))
                .toList();
        Assumptions.assumeTrue(onPath.isEmpty(), "PATH holds " + onPath + ", so the servers are not missing; "
                + "this test needs a PATH without etcd, kube-apiserver, vault and bao");
        String assets = System.getenv("KUBEBUILDER_ASSETS");
        Assumptions.assumeTrue(assets == null || assets.isBlank(), "KUBEBUILDER_ASSETS=" + assets
                + " provides etcd and kube-apiserver; this test needs it unset");
        Set<Long> descendantsBefore = liveDescendants();
        Set<Path> dirsBefore = environmentDirs();

        EngineExecutionResults results;
        List<String> created;
        try (TmpDirWatch watch = TmpDirWatch.start()) {
            results = jupiter()
                    .configurationParameter(VaultK8sTrust.CACHE_DIR_KEY, cache.toString())
                    .configurationParameter(VaultK8sTrust.DOWNLOAD_KEY, "false")
                    .configurationParameter(VaultK8sTrust.BUILD_KEY, "false")
                    // Blank settings win over VAULTK8S_LOCAL_* environment variables a developer may have set.
                    .configurationParameter(VaultK8sTrust.LOCAL_ETCD_KEY, "")
                    .configurationParameter(VaultK8sTrust.LOCAL_KUBE_APISERVER_KEY, "")
                    .configurationParameter(VaultK8sTrust.LOCAL_VAULT_KEY, "")
                    .selectors(selectClass(NoBinariesFixture.class))
                    .execute();
            created = watch.createdEnvironmentDirs();
        }

        results.testEvents().assertStatistics(stats -> stats.started(0));
        Throwable failure = classFailure(results, NoBinariesFixture.class);
        assertThat(failure).isExactlyInstanceOf(MissingServerBinaryException.class);
        MissingServerBinaryException missing = (MissingServerBinaryException) failure;
        String pathText = path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        assertThat(missing.missing()).containsExactly(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER,
                ServerBinary.VAULT);
        assertThat(missing.searched().get(ServerBinary.ETCD)).containsExactly(
                "setting vaultk8s.local.etcd / VAULTK8S_LOCAL_ETCD: not set",
                "KUBEBUILDER_ASSETS: not set",
                "PATH (" + pathText + "): no etcd",
                "cache " + ServerBinaries.cachedBinary(ServerBinary.ETCD, cache) + ": empty",
                "download: switched off",
                "build from Go modules: switched off");
        assertThat(missing.searched().get(ServerBinary.KUBE_APISERVER)).containsExactly(
                "setting vaultk8s.local.kube-apiserver / VAULTK8S_LOCAL_KUBE_APISERVER: not set",
                "KUBEBUILDER_ASSETS: not set",
                "PATH (" + pathText + "): no kube-apiserver",
                "cache " + ServerBinaries.cachedBinary(ServerBinary.KUBE_APISERVER, cache) + ": empty",
                "download: switched off",
                "build from Go modules: switched off");
        assertThat(missing.searched().get(ServerBinary.VAULT)).containsExactly(
                "setting vaultk8s.local.vault / VAULTK8S_LOCAL_VAULT: not set",
                "PATH (" + pathText + "): no bao or vault",
                "cache " + ServerBinaries.cachedBinary(ServerBinary.VAULT, cache) + ": empty",
                "download: switched off",
                "build from Go modules: switched off");

        String message = missing.getMessage();
        assertThat(message).startsWith("vault-k8s-trust could not find etcd v3.6.14, kube-apiserver v1.34.10, "
                + "vault v1.21.0 for the local backend.");
        // Every place searched is in the message, under its server.
        for (ServerBinary binary : ServerBinary.values()) {
            String section = binary.id() + " " + binary.version() + ", searched:" + System.lineSeparator()
                    + missing.searched().get(binary).stream().map(place -> "  - " + place + System.lineSeparator())
                    .collect(Collectors.joining());
            assertThat(message).contains(section);
        }
        // And every way to provide them.
        assertThat(message).contains(
                "set vaultk8s.local.etcd or the environment variable VAULTK8S_LOCAL_ETCD to an etcd v3.6.x binary",
                "set vaultk8s.local.kube-apiserver or the environment variable VAULTK8S_LOCAL_KUBE_APISERVER to a "
                        + "kube-apiserver v1.34.x binary",
                "set vaultk8s.local.vault or the environment variable VAULTK8S_LOCAL_VAULT to a vault v1.21.x or "
                        + "OpenBao bao binary",
                "point KUBEBUILDER_ASSETS at an envtest asset directory holding etcd and kube-apiserver",
                "put etcd, kube-apiserver, bao or vault on PATH",
                "allow building from Go modules (switched off now: set vaultk8s.local.build=true or the environment "
                        + "variable VAULTK8S_LOCAL_BUILD=true) with Go 1.26 or later on PATH",
                "builds the pinned versions once into " + cache.resolve("bin"));
        List<String> downloadable = Arrays.stream(ServerBinary.values())
                .filter(b -> DownloadSpec.official(b, DownloadSpec.currentOs(), DownloadSpec.currentArch()).isPresent())
                .map(ServerBinary::id).toList();
        if (!downloadable.isEmpty()) {
            assertThat(message).contains("allow downloading the official " + String.join(", ", downloadable)
                    + (downloadable.size() == 1 ? " release" : " releases") + " (switched off now): set "
                    + "vaultk8s.local.download=true or the environment variable VAULTK8S_LOCAL_DOWNLOAD=true; "
                    + "vault-k8s-trust then downloads them once into " + cache.resolve("bin"));
        }

        // Nothing started, nothing created: not in the cache, not in the temp directory.
        try (Stream<Path> inCache = Files.list(cache)) {
            assertThat(inCache).as("entries in the cache directory").isEmpty();
        }
        assertThat(created).as("environment directories created").isEmpty();
        assertNothingLeft(descendantsBefore, dirsBefore);
    }
}
