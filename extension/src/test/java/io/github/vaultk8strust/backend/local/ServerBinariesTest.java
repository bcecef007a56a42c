package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerBinariesTest {

    private static final byte[] FAKE_BINARY = "#!/bin/sh\necho fake server\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;

    private final Queue<String> progress = new ConcurrentLinkedQueue<>();
    private HttpServer server;
    private ExecutorService serverThreads;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Explicit settings, KUBEBUILDER_ASSETS, PATH, cache

    @Test
    void explicitPathWinsOverEverythingElse() throws IOException {
        Path explicit = executable(tmp.resolve("mine"), "etcd");
        Path onPath = executable(tmp.resolve("path"), "etcd");
        Path assets = executable(tmp.resolve("assets"), "etcd").getParent();
        BinarySources sources = new BinarySources(Map.of(ServerBinary.ETCD, explicit), Optional.of(assets),
                List.of(onPath.getParent()), cache(), false, Map.of(), false, Optional.empty());

        assertThat(ServerBinaries.resolve(ServerBinary.ETCD, sources, progress::add)).isEqualTo(explicit);
    }

    @Test
    void explicitPathThatDoesNotExistFailsNamingTheSetting() throws IOException {
        Path missing = tmp.resolve("nowhere/kube-apiserver");
        Path onPath = executable(tmp.resolve("path"), "kube-apiserver").getParent();
        BinarySources sources = offline(Map.of(ServerBinary.KUBE_APISERVER, missing), List.of(onPath));

        // No fall-through: a kube-apiserver on PATH must not hide the broken setting.
        assertThatThrownBy(() -> ServerBinaries.resolve(ServerBinary.KUBE_APISERVER, sources, progress::add))
                .isInstanceOf(MissingServerBinaryException.class)
                .hasMessageContaining("vaultk8s.local.kube-apiserver")
                .hasMessageContaining("VAULTK8S_LOCAL_KUBE_APISERVER")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void explicitPathThatIsNotExecutableFailsBeforeAnyOtherServerIsSearched() throws IOException {
        Path notExecutable = Files.write(tmp.resolve("vault"), FAKE_BINARY);
        BinarySources sources = offline(Map.of(ServerBinary.VAULT, notExecutable), List.of());

        assertThatThrownBy(() -> ServerBinaries.resolveAll(EnumSet.allOf(ServerBinary.class), sources, progress::add))
                .isInstanceOfSatisfying(MissingServerBinaryException.class,
                        e -> assertThat(e.missing()).containsExactly(ServerBinary.VAULT))
                .hasMessageContaining("vaultk8s.local.vault")
                .hasMessageContaining("is not executable")
                .hasMessageContaining("chmod +x " + notExecutable);
    }

    @Test
    void findsEtcdAndKubeApiserverInKubebuilderAssets() throws IOException {
        Path assets = tmp.resolve("k8s/1.34.1-linux-amd64");
        executable(assets, "etcd");
        executable(assets, "kube-apiserver");
        Path onPath = executable(tmp.resolve("path"), "etcd").getParent();
        BinarySources sources = new BinarySources(Map.of(), Optional.of(assets), List.of(onPath), cache(), false,
                Map.of(), false, Optional.empty());

        Map<ServerBinary, Path> found = ServerBinaries.resolveAll(
                EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER), sources, progress::add);

        assertThat(found).containsExactly(
                Map.entry(ServerBinary.ETCD, assets.resolve("etcd")),
                Map.entry(ServerBinary.KUBE_APISERVER, assets.resolve("kube-apiserver")));
    }

    @Test
    void pathLookupPrefersBaoOverVaultAndSkipsNonExecutables() throws IOException {
        Path first = executable(tmp.resolve("first"), "vault").getParent();
        Files.write(first.resolve("bao"), FAKE_BINARY); // not executable: must be ignored
        Path second = executable(tmp.resolve("second"), "bao").getParent();
        BinarySources sources = offline(Map.of(), List.of(first, second));

        assertThat(ServerBinaries.resolve(ServerBinary.VAULT, sources, progress::add)).isEqualTo(second.resolve("bao"));
    }

    @Test
    void usesTheCacheWithoutDownloadingOrBuilding() throws IOException {
        Path cache = cache();
        Path cached = ServerBinaries.cachedBinary(ServerBinary.VAULT, cache);
        executable(cached.getParent(), "vault");

        assertThat(cached.getParent().getFileName().toString())
                .isEqualTo("vault-v1.21.0-" + DownloadSpec.currentOs() + "-" + DownloadSpec.currentArch());
        assertThat(ServerBinaries.resolve(ServerBinary.VAULT, offline(cache), progress::add)).isEqualTo(cached);
        assertThat(progress).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // Downloads from a local HTTP server

    @Test
    void downloadsATarGzCheckedAgainstSha256SumsIntoTheCache() throws Exception {
        byte[] binary = "#!/bin/sh\necho etcd Version: 3.6.14\n".getBytes(StandardCharsets.US_ASCII);
        byte[] archive = tarGz(Map.of("etcd-v3.6.14-linux-amd64/README.md", "hello".getBytes(StandardCharsets.UTF_8),
                "etcd-v3.6.14-linux-amd64/etcd", binary));
        startServer(Map.of(
                "/etcd-v3.6.14-linux-amd64.tar.gz", archive,
                "/SHA256SUMS", ("0".repeat(64) + "  etcd-v3.6.14-darwin-amd64.zip\n" + sha256(archive)
                        + "  etcd-v3.6.14-linux-amd64.tar.gz\n").getBytes(StandardCharsets.US_ASCII)));
        DownloadSpec spec = new DownloadSpec(url("/etcd-v3.6.14-linux-amd64.tar.gz"), url("/SHA256SUMS"),
                "etcd-v3.6.14-linux-amd64.tar.gz", "etcd-v3.6.14-linux-amd64/etcd");
        Path cache = cache();

        Path etcd = ServerBinaries.resolve(ServerBinary.ETCD, downloading(cache, ServerBinary.ETCD, spec), progress::add);

        assertThat(etcd).isEqualTo(ServerBinaries.cachedBinary(ServerBinary.ETCD, cache));
        assertThat(etcd).isExecutable().hasBinaryContent(binary);
        assertThat(run(etcd)).contains("etcd Version: 3.6.14");
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("downloading etcd v3.6.14 from "
                + spec.archive()));
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("downloaded etcd v3.6.14 in "));
        assertNoTemporaryFilesLeft(cache);
    }

    @Test
    void refusesADownloadWhoseChecksumDiffersAndLeavesNothingInTheCache() throws Exception {
        byte[] archive = tarGz(Map.of("etcd-v3.6.14-linux-amd64/etcd", FAKE_BINARY));
        String wrong = "f".repeat(64);
        startServer(Map.of("/etcd.tar.gz", archive,
                "/SHA256SUMS", (wrong + "  etcd.tar.gz\n").getBytes(StandardCharsets.US_ASCII)));
        DownloadSpec spec = new DownloadSpec(url("/etcd.tar.gz"), url("/SHA256SUMS"), "etcd.tar.gz",
                "etcd-v3.6.14-linux-amd64/etcd");
        Path cache = cache();

        assertThatThrownBy(() -> ServerBinaries.resolve(ServerBinary.ETCD,
                downloading(cache, ServerBinary.ETCD, spec), progress::add))
                .isInstanceOf(MissingServerBinaryException.class)
                .hasMessageContaining("SHA-256 mismatch for " + spec.archive())
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("actual " + sha256(archive));
        assertThat(ServerBinaries.cachedBinary(ServerBinary.ETCD, cache)).doesNotExist();
        assertNoTemporaryFilesLeft(cache);
    }

    @Test
    void downloadsARawBinaryCheckedAgainstASingleHashFile() throws Exception {
        startServer(Map.of("/bin/linux/amd64/kube-apiserver", FAKE_BINARY,
                "/bin/linux/amd64/kube-apiserver.sha256", (sha256(FAKE_BINARY)).getBytes(StandardCharsets.US_ASCII)));
        DownloadSpec spec = new DownloadSpec(url("/bin/linux/amd64/kube-apiserver"),
                url("/bin/linux/amd64/kube-apiserver.sha256"), null, null);
        Path cache = cache();

        Path apiserver = ServerBinaries.resolve(ServerBinary.KUBE_APISERVER,
                downloading(cache, ServerBinary.KUBE_APISERVER, spec), progress::add);

        assertThat(apiserver).isEqualTo(ServerBinaries.cachedBinary(ServerBinary.KUBE_APISERVER, cache))
                .isExecutable().hasBinaryContent(FAKE_BINARY);
    }

    @Test
    void downloadsAZip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("LICENSE.txt"));
            zip.write("license".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("vault"));
            zip.write(FAKE_BINARY);
        }
        byte[] archive = bytes.toByteArray();
        startServer(Map.of("/vault_1.21.0_linux_amd64.zip", archive,
                "/vault_1.21.0_SHA256SUMS", (sha256(archive) + "  vault_1.21.0_linux_amd64.zip\n")
                        .getBytes(StandardCharsets.US_ASCII)));
        DownloadSpec spec = new DownloadSpec(url("/vault_1.21.0_linux_amd64.zip"), url("/vault_1.21.0_SHA256SUMS"),
                "vault_1.21.0_linux_amd64.zip", "vault");

        Path vault = ServerBinaries.resolve(ServerBinary.VAULT, downloading(cache(), ServerBinary.VAULT, spec),
                progress::add);

        assertThat(vault).isExecutable().hasBinaryContent(FAKE_BINARY);
    }

    @Test
    void aFailedDownloadFallsThroughAndIsReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI archive = URI.create("http://127.0.0.1:" + closedPort + "/etcd.tar.gz");
        DownloadSpec spec = new DownloadSpec(archive, URI.create("http://127.0.0.1:" + closedPort + "/SHA256SUMS"),
                "etcd.tar.gz", "etcd");
        Path noGo = tmp.resolve("no/go");
        BinarySources sources = new BinarySources(Map.of(), Optional.empty(), List.of(), cache(), true,
                Map.of(ServerBinary.ETCD, spec), true, Optional.of(noGo));

        assertThatThrownBy(() -> ServerBinaries.resolve(ServerBinary.ETCD, sources, progress::add))
                .isInstanceOfSatisfying(MissingServerBinaryException.class, e -> assertThat(e.searched())
                        .hasEntrySatisfying(ServerBinary.ETCD, places -> assertThat(places)
                                .anySatisfy(p -> assertThat(p).startsWith("download " + archive + ": failed: ")
                                        .contains("ConnectException"))
                                .contains("build from Go modules: no `go` executable at " + noGo)));
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("trying the next source"));
    }

    // ---------------------------------------------------------------------------------------------
    // Nothing found

    @Test
    void reportsEveryMissingServerAndEveryPlaceSearchedInOneException() {
        Path cache = cache();
        BinarySources sources = offline(cache);

        assertThatThrownBy(() -> ServerBinaries.resolveAll(EnumSet.allOf(ServerBinary.class), sources, progress::add))
                .isInstanceOfSatisfying(MissingServerBinaryException.class, e -> {
                    assertThat(e.missing()).containsExactly(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER,
                            ServerBinary.VAULT);
                    assertThat(e.searched().get(ServerBinary.KUBE_APISERVER)).containsExactly(
                            "setting vaultk8s.local.kube-apiserver / VAULTK8S_LOCAL_KUBE_APISERVER: not set",
                            "KUBEBUILDER_ASSETS: not set",
                            "PATH (empty): no kube-apiserver",
                            "cache " + ServerBinaries.cachedBinary(ServerBinary.KUBE_APISERVER, cache) + ": empty",
                            "download: switched off",
                            "build from Go modules: switched off");
                    assertThat(e.searched().get(ServerBinary.VAULT)).containsExactly(
                            "setting vaultk8s.local.vault / VAULTK8S_LOCAL_VAULT: not set",
                            "PATH (empty): no bao or vault",
                            "cache " + ServerBinaries.cachedBinary(ServerBinary.VAULT, cache) + ": empty",
                            "download: switched off",
                            "build from Go modules: switched off");
                })
                .hasMessageContaining("etcd v3.6.14, searched:")
                .hasMessageContaining("kube-apiserver v1.34.10, searched:")
                .hasMessageContaining("vault v1.21.0, searched:")
                .hasMessageContaining("setting vaultk8s.local.etcd / VAULTK8S_LOCAL_ETCD: not set")
                .hasMessageContaining("set vaultk8s.local.vault or the environment variable VAULTK8S_LOCAL_VAULT")
                .hasMessageContaining("setup-envtest use 1.34.x -p path")
                .hasMessageContaining("put etcd, kube-apiserver, bao or vault on PATH")
                .hasMessageContaining("allow building from Go modules (switched off now: set vaultk8s.local.build=true"
                        + " or the environment variable VAULTK8S_LOCAL_BUILD=true) with Go 1.26 or later")
                // No download is known for any of them, so switching downloads on would not help.
                .hasMessageNotContaining("allow downloading");
        // Nothing could be produced, so nothing was created in the cache.
        assertThat(cache).doesNotExist();
    }

    // ---------------------------------------------------------------------------------------------
    // Locking

    @Test
    void waitsForAnotherProcessHoldingTheLockAndThenUsesWhatItProduced() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        startServer(Map.of(), requests);
        DownloadSpec spec = new DownloadSpec(url("/etcd.tar.gz"), url("/SHA256SUMS"), "etcd.tar.gz", "etcd");
        Path cache = cache();
        Path lockFile = Files.createDirectories(cache.resolve("bin")).resolve(".etcd.lock");
        Process holder = holdLockInAnotherJvm(lockFile);
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Consumer<String> watch = line -> {
                progress.add(line);
                if (line.startsWith("waiting for another process")) {
                    waiting.countDown();
                }
            };
            CompletableFuture<Path> resolved = CompletableFuture.supplyAsync(() -> ServerBinaries.resolve(
                    ServerBinary.ETCD, downloading(cache, ServerBinary.ETCD, spec), watch));

            assertThat(waiting.await(60, TimeUnit.SECONDS)).as("waiting announced; progress: %s", progress).isTrue();
            Path cached = ServerBinaries.cachedBinary(ServerBinary.ETCD, cache);
            executable(cached.getParent(), "etcd"); // what the other process produced
            holder.getOutputStream().close(); // lets it release the lock and exit

            assertThat(resolved.get(60, TimeUnit.SECONDS)).isEqualTo(cached);
            assertThat(requests).as("no download after the other process filled the cache").hasValue(0);
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void twoThreadsShareOneDownload() throws Exception {
        byte[] archive = tarGz(Map.of("etcd", FAKE_BINARY));
        CountDownLatch secondWaiting = new CountDownLatch(1);
        AtomicInteger archiveRequests = new AtomicInteger();
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/SHA256SUMS", exchange -> respond(exchange,
                (sha256(archive) + "  etcd.tar.gz\n").getBytes(StandardCharsets.US_ASCII)));
        server.createContext("/etcd.tar.gz", exchange -> {
            archiveRequests.incrementAndGet();
            try {
                // Hold the first download until the second thread is seen waiting for the lock.
                secondWaiting.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, archive);
        });
        server.start();
        DownloadSpec spec = new DownloadSpec(url("/etcd.tar.gz"), url("/SHA256SUMS"), "etcd.tar.gz", "etcd");
        Path cache = cache();
        BinarySources sources = downloading(cache, ServerBinary.ETCD, spec);
        Consumer<String> watch = line -> {
            progress.add(line);
            if (line.startsWith("waiting for another thread")) {
                secondWaiting.countDown();
            }
        };

        CompletableFuture<Path> one = CompletableFuture.supplyAsync(
                () -> ServerBinaries.resolve(ServerBinary.ETCD, sources, watch));
        CompletableFuture<Path> two = CompletableFuture.supplyAsync(
                () -> ServerBinaries.resolve(ServerBinary.ETCD, sources, watch));

        Path cached = ServerBinaries.cachedBinary(ServerBinary.ETCD, cache);
        assertThat(one.get(60, TimeUnit.SECONDS)).isEqualTo(cached);
        assertThat(two.get(60, TimeUnit.SECONDS)).isEqualTo(cached);
        assertThat(archiveRequests).hasValue(1);
    }

    // ---------------------------------------------------------------------------------------------
    // Building from the Go module

    @Test
    void buildsEtcdFromTheGoModule() throws Exception {
        Optional<Path> go = findGo();
        assumeThat(go).as("a `go` executable on PATH or in /usr/local/go/bin").isPresent();
        Path cache = cache();
        BinarySources sources = new BinarySources(Map.of(), Optional.empty(), List.of(), cache, false, Map.of(), true, go);

        Path etcd = ServerBinaries.resolve(ServerBinary.ETCD, sources, progress::add);

        assertThat(etcd).isEqualTo(ServerBinaries.cachedBinary(ServerBinary.ETCD, cache)).isExecutable();
        assertThat(run(etcd, "--version")).contains("etcd Version: 3.6.14");
        assertThat(progress).first().asString()
                .startsWith("building etcd v3.6.14 from Go modules: first time only; a cold build takes");
        assertThat(progress).last().asString().startsWith("built etcd v3.6.14 in ").contains("packages compiled");
        // With Go's build cache warm, go build -v lists nothing, so only the header is certain.
        assertThat(cache.resolve("logs/build-etcd.log")).content()
                .contains("go build -v -trimpath -buildvcs=false -ldflags '-s -w' -o ");
        assertNoTemporaryFilesLeft(cache);
    }

    @Test
    void aFailingBuildReportsExitCodeLogAndLastLinesAndCleansUp() throws Exception {
        // A stand-in for go that records how it was run, then fails like a compile error would.
        Path record = tmp.resolve("go-invocation.txt");
        Path go = Files.writeString(Files.createDirectories(tmp.resolve("fake-go")).resolve("go"), String.join("\n",
                "#!/bin/sh",
                "{ echo \"args: $*\"; echo \"env: $GOWORK $CGO_ENABLED $GOFLAGS\"; ls; } > '" + record + "'",
                "i=1",
                "while [ $i -le 40 ]; do echo \"example.com/pkg$i\"; i=$((i+1)); done",
                "echo '# example.com/broken'",
                "echo './main.go:3:2: undefined: nope' >&2",
                "exit 2",
                ""));
        Files.setPosixFilePermissions(go, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cache = cache();
        BinarySources sources = new BinarySources(Map.of(), Optional.empty(), List.of(go.getParent()), cache, false,
                Map.of(), true, Optional.empty());

        assertThatThrownBy(() -> ServerBinaries.resolve(ServerBinary.KUBE_APISERVER, sources, progress::add))
                .isInstanceOf(MissingServerBinaryException.class)
                .hasMessageContaining("build from Go modules with " + go + ": failed: ")
                .hasMessageContaining("go build exited with code 2")
                .hasMessageContaining(cache.resolve("logs/build-kube-apiserver.log").toString())
                .hasMessageContaining("example.com/pkg13")
                .hasMessageContaining("undefined: nope")
                .hasMessageNotContaining("example.com/pkg12" + System.lineSeparator());
        assertThat(record).content()
                .contains("args: build -v -trimpath -buildvcs=false -tags selinux,notest,grpcnotrace -ldflags -s -w"
                        + " -X k8s.io/component-base/version.gitVersion=v1.34.10"
                        + " -X k8s.io/client-go/pkg/version.gitVersion=v1.34.10"
                        + " -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34 -o ")
                .contains("env: off 0 -mod=readonly")
                .contains("go.mod", "go.sum", "main.go");
        assertThat(progress).first().asString().startsWith("building kube-apiserver v1.34.10 from Go modules: "
                + "first time only; a cold build takes about 6–7 minutes on 2 cores, later runs reuse "
                + ServerBinaries.cachedBinary(ServerBinary.KUBE_APISERVER, cache));
        assertThat(ServerBinaries.cachedBinary(ServerBinary.KUBE_APISERVER, cache)).doesNotExist();
        assertNoTemporaryFilesLeft(cache);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private Path cache() {
        return tmp.resolve("cache");
    }

    private BinarySources offline(Path cache) {
        return new BinarySources(Map.of(), Optional.empty(), List.of(), cache, false, Map.of(), false, Optional.empty());
    }

    private BinarySources offline(Map<ServerBinary, Path> explicit, List<Path> searchPath) {
        return new BinarySources(explicit, Optional.empty(), searchPath, cache(), false, Map.of(), false,
                Optional.empty());
    }

    private static BinarySources downloading(Path cache, ServerBinary binary, DownloadSpec spec) {
        return new BinarySources(Map.of(), Optional.empty(), List.of(), cache, true, Map.of(binary, spec), false,
                Optional.empty());
    }

    private static Path executable(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.write(dir.resolve(name), FAKE_BINARY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private void startServer(Map<String, byte[]> files) throws IOException {
        startServer(files, new AtomicInteger());
    }

    private void startServer(Map<String, byte[]> files, AtomicInteger requests) throws IOException {
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            } else {
                respond(exchange, body);
            }
        });
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private URI url(String path) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
    }

    private static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> entry : new java.util.TreeMap<>(entries).entrySet()) {
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
                header.setSize(entry.getValue().length);
                header.setMode(0755);
                tar.putArchiveEntry(header);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(Path executable, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code of %s; output: %s", command, output).isZero();
        return output;
    }

    /** Start a JVM that holds an exclusive lock on {@code lockFile} until its standard input closes. */
    private Process holdLockInAnotherJvm(Path lockFile) throws Exception {
        Path source = Files.writeString(tmp.resolve("HoldLock.java"), String.join("\n",
                "import java.nio.channels.FileChannel;",
                "import java.nio.file.*;",
                "public class HoldLock {",
                "  public static void main(String[] args) throws Exception {",
                "    try (FileChannel channel = FileChannel.open(Path.of(args[0]),",
                "        StandardOpenOption.CREATE, StandardOpenOption.WRITE);",
                "        var lock = channel.lock()) {",
                "      System.out.println(\"locked\");",
                "      System.out.flush();",
                "      while (System.in.read() != -1) { }",
                "    }",
                "  }",
                "}"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), source.toString(), lockFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
        assertThat(first).isEqualTo("locked");
        return process;
    }

    private static Optional<Path> findGo() {
        Stream<Path> onPath = BinarySources.splitPath(System.getenv("PATH")).stream().map(dir -> dir.resolve("go"));
        return Stream.concat(onPath, Stream.of(Path.of("/usr/local/go/bin/go")))
                .filter(path -> Files.isRegularFile(path) && Files.isExecutable(path))
                .findFirst();
    }

    private static void assertNoTemporaryFilesLeft(Path cache) throws IOException {
        Path tmpDir = cache.resolve("tmp");
        if (Files.isDirectory(tmpDir)) {
            try (Stream<Path> left = Files.list(tmpDir)) {
                assertThat(left).isEmpty();
            }
        }
        try (Stream<Path> files = Files.walk(cache.resolve("bin"))) {
            assertThat(files).noneMatch(path -> path.getFileName().toString().endsWith(".tmp"));
        }
    }
}
