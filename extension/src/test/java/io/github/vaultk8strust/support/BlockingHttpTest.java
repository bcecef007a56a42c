package io.github.vaultk8strust.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockingHttp} against a plain socket server that records every request it reads: POSTs carry their whole
 * body with its length on one kept-alive connection, error answers come back with their bodies, and a kept-alive
 * connection the server closed does not fail the next request. What buffering the body saves per POST (the JDK's
 * 1 ms probe of a reused connection before a streamed POST) is a matter of time, measured by the benchmark.
 */
class BlockingHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ServerSocket server;
    private Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    /** Every request the server read, whole. */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean closeAfterAnswer;
    private volatile String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
            + "{\"ok\":true}";

    @BeforeEach
    void startServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread connection = new Thread(() -> serve(socket), "BlockingHttpTest connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "BlockingHttpTest acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        acceptor.join(TIMEOUT.toMillis());
    }

    @Test
    void postsCarryTheirWholeBodyOnOneKeptAliveConnection() throws IOException {
        BlockingHttp http = BlockingHttp.plain(TIMEOUT);
        String body = "{\"role\":\"r\",\"jwt\":\"" + "x".repeat(600) + "\"}";

        for (int i = 0; i < 3; i++) {
            BlockingHttp.Response response = http.send("POST", uri("/v1/auth/jwt/login"),
                    Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), TIMEOUT);
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        }

        assertThat(requests).hasSize(3).allSatisfy(request -> assertThat(request)
                .startsWith("POST /v1/auth/jwt/login HTTP/1.1\r\n")
                .contains("Content-Length: " + body.length() + "\r\n")
                .doesNotContainIgnoringCase("Transfer-Encoding")
                .endsWith("\r\n\r\n" + body));
        assertThat(connections).hasValue(1);
    }

    @Test
    void aKeptAliveConnectionTheServerClosedDoesNotFailTheNextPost() throws Exception {
        BlockingHttp http = BlockingHttp.plain(TIMEOUT);
        closeAfterAnswer = true;

        for (int i = 0; i < 3; i++) {
            BlockingHttp.Response response = http.send("POST", uri("/v1/auth/token/revoke-self"), Map.of(),
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), TIMEOUT);
            assertThat(response.status()).isEqualTo(200);
            Thread.sleep(50); // the server's close reaches the client's socket before the next request
        }

        assertThat(requests).hasSize(3);
        assertThat(requests.get(2)).endsWith("{\"n\":2}");
        assertThat(connections).hasValue(3);
    }

    @Test
    void anErrorAnswerComesBackWithItsBodyAndTheConnectionIsKept() throws IOException {
        BlockingHttp http = BlockingHttp.plain(TIMEOUT);
        answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 24\r\n\r\n"
                + "{\"errors\":[\"bad role\"]}\n";

        BlockingHttp.Response first = http.send("POST", uri("/v1/auth/jwt/login"), Map.of(), new byte[] {'{', '}'},
                TIMEOUT);
        BlockingHttp.Response second = http.send("GET", uri("/v1/sys/health"), Map.of(), null, TIMEOUT);

        assertThat(first.status()).isEqualTo(400);
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"errors\":[\"bad role\"]}\n");
        assertThat(second.status()).isEqualTo(400);
        assertThat(requests.get(1)).startsWith("GET /v1/sys/health HTTP/1.1\r\n").doesNotContain("Content-Length");
        assertThat(connections).hasValue(1);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /**
     * Read requests (headers, then Content-Length bytes) and answer each with {@link #answer}, closing the connection
     * after the answer (without saying so in a header) if {@link #closeAfterAnswer}.
     */
    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[65536];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                request.write(buffer, 0, n);
                while (!complete(request.toString(StandardCharsets.ISO_8859_1))) {
                    n = in.read(buffer);
                    if (n < 0) {
                        return;
                    }
                    request.write(buffer, 0, n);
                }
                requests.add(request.toString(StandardCharsets.ISO_8859_1));
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (closeAfterAnswer) {
                    return;
                }
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private static boolean complete(String request) {
        int end = request.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        int length = request.lines().takeWhile(line -> !line.isEmpty())
                .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(0);
        return request.length() >= end + 4 + length;
    }
}
