package io.github.vaultk8strust.backend.local;

import static io.github.vaultk8strust.backend.local.BinaryFiles.HEARTBEAT;
import static io.github.vaultk8strust.backend.local.BinaryFiles.describe;
import static io.github.vaultk8strust.backend.local.BinaryFiles.elapsed;
import static io.github.vaultk8strust.backend.local.BinaryFiles.megabytes;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Step 5 of {@link ServerBinaries}: download a server's official release, check it against its published
 * SHA-256 and install it into the cache ({@link BinaryArchives}); the caller holds the server's lock.
 *
 * <p>Each request is retried a bounded number of times, after a growing pause, when it fails in a way that may
 * pass: no connection, a time-out, or an HTTP 5xx. A 404, an unknown host, or a checksum mismatch is not retried:
 * asking again gives the same answer, and the caller moves on to the next source.
 */
final class BinaryDownload {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for a response's headers; large bodies may take longer to arrive. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The pauses before the second and third attempt: long enough for a CDN hiccup or a restarting proxy to
     * pass, short enough that an unreachable host costs seconds, not minutes, before the build is tried.
     */
    static final List<Duration> RETRY_BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));

    /** The download {@link ServerBinaries} uses. */
    static final BinaryDownload DEFAULT = new BinaryDownload(RETRY_BACKOFF);

    private final List<Duration> backoff;

    /**
     * @param backoff the pause before each retry; its size is the number of retries after the first attempt
     */
    BinaryDownload(List<Duration> backoff) {
        this.backoff = List.copyOf(backoff);
    }

    /** Download, verify and install {@code spec} as {@code target}, reporting progress and retries. */
    void download(ServerBinary binary, String version, DownloadSpec spec, Path target, Path cacheDir,
            Consumer<String> progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        progress.accept("downloading " + binary.id() + " " + version + " from " + spec.archive()
                + ": first time only; usually under a minute, later runs reuse " + target);
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();

        String sums = withRetries(binary, version, progress, () -> {
            HttpResponse<String> response = send(client, spec.checksums(), HttpResponse.BodyHandlers.ofString());
            requireOk(response, spec.checksums());
            return response.body();
        });
        String expected = ReleaseChecksums.expectedSha256(sums, spec);

        Path tmpDir = Files.createDirectories(cacheDir.resolve("tmp"));
        Path archive = Files.createTempFile(tmpDir, binary.id() + "-download-", ".part");
        try {
            // A retry rewrites the partial file from its start: Files.newOutputStream truncates it.
            String actual = withRetries(binary, version, progress,
                    () -> fetch(client, spec.archive(), archive, binary, version, start, progress));
            ReleaseChecksums.requireMatch(spec, expected, actual);
            BinaryArchives.install(spec, archive, target);
        } finally {
            Files.deleteIfExists(archive);
        }
        progress.accept("downloaded " + binary.id() + " " + version + " in " + elapsed(start) + " to "
                + target);
    }

    /** One request and its handling; may be run again. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    private <T> T withRetries(ServerBinary binary, String version, Consumer<String> progress, Attempt<T> attempt)
            throws IOException, InterruptedException {
        int attempts = backoff.size() + 1;
        List<IOException> earlier = new ArrayList<>();
        for (int tried = 1; ; tried++) {
            try {
                return attempt.run();
            } catch (IOException e) {
                IOException reported = e instanceof ServerError error ? error.asReported() : e;
                if (tried == attempts || !isTransient(e)) {
                    // Earlier failures ride along for a stack trace; the message stays the last failure's.
                    earlier.forEach(reported::addSuppressed);
                    throw reported;
                }
                earlier.add(reported);
                Duration pause = backoff.get(tried - 1);
                progress.accept("download of " + binary.id() + " " + version + ": attempt " + tried + " of "
                        + attempts + " failed (" + describe(reported) + "); retrying in " + text(pause));
                Thread.sleep(pause.toMillis());
            }
        }
    }

    /** Whether asking again may help: a refused or reset connection, a time-out, or a server error. */
    static boolean isTransient(IOException e) {
        if (e instanceof ServerError || e instanceof HttpTimeoutException) {
            return true; // HttpConnectTimeoutException is an HttpTimeoutException
        }
        if (e instanceof ConnectException) {
            // An unknown host stays unknown: on an offline machine retrying only delays the build fallback.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static String text(Duration pause) {
        return pause.toMillis() % 1000 == 0 ? pause.toSeconds() + "s" : pause.toMillis() + " ms";
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
        if (response.statusCode() >= 500) {
            throw new ServerError(response.statusCode(), uri);
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri);
        }
    }

    /**
     * An HTTP 5xx, worth another attempt. Never leaves this class: once retries are spent it is reported as
     * the plain {@code IOException} it has always been, so search reports read the same.
     */
    private static final class ServerError extends IOException {
        private static final long serialVersionUID = 1L;

        ServerError(int status, URI uri) {
            super("HTTP " + status + " from " + uri);
        }

        IOException asReported() {
            return new IOException(getMessage());
        }
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }
}
