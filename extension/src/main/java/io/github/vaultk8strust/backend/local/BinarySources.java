package io.github.vaultk8strust.backend.local;

import io.github.vaultk8strust.support.CacheDir;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Hold everything {@link ServerBinaries} may consult to find or obtain the server binaries.
 *
 * <p>The caller resolves its configuration into this record; the resolver itself reads no system
 * property or environment variable, which keeps it testable.
 *
 * @param explicit binaries named by the {@code vaultk8s.local.*} settings; such a path must work
 * @param kubebuilderAssets an envtest asset directory holding {@code etcd} and {@code kube-apiserver}
 * @param searchPath the {@code PATH} entries to look for executables in, in order
 * @param cacheDir where downloaded and built binaries are kept between runs
 * @param download whether downloading official release binaries is allowed
 * @param downloads where to download each server from; servers without an entry are not downloaded
 * @param build whether building from the bundled Go wrapper modules is allowed
 * @param goExecutable the {@code go} command to build with; when empty, {@code go} is looked up on
 *     {@code searchPath}
 * @param versions versions asked for explicitly ({@code v1.33.13}); such a server comes from its own cache folder,
 *     download or wrapper module, and a binary found by setting, {@code KUBEBUILDER_ASSETS} or {@code PATH} is used
 *     only if its {@code --version} says so. Servers without an entry get their pin ({@link ServerBinary#version()})
 *     and any binary found is used, as before versions were settings.
 */
@API(status = INTERNAL, since = "0.1")
public record BinarySources(
        Map<ServerBinary, Path> explicit,
        Optional<Path> kubebuilderAssets,
        List<Path> searchPath,
        Path cacheDir,
        boolean download,
        Map<ServerBinary, DownloadSpec> downloads,
        boolean build,
        Optional<Path> goExecutable,
        Map<ServerBinary, String> versions) {

    /** Sources for the pinned versions only. */
    public BinarySources(Map<ServerBinary, Path> explicit, Optional<Path> kubebuilderAssets, List<Path> searchPath,
            Path cacheDir, boolean download, Map<ServerBinary, DownloadSpec> downloads, boolean build,
            Optional<Path> goExecutable) {
        this(explicit, kubebuilderAssets, searchPath, cacheDir, download, downloads, build, goExecutable, Map.of());
    }

    /** Return the version wanted of {@code binary}, with its leading {@code v}: the one asked for, else the pin. */
    public String version(ServerBinary binary) {
        return versions.getOrDefault(binary, binary.version());
    }

    /** Return whether a version of {@code binary} was asked for explicitly (found binaries are then version-checked). */
    public boolean versionAsked(ServerBinary binary) {
        return versions.containsKey(binary);
    }

    /**
     * Create the sources, copying the collections so later changes by the caller cannot alter a
     * resolution in progress.
     *
     * @param explicit binaries named by the {@code vaultk8s.local.*} settings
     * @param kubebuilderAssets an envtest asset directory, if any
     * @param searchPath the {@code PATH} entries
     * @param cacheDir the cache root
     * @param download whether downloading is allowed
     * @param downloads where to download each server from
     * @param build whether building from Go modules is allowed
     * @param goExecutable the {@code go} command, or empty to look it up on {@code searchPath}
     */
    public BinarySources {
        explicit = Map.copyOf(explicit);
        kubebuilderAssets = Objects.requireNonNull(kubebuilderAssets, "kubebuilderAssets");
        searchPath = List.copyOf(searchPath);
        cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
        downloads = Map.copyOf(downloads);
        goExecutable = Objects.requireNonNull(goExecutable, "goExecutable");
        versions = Map.copyOf(versions);
    }

    /**
     * Build the sources from this process's environment: {@code KUBEBUILDER_ASSETS}, {@code PATH}
     * and the official downloads for the running OS and CPU.
     *
     * @param explicit binaries named by the caller's settings
     * @param cacheDir where to keep downloaded and built binaries, usually {@link #defaultCacheDir()}
     * @param download whether downloading is allowed
     * @param build whether building from Go modules is allowed
     * @return the sources
     */
    public static BinarySources fromEnvironment(Map<ServerBinary, Path> explicit, Path cacheDir,
            boolean download, boolean build) {
        return fromEnvironment(explicit, Map.of(), cacheDir, download, build);
    }

    /**
     * Build the sources from this process's environment for the versions asked for.
     *
     * @param explicit binaries named by the caller's settings
     * @param versions versions asked for explicitly, with their leading {@code v}; others get their pin
     * @param cacheDir where to keep downloaded and built binaries
     * @param download whether downloading is allowed
     * @param build whether building from Go modules is allowed
     * @return the sources
     */
    public static BinarySources fromEnvironment(Map<ServerBinary, Path> explicit, Map<ServerBinary, String> versions,
            Path cacheDir, boolean download, boolean build) {
        Optional<Path> assets = pathFromEnv("KUBEBUILDER_ASSETS");
        List<Path> searchPath = splitPath(System.getenv("PATH"));
        String os = DownloadSpec.currentOs();
        String arch = DownloadSpec.currentArch();
        Map<ServerBinary, DownloadSpec> downloads = new EnumMap<>(ServerBinary.class);
        for (ServerBinary binary : ServerBinary.values()) {
            DownloadSpec.official(binary, versions.getOrDefault(binary, binary.version()), os, arch)
                    .ifPresent(spec -> downloads.put(binary, spec));
        }
        return new BinarySources(explicit, assets, searchPath, cacheDir, download, downloads, build,
                wellKnownGo(searchPath), versions);
    }

    /**
     * Return the default cache directory: {@code $XDG_CACHE_HOME/vault-k8s-trust}, or
     * {@code ~/.cache/vault-k8s-trust} when that variable is unset.
     *
     * @return the cache directory (not created)
     */
    public static Path defaultCacheDir() {
        return CacheDir.defaultDir();
    }

    /**
     * Split a {@code PATH}-style value into entries, dropping empty ones: an empty entry means
     * "the current directory" to a shell, which is never where a test's servers should come from.
     *
     * @param path the value, may be {@code null}
     * @return the entries in order
     */
    static List<Path> splitPath(String path) {
        List<Path> entries = new ArrayList<>();
        if (path == null) {
            return entries;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                try {
                    entries.add(Path.of(entry));
                } catch (InvalidPathException e) {
                    // A malformed PATH entry cannot hold a binary; skipping it is what a shell does too.
                }
            }
        }
        return entries;
    }

    private static Optional<Path> pathFromEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(value.trim()));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * Find {@code go} in its usual install locations when it is not on {@code PATH}: IDEs started
     * from a desktop (notably on macOS) often run tests with a PATH that lacks the Go installer's
     * directory, and building once is far better than failing.
     */
    private static Optional<Path> wellKnownGo(List<Path> searchPath) {
        for (Path dir : searchPath) {
            if (isExecutableFile(dir.resolve("go"))) {
                return Optional.empty(); // the resolver finds it on PATH, and reports it as such
            }
        }
        List<Path> candidates = new ArrayList<>();
        pathFromEnv("GOROOT").ifPresent(root -> candidates.add(root.resolve("bin").resolve("go")));
        candidates.add(Path.of("/usr/local/go/bin/go"));
        candidates.add(Path.of("/opt/homebrew/bin/go"));
        candidates.add(Path.of("/usr/local/bin/go"));
        return candidates.stream().filter(BinarySources::isExecutableFile).findFirst();
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
