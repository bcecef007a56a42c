package io.github.vaultk8strust.samples;

// tag::properties[]
import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feed the environment to an application under test the way Spring's {@code @DynamicPropertySource} does: the Vault
 * address, the cluster CA as a file, and a service-account token as a file, as the kubelet would project it. The
 * "application" here is a few lines of plain HTTP that log in with whatever the properties say.
 */
class ApplicationPropertiesSampleTest {

    static ClosableTrustEnvironment environment;
    static Map<String, String> properties = new LinkedHashMap<>();

    @BeforeAll
    static void startTrust(@TempDir Path dir) throws IOException {
        environment = TrustEnvironment.builder().start();

        // With Spring: @DynamicPropertySource static void vault(DynamicPropertyRegistry registry) { registry.add(...) }
        Path ca = Files.writeString(dir.resolve("ca.crt"), environment.caPem());
        ServiceAccountJwt token = environment.mintToken("default", "vault-writer", "vault-dev");
        Path tokenFile = Files.writeString(dir.resolve("token"), token.raw());
        properties.put("spring.cloud.vault.uri", environment.vaultAddress());
        properties.put("spring.cloud.vault.kubernetes.service-account-token-file", tokenFile.toString());
        properties.put("app.kubernetes.ca-file", ca.toString());
        properties.put("app.vault.role", "k8s-dev");
    }

    @AfterAll
    static void stopTrust() {
        environment.close();
    }

    @Test
    void theApplicationLogsInWithWhatThePropertiesSay() throws Exception {
        String jwt = Files.readString(Path.of(properties.get("spring.cloud.vault.kubernetes.service-account-token-file")));
        HttpRequest login = HttpRequest.newBuilder(URI.create(properties.get("spring.cloud.vault.uri")
                        + "/v1/auth/jwt/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"" + properties.get("app.vault.role")
                        + "\",\"jwt\":\"" + jwt + "\"}"))
                .build();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(login, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"client_token\"").contains("k8s-dev-writer");
        assertThat(Path.of(properties.get("app.kubernetes.ca-file"))).content().startsWith("-----BEGIN CERTIFICATE-----");
    }
}
// end::properties[]
