package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.spi.Availability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Find or obtain the etcd, kube-apiserver and Vault binaries the local backend runs.
 *
 * <p>For each server the first of these that yields a usable binary wins:
 * <ol>
 *   <li>the explicit setting ({@link ServerBinary#settingKey()} / {@link ServerBinary#envVar()}),
 *       which must point at an executable: a bad path fails at once instead of being skipped;</li>
 *   <li>the envtest asset directory {@code KUBEBUILDER_ASSETS} (etcd and kube-apiserver only);</li>
 *   <li>{@code PATH}, trying {@link ServerBinary#executableNames()} in order;</li>
 *   <li>the cache, {@code <cacheDir>/bin/<id>-<version>-<os>-<arch>/<id>};</li>
 *   <li>a download of the official release, checked against its published SHA-256, with a few retries
 *       when a request fails in a way that may pass;</li>
 *   <li>a build from the Go wrapper module bundled with the library.</li>
 * </ol>
 * Steps 4 to 6 run under an exclusive file lock per server, so parallel JVMs share one download or
 * build instead of racing. Progress on slow steps goes to the caller's {@code progress} consumer.
 *
 * <p>This class is the entry point only; each job lives in its own class of this package: {@link BinaryLocator}
 * (steps 1 to 3), {@link CachedBinaries} (steps 4 to 6), {@link BinaryLock}, {@link BinaryDownload},
 * {@link ReleaseChecksums}, {@link GoBuild} and {@link BinaryReport} (the message when a server is found nowhere).
 */
@API(status = INTERNAL, since = "0.1")
public final class ServerBinaries {

    private ServerBinaries() {
    }

    /**
     * Resolve every wanted server, reporting all that cannot be provided in one exception.
     *
     * <p>Explicit settings are checked for all servers first, so a mistyped path fails before a
     * long download or build of another server starts.
     *
     * @param wanted the servers to provide
     * @param sources where to look and what may be downloaded or built
     * @param progress receives one line per noteworthy event of a slow step (download, build, wait
     *     for another process); the caller decides where to print it
     * @return an absolute path to an executable for each wanted server
     * @throws MissingServerBinaryException if an explicit setting is unusable, or if some servers
     *     were found nowhere; the message lists every place searched and how to provide them
     */
    public static Map<ServerBinary, Path> resolveAll(Set<ServerBinary> wanted, BinarySources sources,
            Consumer<String> progress) {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(progress, "progress");
        if (wanted.isEmpty()) {
            return Map.of();
        }
        Set<ServerBinary> ordered = EnumSet.copyOf(wanted);
        BinaryLocator.checkExplicitSettings(ordered, sources);

        Map<ServerBinary, Path> found = new EnumMap<>(ServerBinary.class);
        Map<ServerBinary, List<String>> missing = new EnumMap<>(ServerBinary.class);
        for (ServerBinary binary : ordered) {
            List<String> report = new ArrayList<>();
            Optional<Path> path = BinaryLocator.find(binary, sources, progress, report);
            if (path.isPresent()) {
                found.put(binary, path.get());
            } else {
                missing.put(binary, report);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingServerBinaryException(BinaryReport.notFoundMessage(missing, sources), missing);
        }
        return Collections.unmodifiableMap(found);
    }

    /**
     * Resolve one server.
     *
     * @param binary the server to provide
     * @param sources where to look and what may be downloaded or built
     * @param progress receives progress lines of slow steps
     * @return an absolute path to an executable
     * @throws MissingServerBinaryException if the server can be found or obtained nowhere, or its
     *     explicit setting is unusable
     * @see #resolveAll(Set, BinarySources, Consumer)
     */
    public static Path resolve(ServerBinary binary, BinarySources sources, Consumer<String> progress) {
        return resolveAll(EnumSet.of(binary), sources, progress).get(binary);
    }

    /**
     * Say cheaply, without downloading or building, whether every wanted server can be had: found (setting,
     * KUBEBUILDER_ASSETS, PATH, cache), or obtainable (downloads allowed, or a build allowed with {@code go} found).
     *
     * @param wanted the servers to provide
     * @param sources where to look and what may be downloaded or built
     * @return yes with how they would be had, or no naming the servers that cannot be had
     */
    public static Availability canObtain(Set<ServerBinary> wanted, BinarySources sources) {
        List<String> how = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ServerBinary binary : EnumSet.copyOf(wanted)) {
            if (BinaryLocator.atHand(binary, sources)) {
                continue;
            }
            if (sources.download()) {
                how.add(binary.id() + " to download");
            } else if (sources.build() && GoBuild.findGo(sources).isPresent()) {
                how.add(binary.id() + " to build");
            } else {
                missing.add(binary.id());
            }
        }
        if (!missing.isEmpty()) {
            return Availability.no("no " + String.join(", ", missing) + " binary can be had "
                    + "(not set, not on PATH or in KUBEBUILDER_ASSETS or the cache, downloads and builds off or go "
                    + "missing)");
        }
        return Availability.yes(how.isEmpty() ? "its server binaries are at hand"
                : "its server binaries can be had: " + String.join(", ", how));
    }

    /**
     * Return where the cache keeps a server for the running platform, whether or not it is there.
     *
     * @param binary the server
     * @param cacheDir the cache root
     * @return {@code <cacheDir>/bin/<id>-<version>-<os>-<arch>/<id>}
     */
    public static Path cachedBinary(ServerBinary binary, Path cacheDir) {
        return cachedBinary(binary, binary.version(), cacheDir);
    }

    /**
     * Return where the cache keeps a version of a server for the running platform.
     *
     * @param binary the server
     * @param version the version with its leading {@code v}
     * @param cacheDir the cache root
     * @return {@code <cacheDir>/bin/<id>-<version>-<os>-<arch>/<id>}
     */
    public static Path cachedBinary(ServerBinary binary, String version, Path cacheDir) {
        return CachedBinaries.path(binary, version, cacheDir);
    }

    // Package-private entry points the tests have always called; the work is done by the classes named.

    /** See {@link ReleaseChecksums#expectedSha256}. */
    static String expectedSha256(String checksumFile, DownloadSpec spec) throws IOException {
        return ReleaseChecksums.expectedSha256(checksumFile, spec);
    }

    /** See {@link GoBuild#moduleFolder}. */
    static String moduleFolder(ServerBinary binary, String version) {
        return GoBuild.moduleFolder(binary, version);
    }

    /** See {@link GoBuild#goBuildCommand(ServerBinary, String, Path, Path)}. */
    static List<String> goBuildCommand(ServerBinary binary, String version, Path go, Path out) {
        return GoBuild.goBuildCommand(binary, version, go, out);
    }
}
