package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.commandLineOf;
import static io.github.vaultk8strust.it.ItSupport.refusesConnections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.support.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nobody else on the machine gets in: etcd's port refuses any client without a certificate from the environment's own
 * CA (so no local user can write RBAC objects behind kube-apiserver's back), kube-apiserver reaches etcd through a
 * socket inside the private directory, Vault opens no cluster listener, and the directory and its logs are private to
 * the user.
 */
@VaultK8sTrust(backend = Backend.LOCAL)
class LockDownTest {

    private static LocalBackend local(TrustEnvironment environment) {
        return (LocalBackend) ((DefaultTrustEnvironment) environment).runningBackend();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void etcdRefusesAClientWithoutTheEnvironmentsClientCertificate(TrustEnvironment environment) throws Exception {
        LocalBackend local = local(environment);
        String etcd = local.etcdUrl();
        assertThat(etcd).startsWith("https://127.0.0.1:");

        // Trusting the right CA is not enough: without a client certificate the TLS handshake is refused.
        HttpClient noCertificate = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(Tls.trusting(environment.caPem())).build();
        assertThatThrownBy(() -> get(noCertificate, etcd + "/v3/kv/range"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(noCertificate, etcd + "/health")).isInstanceOf(IOException.class);

        // Plain HTTP is not served either.
        HttpResponse<String> plain = null;
        try {
            plain = get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                    etcd.replace("https://", "http://") + "/health");
        } catch (IOException refused) {
            // Also fine: the TLS listener dropped the plain-text request.
        }
        if (plain != null) {
            assertThat(plain.statusCode()).as("etcd answer to plain HTTP: " + plain.body()).isEqualTo(400);
            assertThat(plain.body()).doesNotContain("\"health\"");
        }

        // The control: the client certificate kube-apiserver uses is accepted.
        Path dir = local.directory();
        HttpClient withCertificate = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(Tls.mutual(environment.caPem(), dir.resolve("etcd-client.crt"),
                        dir.resolve("etcd-client.key"))).build();
        HttpResponse<String> health = get(withCertificate, etcd + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"health\":\"true\"");
    }

    @Test
    void kubeApiServerReachesEtcdThroughASocketInThePrivateDirectory(TrustEnvironment environment) throws Exception {
        LocalBackend local = local(environment);
        Path dir = local.directory();
        Path socket = dir.resolve(LocalBackend.ETCD_SOCKET);
        List<String> apiServer = commandLineOf(local.serverPids().get("kube-apiserver"));

        assertThat(apiServer).contains("--etcd-servers=unix://" + socket)
                .noneMatch(arg -> arg.startsWith("--etcd-certfile") || arg.startsWith("--etcd-keyfile"));
        assertThat(commandLineOf(local.serverPids().get("etcd")))
                .anyMatch(arg -> arg.startsWith("--listen-client-urls=") && arg.endsWith(",unix://" + socket));
        // Who can reach it is the directory's business: only its owner may enter it.
        assertThat(Files.readAttributes(socket, BasicFileAttributes.class).isOther()).as(socket + " is a socket")
                .isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        // What is behind it: etcd, answering its owner without TLS.
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("GET /health HTTP/1.1\r\nHost: etcd\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"health\":\"true\"");
        }
    }

    @Test
    void vaultOpensNoClusterListener(TrustEnvironment environment) {
        int apiPort = URI.create(environment.vaultAddress()).getPort();
        // Vault's default cluster listener would be the API port + 1; clustering is disabled.
        assertThat(refusesConnections("http://127.0.0.1:" + (apiPort + 1))).as("something listens on Vault's port + 1")
                .isTrue();
    }

    @Test
    void theDirectoryAndItsLogsAndKeysArePrivate(TrustEnvironment environment) throws IOException {
        Path dir = local(environment).directory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".log")
                    || p.getFileName().toString().endsWith(".key")).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("etcd.log", "kube-apiserver.log", "sa.key", "apiserver.key", "etcd.key", "etcd-client.key");
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(dir.resolve("owner")).isRegularFile();
        assertThat(dir.resolve("etcd.pid")).isRegularFile();
    }
}
