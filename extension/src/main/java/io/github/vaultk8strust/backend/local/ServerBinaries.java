package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.support.Progress;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
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
 *   <li>a download of the official release, checked against its published SHA-256;</li>
 *   <li>a build from the Go wrapper module bundled with the library.</li>
 * </ol>
 * Steps 4 to 6 run under an exclusive file lock per server, so parallel JVMs share one download or
 * build instead of racing. Progress on slow steps goes to the caller's {@code progress} consumer.
 */
@API(status = INTERNAL, since = "0.1")
public final class ServerBinaries {

    /** The most often a slow step reports progress. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for a response's headers; large bodies may take longer to arrive. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> MODULE_FILES = List.of("go.mod", "go.sum", "main.go");
    private static final int LOG_TAIL_LINES = 30;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /**
     * Per-JVM locks keyed by lock file: {@link FileChannel#lock()} only excludes other processes,
     * and a second thread of the same JVM would get an {@code OverlappingFileLockException}.
     */
    private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

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
        checkExplicitSettings(ordered, sources);

        Map<ServerBinary, Path> found = new EnumMap<>(ServerBinary.class);
        Map<ServerBinary, List<String>> missing = new EnumMap<>(ServerBinary.class);
        for (ServerBinary binary : ordered) {
            List<String> report = new ArrayList<>();
            Optional<Path> path = find(binary, sources, progress, report);
            if (path.isPresent()) {
                found.put(binary, path.get());
            } else {
                missing.put(binary, report);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingServerBinaryException(notFoundMessage(missing, sources), missing);
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
     */
    public static io.github.vaultk8strust.spi.Availability canObtain(Set<ServerBinary> wanted, BinarySources sources) {
        List<String> how = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ServerBinary binary : EnumSet.copyOf(wanted)) {
            boolean found = sources.explicit().containsKey(binary)
                    || (binary.inKubebuilderAssets() && !sources.versionAsked(binary) && sources.kubebuilderAssets()
                            .map(dir -> isExecutableFile(dir.resolve(binary.id()))).orElse(false))
                    || (!sources.versionAsked(binary) && binary.executableNames().stream().anyMatch(name ->
                            sources.searchPath().stream().anyMatch(dir -> isExecutableFile(dir.resolve(name)))))
                    || isExecutableFile(cachedBinary(binary, sources.version(binary), sources.cacheDir()));
            if (found) {
                continue;
            }
            if (sources.download()) {
                how.add(binary.id() + " to download");
            } else if (sources.build() && findGo(sources).isPresent()) {
                how.add(binary.id() + " to build");
            } else {
                missing.add(binary.id());
            }
        }
        if (!missing.isEmpty()) {
            return io.github.vaultk8strust.spi.Availability.no("no " + String.join(", ", missing) + " binary can be had "
                    + "(not set, not on PATH or in KUBEBUILDER_ASSETS or the cache, downloads and builds off or go "
                    + "missing)");
        }
        return io.github.vaultk8strust.spi.Availability.yes(how.isEmpty() ? "its server binaries are at hand"
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
        String folder = binary.id() + "-" + version + "-" + DownloadSpec.currentOs() + "-"
                + DownloadSpec.currentArch();
        return cacheDir.toAbsolutePath().resolve("bin").resolve(folder).resolve(binary.id());
    }

    // ---------------------------------------------------------------------------------------------
    // Versions

    private static final Pattern VERSION_IN_OUTPUT = Pattern.compile("v?(\\d+\\.\\d+\\.\\d+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(20);

    /** The setting a server's version comes from, for messages. */
    static String versionKey(ServerBinary binary) {
        return binary == ServerBinary.VAULT ? ConfigKeys.VAULT_VERSION_KEY : ConfigKeys.KUBERNETES_VERSION_KEY;
    }

    /**
     * Ask a binary its version ({@code --version}; {@code vault version}) and say which it is when it is not
     * {@code wanted}; empty when it is. A binary that does not answer counts as another version.
     */
    static Optional<String> wrongVersion(ServerBinary binary, Path executable, String wanted) {
        String found = versionOf(binary, executable).orElse("of unknown version");
        String bare = wanted.startsWith("v") ? wanted.substring(1) : wanted;
        boolean bao = executable.getFileName().toString().equals("bao");
        return !bao && (found.equals(bare) || found.equals("v" + bare)) ? Optional.empty()
                : Optional.of(bao ? "OpenBao " + found : found.startsWith("of") ? found : "v" + found);
    }

    /** Run {@code executable --version} (etcd, kube-apiserver) or {@code executable version} (vault, bao). */
    static Optional<String> versionOf(ServerBinary binary, Path executable) {
        List<String> command = List.of(executable.toString(), binary == ServerBinary.VAULT ? "version" : "--version");
        Process process = null;
        Path output = null;
        try {
            // Output to a file, not a pipe: a binary that hangs without printing cannot block this thread.
            output = Files.createTempFile("vault-k8s-trust-version-", ".txt");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(VERSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            var m = VERSION_IN_OUTPUT.matcher(text.length() > 4096 ? text.substring(0, 4096) : text);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a few bytes in the temp directory
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Search

    private static void checkExplicitSettings(Set<ServerBinary> wanted, BinarySources sources) {
        Map<ServerBinary, List<String>> bad = new EnumMap<>(ServerBinary.class);
        for (ServerBinary binary : wanted) {
            Path path = sources.explicit().get(binary);
            if (path != null) {
                explicitProblem(binary, path)
                        .or(() -> sources.versionAsked(binary) ? wrongVersion(binary, path, sources.version(binary))
                                .map(found -> binary.settingKey() + " / " + binary.envVar() + " points at " + path
                                        + ", which is " + binary.id() + " " + found + ", but " + sources.version(binary)
                                        + " was asked for (" + versionKey(binary) + "). Point the setting at a "
                                        + sources.version(binary) + " binary, or unset it to let vault-k8s-trust use"
                                        + " its cache, download or build that version.")
                                : Optional.empty())
                        .ifPresent(problem -> bad.put(binary, List.of(problem)));
            }
        }
        if (!bad.isEmpty()) {
            String message = bad.values().stream().map(lines -> lines.get(0))
                    .collect(Collectors.joining(System.lineSeparator()));
            throw new MissingServerBinaryException(message, bad);
        }
    }

    private static Optional<String> explicitProblem(ServerBinary binary, Path path) {
        String setting = binary.settingKey() + " / " + binary.envVar() + " points at " + path;
        if (!Files.exists(path)) {
            return Optional.of(setting + ", which does not exist. The path is probably mistyped or the binary"
                    + " was removed; fix the path, or unset the setting to let vault-k8s-trust look in"
                    + " KUBEBUILDER_ASSETS, on PATH and in its cache.");
        }
        if (Files.isDirectory(path)) {
            Optional<Path> inside = binary.executableNames().stream().map(path::resolve)
                    .filter(ServerBinaries::isExecutableFile).findFirst();
            return Optional.of(setting + ", which is a directory; point the setting at the "
                    + binary.executableNamesText() + " executable itself"
                    + inside.map(p -> ", e.g. " + p).orElse("") + ".");
        }
        if (!Files.isExecutable(path)) {
            return Optional.of(setting + ", which is not executable; run chmod +x " + path
                    + " or point the setting at an executable " + binary.executableNamesText() + ".");
        }
        return Optional.empty();
    }

    private static Optional<Path> find(ServerBinary binary, BinarySources sources, Consumer<String> progress,
            List<String> report) {
        Path explicit = sources.explicit().get(binary);
        if (explicit != null) {
            return Optional.of(explicit.toAbsolutePath()); // already checked by checkExplicitSettings
        }
        report.add("setting " + binary.settingKey() + " / " + binary.envVar() + ": not set");

        if (binary.inKubebuilderAssets()) {
            Optional<Path> assets = sources.kubebuilderAssets();
            if (assets.isEmpty()) {
                report.add("KUBEBUILDER_ASSETS: not set");
            } else {
                Path dir = assets.get();
                Path candidate = dir.resolve(binary.id());
                if (isExecutableFile(candidate)) {
                    Optional<String> other = sources.versionAsked(binary)
                            ? wrongVersion(binary, candidate, sources.version(binary)) : Optional.empty();
                    if (other.isEmpty()) {
                        return Optional.of(candidate.toAbsolutePath());
                    }
                    report.add("KUBEBUILDER_ASSETS (" + dir + "): " + binary.id() + " is " + other.get() + ", not "
                            + sources.version(binary) + "; skipped");
                } else {
                    report.add("KUBEBUILDER_ASSETS (" + dir + "): "
                        + (Files.isDirectory(dir) ? describeAbsent(candidate) : "not a directory"));
                }
            }
        }

        List<String> skipped = new ArrayList<>();
        for (String name : binary.executableNames()) {
            for (Path dir : sources.searchPath()) {
                Path candidate = dir.resolve(name);
                if (isExecutableFile(candidate)) {
                    Optional<String> other = sources.versionAsked(binary)
                            ? wrongVersion(binary, candidate, sources.version(binary)) : Optional.empty();
                    if (other.isEmpty()) {
                        return Optional.of(candidate.toAbsolutePath());
                    }
                    skipped.add(candidate + " is " + other.get());
                }
            }
        }
        String path = sources.searchPath().isEmpty() ? "empty"
                : sources.searchPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        report.add("PATH (" + path + "): " + (skipped.isEmpty() ? "no " + binary.executableNamesText()
                : String.join(", ", skipped) + ", not " + sources.version(binary) + "; skipped"));

        return fromCache(binary, sources, progress, report);
    }

    /** Steps 4 to 6: the cache, then download or build into it, under the per-server lock. */
    private static Optional<Path> fromCache(ServerBinary binary, BinarySources sources, Consumer<String> progress,
            List<String> report) {
        String version = sources.version(binary);
        Path target = cachedBinary(binary, version, sources.cacheDir());
        if (isExecutableFile(target) && CacheIntegrity.isVerified(target)) {
            return Optional.of(target);
        }
        Path binDir = target.getParent().getParent();
        Path lockFile = binDir.resolve("." + binary.id() + ".lock");
        boolean canProduce = sources.download() || sources.build();
        if (!canProduce && !Files.exists(lockFile)) {
            // Nothing will be produced and nobody ever produced here: no need to create cache folders.
            report.add("cache " + target + ": " + cacheState(target));
            report.add(downloadOffReason(binary, sources));
            report.add("build from Go modules: switched off");
            return Optional.empty();
        }
        try {
            Files.createDirectories(binDir);
            Path realLock = binDir.toRealPath().resolve(lockFile.getFileName());
            return underLock(binary, version, realLock, progress,
                    () -> produce(binary, sources, target, progress, report));
        } catch (ClosedByInterruptException e) {
            // Interrupted while blocked in FileChannel.lock(): a cancellation, not a cache problem.
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while waiting for the lock on " + binary.id() + " "
                    + version + " in " + target.getParent(), e);
        } catch (IOException e) {
            report.add("cache " + target.getParent() + ": unusable: " + describe(e)
                    + " (make the cache directory writable, or pick another one)");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while waiting for or producing " + binary.id()
                    + " " + version + " in " + target.getParent(), e);
        }
    }

    private static Optional<Path> produce(ServerBinary binary, BinarySources sources, Path target,
            Consumer<String> progress, List<String> report) throws InterruptedException {
        String version = sources.version(binary);
        // Another process may have finished it while this one waited for the lock; check what is there.
        if (isExecutableFile(target)) {
            Optional<String> problem = CacheIntegrity.verify(target);
            if (problem.isEmpty()) {
                return Optional.of(target);
            }
            Path aside = CacheIntegrity.setAside(target);
            progress.accept("the cached " + binary.id() + " " + target + " " + problem.get() + "; set it aside as "
                    + aside + " and obtaining it again");
            report.add("cache " + target + ": " + problem.get() + " (set aside as " + aside + ")");
        }
        report.add("cache " + target + ": " + cacheState(target));
        deleteStaleTemporaries(binary, sources.cacheDir(), target.getParent());

        DownloadSpec spec = sources.downloads().get(binary);
        if (sources.download() && spec != null) {
            try {
                download(binary, version, spec, target, sources.cacheDir(), progress);
                return Optional.of(target);
            } catch (IOException | RuntimeException e) {
                String why = describe(e);
                report.add("download " + spec.archive() + ": failed: " + why);
                progress.accept("download of " + binary.id() + " " + version + " failed (" + why
                        + "); trying the next source");
            }
        } else {
            report.add(downloadOffReason(binary, sources));
        }

        if (!sources.build()) {
            report.add("build from Go modules: switched off");
            return Optional.empty();
        }
        Optional<Path> go = findGo(sources);
        if (go.isEmpty()) {
            report.add("build from Go modules: no `go` executable "
                    + sources.goExecutable().map(p -> "at " + p).orElse("on PATH"));
            return Optional.empty();
        }
        try {
            build(binary, version, go.get(), target, sources.cacheDir(), progress);
            return Optional.of(target);
        } catch (IOException | RuntimeException e) {
            report.add("build from Go modules with " + go.get() + ": failed: " + describe(e));
            progress.accept("build of " + binary.id() + " " + version + " failed; see "
                    + buildLog(binary, sources.cacheDir()));
            return Optional.empty();
        }
    }

    private static String downloadOffReason(ServerBinary binary, BinarySources sources) {
        if (!sources.download()) {
            return "download: switched off";
        }
        return "download: no official " + binary.id() + " " + sources.version(binary) + " release for "
                + DownloadSpec.currentOs() + "/" + DownloadSpec.currentArch();
    }

    private static Optional<Path> findGo(BinarySources sources) {
        if (sources.goExecutable().isPresent()) {
            Path go = sources.goExecutable().get();
            return isExecutableFile(go) ? Optional.of(go.toAbsolutePath()) : Optional.empty();
        }
        return sources.searchPath().stream().map(dir -> dir.resolve("go")).filter(ServerBinaries::isExecutableFile)
                .map(Path::toAbsolutePath).findFirst();
    }

    // ---------------------------------------------------------------------------------------------
    // Locking

    @FunctionalInterface
    private interface LockedAction {
        Optional<Path> run() throws InterruptedException;
    }

    private static Optional<Path> underLock(ServerBinary binary, String version, Path lockFile, Consumer<String> progress,
            LockedAction action) throws IOException, InterruptedException {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, key -> new ReentrantLock());
        if (!jvmLock.tryLock()) {
            progress.accept("waiting for another thread that is obtaining " + binary.id() + " " + version);
            jvmLock.lockInterruptibly();
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                long start = System.nanoTime();
                progress.accept("waiting for another process that is downloading or building " + binary.id() + " "
                        + version + " (holds " + lockFile + ")");
                lock = channel.lock();
                progress.accept("the other process released " + lockFile + " after " + elapsed(start));
            }
            try {
                return action.run();
            } finally {
                lock.release();
            }
        } finally {
            jvmLock.unlock();
        }
    }

    /**
     * Delete leftovers of a download or build killed halfway; safe because they are only ever
     * created under the lock this thread now holds.
     */
    private static void deleteStaleTemporaries(ServerBinary binary, Path cacheDir, Path targetDir) {
        deleteMatching(targetDir, "." + binary.id() + "-*.tmp");
        Path tmp = cacheDir.resolve("tmp");
        deleteMatching(tmp, binary.id() + "-download-*");
        deleteMatching(tmp, "gomod-" + binary.id() + "-*");
    }

    private static void deleteMatching(Path dir, String glob) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, glob)) {
            for (Path path : stale) {
                deleteRecursively(path);
            }
        } catch (IOException e) {
            // Leftovers only waste disk space; they never break a later download or build.
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Download

    private static void download(ServerBinary binary, String version, DownloadSpec spec, Path target, Path cacheDir,
            Consumer<String> progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        progress.accept("downloading " + binary.id() + " " + version + " from " + spec.archive()
                + ": first time only; usually under a minute, later runs reuse " + target);
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();

        HttpResponse<String> sums = send(client, spec.checksums(), HttpResponse.BodyHandlers.ofString());
        requireOk(sums, spec.checksums());
        String expected = expectedSha256(sums.body(), spec);

        Path tmpDir = Files.createDirectories(cacheDir.resolve("tmp"));
        Path archive = Files.createTempFile(tmpDir, binary.id() + "-download-", ".part");
        try {
            String actual = fetch(client, spec.archive(), archive, binary, version, start, progress);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new IOException("SHA-256 mismatch for " + spec.archive() + ": expected " + expected + " (from "
                        + spec.checksums() + "), actual " + actual + ". The download is corrupt or was altered"
                        + " on the way, so it was discarded; retry, or provide the binary another way.");
            }
            install(spec, archive, target);
        } finally {
            Files.deleteIfExists(archive);
        }
        progress.accept("downloaded " + binary.id() + " " + version + " in " + elapsed(start) + " to "
                + target);
    }

    /**
     * Send a GET, turning HttpClient's message-less connection failures into ones that say what
     * went wrong: on machines without internet access this line ends up in the search report.
     */
    private static <T> HttpResponse<T> send(HttpClient client, URI uri, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return client.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw withCause(new HttpConnectTimeoutException("no connection to " + hostOf(uri) + " within "
                    + CONNECT_TIMEOUT.toSeconds() + " s; a firewall or a missing proxy setting probably blocks it"), e);
        } catch (HttpTimeoutException e) {
            throw withCause(new HttpTimeoutException("no response from " + hostOf(uri) + " within "
                    + REQUEST_TIMEOUT.toSeconds() + " s"), e);
        } catch (ConnectException e) {
            boolean unresolved = false;
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                unresolved |= cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException;
            }
            throw withCause(new ConnectException(unresolved
                    ? "cannot resolve " + uri.getHost() + "; this machine is offline or its DNS does not know the host"
                    : "cannot connect to " + hostOf(uri) + "; the connection was refused or reset"), e);
        }
    }

    private static <E extends IOException> E withCause(E exception, Throwable cause) {
        exception.initCause(cause);
        return exception;
    }

    private static String hostOf(URI uri) {
        return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    private static void requireOk(HttpResponse<?> response, URI uri) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri);
        }
    }

    /**
     * Find the expected SHA-256 in a checksum file: either the whole file is the hash, or it has
     * {@code <hash>  <name>} lines (sha256sum format, with {@code *} marking binary mode).
     */
    static String expectedSha256(String checksumFile, DownloadSpec spec) throws IOException {
        if (spec.checksumEntry() == null) {
            String[] tokens = checksumFile.trim().split("\\s+");
            if (tokens.length > 0 && SHA256_HEX.matcher(tokens[0]).matches()) {
                return tokens[0].toLowerCase(Locale.ROOT);
            }
            throw new IOException(spec.checksums() + " does not hold a SHA-256 hash");
        }
        for (String line : checksumFile.lines().collect(Collectors.toList())) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2 && SHA256_HEX.matcher(parts[0]).matches()) {
                String name = parts[1].startsWith("*") ? parts[1].substring(1) : parts[1];
                if (name.equals(spec.checksumEntry()) || name.equals("./" + spec.checksumEntry())) {
                    return parts[0].toLowerCase(Locale.ROOT);
                }
            }
        }
        throw new IOException(spec.checksums() + " lists no SHA-256 for " + spec.checksumEntry());
    }

    /** Stream the body to {@code file}, hashing on the way, and return its SHA-256 in hex. */
    private static String fetch(HttpClient client, URI uri, Path file, ServerBinary binary, String version, long start,
            Consumer<String> progress) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(client, uri, HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest sha256 = sha256();
        try (InputStream body = new DigestInputStream(response.body(), sha256);
                var out = Files.newOutputStream(file)) {
            requireOk(response, uri);
            long total = response.headers().firstValueAsLong("content-length").orElse(-1);
            long received = 0;
            long nextReport = System.nanoTime() + HEARTBEAT.toNanos();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                received += n;
                if (System.nanoTime() >= nextReport) {
                    nextReport = System.nanoTime() + HEARTBEAT.toNanos();
                    progress.accept("still downloading " + binary.id() + " " + version + ": "
                            + megabytes(received) + (total > 0 ? " of " + megabytes(total) : "") + " after "
                            + elapsed(start));
                }
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void install(DownloadSpec spec, Path archive, Path target) throws IOException {
        Path tmp = temporarySibling(target);
        try {
            String entry = spec.entryInArchive();
            String name = spec.archive().getPath().toLowerCase(Locale.ROOT);
            if (entry == null) {
                Files.copy(archive, tmp);
            } else if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                extractFromTarGz(archive, entry, tmp, spec.archive());
            } else if (name.endsWith(".zip")) {
                extractFromZip(archive, entry, tmp, spec.archive());
            } else {
                throw new IOException("cannot unpack " + spec.archive()
                        + ": only .tar.gz, .tgz and .zip archives are supported");
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void extractFromTarGz(Path archive, String entry, Path out, URI source) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile() && sameEntry(e.getName(), entry)) {
                    Files.copy(tar, out);
                    return;
                }
            }
        }
        throw new IOException(source + " has no file " + entry);
    }

    private static void extractFromZip(Path archive, String entry, Path out, URI source) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.isDirectory() && sameEntry(e.getName(), entry)) {
                    Files.copy(zip, out);
                    return;
                }
            }
        }
        throw new IOException(source + " has no file " + entry);
    }

    private static boolean sameEntry(String name, String wanted) {
        return (name.startsWith("./") ? name.substring(2) : name).equals(wanted);
    }

    // ---------------------------------------------------------------------------------------------
    // Build

    private static void build(ServerBinary binary, String version, Path go, Path target, Path cacheDir, Consumer<String> progress)
            throws IOException, InterruptedException {
        Path tmpDir = Files.createDirectories(cacheDir.resolve("tmp"));
        Path log = buildLog(binary, cacheDir);
        Files.createDirectories(log.getParent());
        Path out = temporarySibling(target);
        Path module = Files.createTempDirectory(tmpDir, "gomod-" + binary.id() + "-");
        Process process = null;
        try {
            copyModule(binary, version, module);
            List<String> command = goBuildCommand(binary, version, go, out);
            ProcessBuilder builder = new ProcessBuilder(command).directory(module.toFile()).redirectErrorStream(true);
            // Only what the build needs; GOTOOLCHAIN, GOCACHE and GOMODCACHE stay the user's so that
            // Go's persistent caches make every build after the first take seconds.
            builder.environment().put("GOWORK", "off");
            builder.environment().put("CGO_ENABLED", "0");
            builder.environment().put("GOFLAGS", "-mod=readonly");

            long start = System.nanoTime();
            progress.accept("building " + binary.id() + " " + version + " from Go modules: first time only; "
                    + coldBuildTime(binary) + ", later runs reuse " + target + " (log: " + log + ")");
            BufferedWriter logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
            logWriter.write("# " + Instant.now() + ": building " + binary.id() + " " + version + " in " + module);
            logWriter.newLine();
            logWriter.write("# GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=readonly " + command.stream()
                    .map(arg -> arg.contains(" ") ? "'" + arg + "'" : arg).collect(Collectors.joining(" ")));
            logWriter.newLine();
            OutputPump pump;
            try {
                process = builder.start();
                process.getOutputStream().close();
                pump = new OutputPump(process.getInputStream(), logWriter);
            } catch (IOException | RuntimeException e) {
                logWriter.close();
                throw e;
            }
            Thread pumpThread = new Thread(pump, "vault-k8s-trust go build " + binary.id());
            pumpThread.setDaemon(true);
            pumpThread.start();

            while (!process.waitFor(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                progress.accept("still building " + binary.id() + " " + version + ": " + elapsed(start)
                        + " elapsed, " + pump.packages() + " packages compiled so far");
            }
            pumpThread.join();
            int exit = process.exitValue();
            if (exit != 0) {
                throw new IOException("go build exited with code " + exit + "; full log: " + log + "; last "
                        + LOG_TAIL_LINES + " lines:" + System.lineSeparator() + String.join(System.lineSeparator(),
                        pump.tail()) + pump.failure().map(f -> System.lineSeparator() + "(log incomplete: " + f + ")")
                        .orElse(""));
            }
            if (!Files.isRegularFile(out)) {
                throw new IOException("go build exited with code 0 but wrote no " + out + "; full log: " + log);
            }
            moveIntoPlace(out, target);
            progress.accept("built " + binary.id() + " " + version + " in " + elapsed(start) + " ("
                    + pump.packages() + " packages compiled) to " + target);
        } finally {
            if (process != null && process.isAlive()) {
                // Interrupted or failed half-way: do not leave a compiler eating both cores.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            deleteRecursively(module);
            Files.deleteIfExists(out);
        }
    }

    private static Path buildLog(ServerBinary binary, Path cacheDir) {
        return cacheDir.toAbsolutePath().resolve("logs").resolve("build-" + binary.id() + ".log");
    }

    private static String coldBuildTime(ServerBinary binary) {
        return binary == ServerBinary.ETCD
                ? "a cold build takes 1–2 minutes on 2 cores"
                : "a cold build takes 3–10 minutes on 2 cores";
    }

    /**
     * Return the wrapper module's resource folder: {@code gomod/<id>} for the pin, {@code gomod/<id>-<version>} for
     * another version the library ships a wrapper for.
     */
    static String moduleFolder(ServerBinary binary, String version) {
        return version.equals(binary.version()) ? "gomod/" + binary.id() : "gomod/" + binary.id() + "-" + version;
    }

    private static void copyModule(ServerBinary binary, String version, Path module) throws IOException {
        String folder = moduleFolder(binary, version);
        if (ServerBinaries.class.getResource(folder + "/go.mod") == null) {
            throw new IOException("vault-k8s-trust ships no Go wrapper module for " + binary.id() + " " + version
                    + " (no resource " + folder + "/go.mod); provide the binary by setting " + binary.settingKey()
                    + ", or ask for a version the library knows");
        }
        for (String file : MODULE_FILES) {
            String resource = folder + "/" + file;
            try (InputStream in = ServerBinaries.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("resource " + resource + " is missing next to " + ServerBinaries.class.getName()
                            + "; the vault-k8s-trust jar is incomplete or repackaged without its resources");
                }
                Files.copy(in, module.resolve(file));
            }
        }
    }

    static List<String> goBuildCommand(ServerBinary binary, Path go, Path out) {
        return goBuildCommand(binary, binary.version(), go, out);
    }

    static List<String> goBuildCommand(ServerBinary binary, String version, Path go, Path out) {
        List<String> command = new ArrayList<>(List.of(go.toString(), "build", "-v", "-trimpath", "-buildvcs=false"));
        if (binary == ServerBinary.KUBE_APISERVER) {
            // Stamp the version as Kubernetes' own build does; /version and client compatibility checks read it.
            String[] numbers = version.substring(1).split("\\.");
            command.add("-tags");
            command.add("selinux,notest,grpcnotrace");
            command.add("-ldflags");
            command.add("-s -w -X k8s.io/component-base/version.gitVersion=" + version
                    + " -X k8s.io/client-go/pkg/version.gitVersion=" + version
                    + " -X k8s.io/component-base/version.gitMajor=" + numbers[0]
                    + " -X k8s.io/component-base/version.gitMinor=" + numbers[1]);
        } else {
            command.add("-ldflags");
            command.add("-s -w");
        }
        command.add("-o");
        command.add(out.toString());
        command.add(".");
        return command;
    }

    /** Copy go build's output to the log, count compiled packages and keep the last lines for errors. */
    private static final class OutputPump implements Runnable {
        private final InputStream output;
        private final BufferedWriter log;
        private final AtomicInteger packages = new AtomicInteger();
        private final Deque<String> tail = new ArrayDeque<>();
        private volatile IOException failure;

        OutputPump(InputStream output, BufferedWriter log) {
            this.output = output;
            this.log = log;
        }

        @Override
        public void run() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                    BufferedWriter out = log) {
                for (String line; (line = lines.readLine()) != null; ) {
                    // go build -v prints each package's import path, a single word, as it compiles it;
                    // everything else ("go: downloading ...", compiler errors) has spaces.
                    if (!line.isBlank() && !line.contains(" ") && !line.startsWith("#")) {
                        packages.incrementAndGet();
                    }
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > LOG_TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                    out.write(line);
                    out.newLine();
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        int packages() {
            return packages.get();
        }

        List<String> tail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }

        Optional<IOException> failure() {
            return Optional.ofNullable(failure);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Files and formatting

    /** A not-yet-existing file next to {@code target}, so the final move is a same-filesystem rename. */
    private static Path temporarySibling(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        // Not created here: go build refuses to overwrite a file it did not produce.
        return target.resolveSibling("." + target.getFileName() + "-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime() + ".tmp");
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            if (!tmp.toFile().setExecutable(true, false)) {
                throw new IOException("cannot make " + tmp + " executable", e);
            }
        }
        // The record first: a binary in place without its record would be taken for a legacy one and trusted.
        CacheIntegrity.record(tmp, target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        CacheIntegrity.markVerified(target);
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    private static String describeAbsent(Path file) {
        if (!Files.exists(file)) {
            return "no " + file.getFileName();
        }
        if (Files.isDirectory(file)) {
            return file + " is a directory";
        }
        return file + " is not executable";
    }

    private static String cacheState(Path target) {
        if (!Files.exists(target)) {
            return "empty";
        }
        return Files.isDirectory(target) ? "a directory, not a binary" : "present but not executable";
    }

    private static void deleteRecursively(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (var children = Files.list(path)) {
                    children.forEach(ServerBinaries::deleteRecursively);
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover temporary folder is cleaned up by the next run under the lock.
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }

    /** Name the exception and its root cause; HttpClient's own exceptions often have no message. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 5; depth++) {
            if (!text.toString().contains(cause.toString())) {
                text.append(" (caused by ").append(cause).append(')');
            }
            cause = cause.getCause();
        }
        return text.toString();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private static String elapsed(long startNanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        return seconds < 60 ? seconds + "s" : (seconds / 60) + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
    }

    // ---------------------------------------------------------------------------------------------
    // The "not found" message

    private static String notFoundMessage(Map<ServerBinary, List<String>> missing, BinarySources sources) {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder("vault-k8s-trust could not find ")
                .append(missing.keySet().stream().map(b -> b.id() + " " + sources.version(b)).collect(Collectors.joining(", ")))
                .append(" for the local backend.").append(nl);
        missing.forEach((binary, places) -> {
            text.append(binary.id()).append(' ').append(sources.version(binary)).append(", searched:").append(nl);
            places.forEach(place -> text.append("  - ").append(place.replace(nl, nl + "      ")).append(nl));
        });
        text.append("Provide each one in any of these ways:").append(nl);
        for (ServerBinary binary : missing.keySet()) {
            text.append("  - set ").append(binary.settingKey()).append(" or the environment variable ")
                    .append(binary.envVar()).append(" to ").append(wantedBinary(binary, sources)).append(nl);
        }
        boolean envtestHelps = missing.keySet().stream().anyMatch(ServerBinary::inKubebuilderAssets);
        if (envtestHelps) {
            String minor = minorLine(ServerBinary.KUBE_APISERVER, sources).substring(1);
            text.append("  - point KUBEBUILDER_ASSETS at an envtest asset directory holding etcd and kube-apiserver, e.g. ")
                    .append("KUBEBUILDER_ASSETS=\"$(setup-envtest use ").append(minor).append(" -p path)\"").append(nl);
        }
        text.append("  - put ").append(missing.keySet().stream().map(ServerBinary::executableNamesText)
                .collect(Collectors.joining(", "))).append(" on PATH").append(nl);
        Path binDir = sources.cacheDir().toAbsolutePath().resolve("bin");
        List<ServerBinary> downloadable = missing.keySet().stream().filter(sources.downloads()::containsKey).toList();
        if (!sources.download() && !downloadable.isEmpty()) {
            text.append("  - allow downloading the official ")
                    .append(downloadable.stream().map(ServerBinary::id).collect(Collectors.joining(", ")))
                    .append(downloadable.size() == 1 ? " release" : " releases").append(" (switched off now): set ")
                    .append(switchOn(ConfigKeys.DOWNLOAD_KEY)).append("; vault-k8s-trust then downloads them once")
                    .append(" into ").append(binDir).append(", checked against their published SHA-256").append(nl);
        }
        text.append("  - ").append(sources.build() ? "install"
                        : "allow building from Go modules (switched off now: set " + switchOn(ConfigKeys.BUILD_KEY)
                                + ") with")
                .append(" Go 1.26 or later on PATH (https://go.dev/dl/): vault-k8s-trust then builds the pinned versions once")
                .append(" into ").append(binDir).append(" and reuses them (a cold build of kube-apiserver or vault takes")
                .append(" 3–10 minutes on 2 cores)").append(nl);
        return text.toString();
    }

    /** Say how to set a boolean setting to true, e.g. {@code vaultk8s.local.build=true or VAULTK8S_LOCAL_BUILD=true}. */
    private static String switchOn(String key) {
        String envVar = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return key + "=true or the environment variable " + envVar + "=true";
    }

    private static String wantedBinary(ServerBinary binary, BinarySources sources) {
        return switch (binary) {
            case ETCD -> "an etcd " + minorLine(binary, sources) + " binary";
            case KUBE_APISERVER -> "a kube-apiserver " + minorLine(binary, sources) + " binary";
            case VAULT -> "a vault " + minorLine(binary, sources) + (sources.versionAsked(binary) ? " binary"
                    : " or OpenBao bao binary");
        };
    }

    /** The version line users should look for, e.g. {@code v1.34.x}. */
    private static String minorLine(ServerBinary binary, BinarySources sources) {
        if (sources.versionAsked(binary)) {
            return sources.version(binary);
        }
        String version = binary.version();
        return version.substring(0, version.lastIndexOf('.')) + ".x";
    }
}
