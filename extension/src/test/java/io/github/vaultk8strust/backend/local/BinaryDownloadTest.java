package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download's retries: transient failures are retried with a pause and said so; final ones are not. */
class BinaryDownloadTest {

    private static final byte[] FAKE_BINARY = "#!/bin/sh\necho fake server\n".getBytes(StandardCharsets.US_ASCII);
    /** Short pauses keep the test fast; the default's pauses are seconds. */
    private static final BinaryDownload QUICK = new BinaryDownload(List.of(Duration.ofMillis(20), Duration.ofMillis(40)));

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

    @Test
    void retriesTwoServiceUnavailableAnswersThenInstallsTheFile() throws Exception {
        AtomicInteger archiveRequests = new AtomicInteger();
        startServer(exchange -> {
            if (exchange.getRequestURI().getPath().endsWith(".sha256")) {
                respond(exchange, 200, sha256(FAKE_BINARY).getBytes(StandardCharsets.US_ASCII));
            } else if (archiveRequests.incrementAndGet() <= 2) {
                respond(exchange, 503, "busy".getBytes(StandardCharsets.US_ASCII));
            } else {
                respond(exchange, 200, FAKE_BINARY);
            }
        });
        Path target = ServerBinaries.cachedBinary(ServerBinary.ETCD, tmp.resolve("cache"));

        QUICK.download(ServerBinary.ETCD, "v3.6.14", spec(), target, tmp.resolve("cache"), progress::add);

        assertThat(target).isExecutable().hasBinaryContent(FAKE_BINARY);
        assertThat(archiveRequests).hasValue(3);
        assertThat(progress).filteredOn(line -> line.contains("retrying")).containsExactly(
                "download of etcd v3.6.14: attempt 1 of 3 failed (java.io.IOException: HTTP 503 from "
                        + spec().archive() + "); retrying in 20 ms",
                "download of etcd v3.6.14: attempt 2 of 3 failed (java.io.IOException: HTTP 503 from "
                        + spec().archive() + "); retrying in 40 ms");
        assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("downloaded etcd v3.6.14 in "));
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheServersAnswer() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        startServer(exchange -> {
            requests.incrementAndGet();
            respond(exchange, 502, new byte[0]);
        });
        Path target = ServerBinaries.cachedBinary(ServerBinary.ETCD, tmp.resolve("cache"));

        assertThatThrownBy(() -> QUICK.download(ServerBinary.ETCD, "v3.6.14", spec(), target, tmp.resolve("cache"),
                progress::add))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("HTTP 502 from " + spec().checksums());
        assertThat(requests).hasValue(3);
        assertThat(target).doesNotExist();
    }

    @Test
    void doesNotRetryANotFound() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        startServer(exchange -> {
            requests.incrementAndGet();
            respond(exchange, 404, new byte[0]);
        });

        assertThatThrownBy(() -> QUICK.download(ServerBinary.ETCD, "v3.6.14", spec(),
                ServerBinaries.cachedBinary(ServerBinary.ETCD, tmp.resolve("cache")), tmp.resolve("cache"),
                progress::add))
                .hasMessage("HTTP 404 from " + spec().checksums());
        assertThat(requests).hasValue(1);
        assertThat(progress).noneSatisfy(line -> assertThat(line).contains("retrying"));
    }

    @Test
    void doesNotRetryAChecksumMismatch() throws Exception {
        AtomicInteger archiveRequests = new AtomicInteger();
        startServer(exchange -> {
            if (exchange.getRequestURI().getPath().endsWith(".sha256")) {
                respond(exchange, 200, "f".repeat(64).getBytes(StandardCharsets.US_ASCII));
            } else {
                archiveRequests.incrementAndGet();
                respond(exchange, 200, FAKE_BINARY);
            }
        });

        assertThatThrownBy(() -> QUICK.download(ServerBinary.ETCD, "v3.6.14", spec(),
                ServerBinaries.cachedBinary(ServerBinary.ETCD, tmp.resolve("cache")), tmp.resolve("cache"),
                progress::add))
                .hasMessageStartingWith("SHA-256 mismatch for " + spec().archive());
        assertThat(archiveRequests).hasValue(1);
    }

    @Test
    void classifiesFailures() {
        assertThat(BinaryDownload.isTransient(new ConnectException("refused"))).isTrue();
        assertThat(BinaryDownload.isTransient(new HttpTimeoutException("slow"))).isTrue();
        ConnectException unresolved = new ConnectException("cannot resolve");
        unresolved.initCause(new java.net.UnknownHostException("example.invalid"));
        assertThat(BinaryDownload.isTransient(unresolved)).isFalse();
        assertThat(BinaryDownload.isTransient(new IOException("HTTP 404 from x"))).isFalse();
    }

    private DownloadSpec spec() {
        return new DownloadSpec(url("/bin/etcd"), url("/bin/etcd.sha256"), null, null);
    }

    private void startServer(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", handler);
        server.start();
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private URI url(String path) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
