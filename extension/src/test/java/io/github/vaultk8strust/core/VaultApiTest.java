package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The library's own Vault client against a JDK HttpServer that answers as Vault does. */
class VaultApiTest {

    private final FakeServers vault = new FakeServers();

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void readsSendTheTokenAndReturnStatusAndJson() {
        vault.vault(r -> new FakeServers.Answer(200, "{\"data\":{\"sealed\":false}}"));

        VaultApi.Answer answer = VaultApi.of(vault.address() + "/", "s.root").read("sys/health?standbyok=true");

        assertThat(answer.ok()).isTrue();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("data").path("sealed").asBoolean(true)).isFalse();
        FakeServers.Request request = vault.requests().get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/sys/health?standbyok=true");
        assertThat(request.vaultToken()).isEqualTo("s.root");
    }

    @Test
    void writesSendJsonAndDeletesSendNothing() {
        vault.vault(r -> new FakeServers.Answer(204, ""));

        VaultApi api = VaultApi.of(vault.address(), null);
        VaultApi.Answer written = api.write("auth/jwt/role/r", Map.of("bound_audiences", List.of("vault-dev"),
                "ttl", "1h"));
        VaultApi.Answer deleted = api.delete("auth/jwt/role/r");

        assertThat(written.ok()).isTrue();
        assertThat(written.body().isEmpty()).isTrue();
        assertThat(deleted.status()).isEqualTo(204);
        FakeServers.Request write = vault.requests().get(0);
        assertThat(write.method()).isEqualTo("POST");
        assertThat(write.vaultToken()).isNull();
        assertThat(write.body().path("bound_audiences").get(0).asText()).isEqualTo("vault-dev");
        assertThat(write.body().path("ttl").asText()).isEqualTo("1h");
        assertThat(vault.requests().get(1).method()).isEqualTo("DELETE");
        assertThat(vault.requests().get(1).path()).isEqualTo("/v1/auth/jwt/role/r");
    }

    @Test
    void refusalsAreAnswersWithVaultsErrors() {
        vault.vault(r -> new FakeServers.Answer(400, "{\"errors\":[\"role \\\"x\\\" could not be found\"]}"));

        VaultApi.Answer answer = VaultApi.of(vault.address(), null).write("auth/jwt/login", Map.of("role", "x"));

        assertThat(answer.ok()).isFalse();
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors()).containsExactly("role \"x\" could not be found");
    }

    @Test
    void aBodyThatIsNotJsonBecomesTheError() {
        vault.vault(r -> new FakeServers.Answer(502, "<html>bad gateway</html>"));

        VaultApi.Answer answer = VaultApi.of(vault.address(), null).read("sys/health");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.errors()).containsExactly("<html>bad gateway</html>");
    }

    @Test
    void anUnreachableVaultAnswersStatusZeroWithTheTransportError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        VaultApi.Answer answer = VaultApi.quick("http://127.0.0.1:" + closedPort, "t", 2).read("sys/health");

        assertThat(answer.status()).isZero();
        assertThat(answer.ok()).isFalse();
        assertThat(answer.errors()).singleElement().asString().startsWith("ConnectException");
    }
}
