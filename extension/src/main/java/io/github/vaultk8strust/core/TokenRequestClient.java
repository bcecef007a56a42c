package io.github.vaultk8strust.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.BlockingHttp;
import io.github.vaultk8strust.support.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The TokenRequest ({@code POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token}) sent straight over the JDK's
 * {@link java.net.HttpURLConnection} ({@link BlockingHttp}), HTTP/1.1 with a kept-alive connection, with the administrator's credentials of the cluster's
 * {@link Config}. It is the per-test hot path ({@code @VaultLogin}, {@code mintToken}): through fabric8's generic
 * client the same request cost two to five milliseconds more (its request pipeline and model mapping), about as much
 * as the API server's own work. Only what a kubeconfig of the two backends carries is handled (CA, client
 * certificate and key, or a bearer token, as data or files); for anything else {@link #from} answers empty and the
 * caller keeps using fabric8.
 */
final class TokenRequestClient {

    private final BlockingHttp http;
    private final String masterUrl;
    private final String bearer;
    private final Duration timeout;

    /** The API server's answer: its HTTP status, and the token when it issued one. */
    record Answer(int status, Optional<String> token, String message) {
    }

    private TokenRequestClient(BlockingHttp http, String masterUrl, String bearer, Duration timeout) {
        this.http = http;
        this.masterUrl = masterUrl.endsWith("/") ? masterUrl.substring(0, masterUrl.length() - 1) : masterUrl;
        this.bearer = bearer;
        this.timeout = timeout;
    }

    /** Return a client for {@code config}, or empty when its credentials are of a kind this class does not send. */
    static Optional<TokenRequestClient> from(Config config) {
        try {
            if (config.getMasterUrl() == null || !config.getMasterUrl().startsWith("https://")
                    || config.isTrustCerts() || config.getAuthProvider() != null
                    || config.getOauthTokenProvider() != null) {
                return Optional.empty();
            }
            Optional<String> ca = pem(config.getCaCertData(), config.getCaCertFile());
            Optional<String> cert = pem(config.getClientCertData(), config.getClientCertFile());
            Optional<String> key = pem(config.getClientKeyData(), config.getClientKeyFile());
            String bearer = config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
            if (ca.isEmpty() || (cert.isEmpty() || key.isEmpty()) && bearer == null) {
                return Optional.empty();
            }
            SSLContext tls = cert.isPresent() && key.isPresent()
                    ? Tls.mutual(ca.get(), cert.get(), key.get(), "the cluster administrator's credentials")
                    : Tls.trusting(ca.get());
            // HTTP/1.1 on the calling thread; one kept-alive connection (and TLS session) serves every request after
            // the first.
            BlockingHttp http = BlockingHttp.tls(tls, Duration.ofSeconds(5));
            Integer requestTimeout = config.getRequestTimeout();
            int timeoutMillis = requestTimeout != null && requestTimeout > 0 ? requestTimeout : 30_000;
            return Optional.of(new TokenRequestClient(http, config.getMasterUrl(), bearer,
                    Duration.ofMillis(timeoutMillis)));
        } catch (IOException | RuntimeException e) {
            // Credentials this class cannot read: fabric8 reads them, or reports what is wrong with them.
            return Optional.empty();
        }
    }

    /** Ask for a token; any HTTP answer is returned, a transport failure throws. */
    Answer request(String namespace, String serviceAccount, List<String> audiences, long expirationSeconds) {
        ObjectNode body = VaultApi.JSON.createObjectNode().put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenRequest");
        ObjectNode spec = body.putObject("spec");
        audiences.forEach(spec.putArray("audiences")::add);
        spec.put("expirationSeconds", expirationSeconds);
        URI uri = URI.create(masterUrl + "/api/v1/namespaces/" + segment(namespace) + "/serviceaccounts/"
                + segment(serviceAccount) + "/token");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        try {
            BlockingHttp.Response response = http.send("POST", uri, headers, VaultApi.JSON.writeValueAsBytes(body),
                    timeout);
            JsonNode answer = parse(response.body());
            String token = answer.path("status").path("token").asText("");
            return new Answer(response.status(), token.isEmpty() ? Optional.empty() : Optional.of(token),
                    answer.path("message").asText(new String(response.body(), StandardCharsets.UTF_8)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a TokenRequest: " + e, e);
        } catch (IOException e) {
            throw new VaultK8sTrustException("The TokenRequest for " + namespace + "/" + serviceAccount
                    + " could not be sent to " + masterUrl + ": " + e, e);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? VaultApi.JSON.createObjectNode() : VaultApi.JSON.readTree(body);
        } catch (IOException e) {
            return VaultApi.JSON.createObjectNode();
        }
    }

    private static Optional<String> pem(String base64Data, String file) throws IOException {
        if (base64Data != null && !base64Data.isBlank()) {
            return Optional.of(new String(Base64.getDecoder().decode(base64Data.strip()), StandardCharsets.US_ASCII));
        }
        if (file != null && !file.isBlank()) {
            return Optional.of(Files.readString(Path.of(file), StandardCharsets.US_ASCII));
        }
        return Optional.empty();
    }
}
