package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.apiguardian.api.API;

/**
 * One request at a time over the JDK's {@link HttpURLConnection}, on the calling thread, with its kept-alive
 * connections. It is the transport of the per-test hot path: the TokenRequest ({@code mintToken},
 * {@code @VaultLogin}) and Vault's login and revoke. The JDK's {@link java.net.http.HttpClient} hands every exchange
 * to its selector and executor threads and back; measured on one environment (two cores, 200 exchanges after a
 * warm-up), the same TokenRequest took 0.6 to 1.3 ms longer through it, about a fifth of the whole request.
 * <p>Bodies are buffered, which spares every POST the JDK's 1 ms probe of a reused connection. The flip side is the
 * JDK's own: when a reused kept-alive connection fails before any answer arrives (the server had closed it), the JDK
 * sends the buffered request once more on a new connection ({@code sun.net.http.retryPost}). That happens when the
 * server closed an idle connection, so it never saw the first send; only a server that drops a connection after reading
 * a request and before answering it could receive that request twice.
 * <p>An instance keeps one {@link SSLSocketFactory}: the JDK reuses a kept-alive connection only for the factory that
 * opened it. The body of every answer is read to its end, error statuses included, so that the connection goes back
 * to the JDK's cache.
 */
@API(status = INTERNAL, since = "0.1")
public final class BlockingHttp {

    /** An answer: the HTTP status and the body (empty when there was none). */
    public record Response(int status, byte[] body) {
    }

    private final SSLSocketFactory sockets;
    private final Duration connectTimeout;

    private BlockingHttp(SSLSocketFactory sockets, Duration connectTimeout) {
        this.sockets = sockets;
        this.connectTimeout = connectTimeout;
    }

    /** Return a transport for {@code http://} addresses, and {@code https://} ones with the JDK's default trust. */
    public static BlockingHttp plain(Duration connectTimeout) {
        return new BlockingHttp(null, connectTimeout);
    }

    /** Return a transport that speaks TLS with {@code tls} (its trust and, if any, its client certificate). */
    public static BlockingHttp tls(SSLContext tls, Duration connectTimeout) {
        return new BlockingHttp(tls.getSocketFactory(), connectTimeout);
    }

    /**
     * Send one request and return the answer, whatever its status; a transport failure (refused, reset, timed out)
     * throws. {@code timeout} bounds the connection and each read; {@code body} may be {@code null}.
     */
    public Response send(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        if (sockets != null && connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(sockets);
        }
        connection.setConnectTimeout((int) Math.min(connectTimeout.toMillis(), timeout.toMillis()));
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestMethod(method);
        headers.forEach(connection::setRequestProperty);
        if (body != null) {
            // Buffered, not setFixedLengthStreamingMode: before it sends a streamed POST on a kept-alive connection,
            // the JDK probes that connection with a read of 1 ms timeout (sun.net.www.http.HttpClient.available()),
            // because it could not send a streamed body again. A buffered body it can send again, so it skips the
            // probe; measured on loopback against Vault: 0.22 ms against 1.4 ms per small POST.
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (in == null) {
            return new Response(status, new byte[0]);
        }
        try (in) {
            return new Response(status, in.readAllBytes());
        }
    }
}
