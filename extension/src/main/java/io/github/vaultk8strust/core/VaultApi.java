package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import io.github.vaultk8strust.support.BlockingHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The library's own Vault HTTP client, for the trust setup, logins, readiness probes and login diagnosis: the JDK's
 * {@link java.net.HttpURLConnection} on the calling thread ({@link BlockingHttp}) and Jackson, paths sent as written, every answer returned with its status and JSON body (4xx and
 * 5xx included; an unreachable Vault answers status 0 with the transport error). vault-java-driver is used only for
 * the clients injected into tests ({@link #plainClient}, {@link #kvClient}).
 */
@API(status = INTERNAL, since = "0.1")
public final class VaultApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final BlockingHttp HTTP = BlockingHttp.plain(Duration.ofSeconds(2));

    private final String address;
    private final String token;
    private final Duration timeout;

    private VaultApi(String address, String token, Duration timeout) {
        this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        this.token = token;
        this.timeout = timeout;
    }

    /** One answer: HTTP status (0 when Vault could not be reached) and JSON body (an empty object when none). */
    public record Answer(int status, JsonNode body) {

        /** Return Vault's {@code errors} array as strings. */
        public List<String> errors() {
            List<String> errors = new ArrayList<>();
            body.path("errors").forEach(e -> errors.add(e.asText()));
            return errors;
        }

        /** Return whether the status is 2xx. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Return a client for this address and token ({@code null} for none), with a 30 s request time-out. */
    public static VaultApi of(String address, String token) {
        return new VaultApi(address, token, Duration.ofSeconds(30));
    }

    /**
     * Return a client with a short request time-out: for logins and diagnostic reads, which a healthy local Vault
     * answers in milliseconds, so that a stopped Vault fails them quickly.
     */
    public static VaultApi quick(String address, String token, int timeoutSeconds) {
        return new VaultApi(address, token, Duration.ofSeconds(timeoutSeconds));
    }

    /** GET {@code /v1/<path>}. */
    public Answer read(String path) {
        return send("GET", path, null);
    }

    /** POST {@code data} (serialised by Jackson: maps, lists, strings, numbers, booleans) to {@code /v1/<path>}. */
    public Answer write(String path, Object data) {
        return send("POST", path, data);
    }

    /** DELETE {@code /v1/<path>}. */
    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    /** Kept for call sites written as {@code VaultApi.write(client, path, data)}. */
    public static Answer write(VaultApi api, String path, Object data) {
        return api.write(path, data);
    }

    /** Kept for call sites written as {@code VaultApi.read(client, path)}. */
    public static Answer read(VaultApi api, String path) {
        return api.read(path);
    }

    private Answer send(String method, String path, Object data) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("X-Vault-Token", token);
        }
        try {
            byte[] body = null;
            if (data != null) {
                headers.put("Content-Type", "application/json");
                body = JSON.writeValueAsBytes(data);
            }
            BlockingHttp.Response response = HTTP.send(method, URI.create(address + "/v1/" + path), headers, body,
                    timeout);
            return new Answer(response.status(), parse(response.body()));
        } catch (JsonProcessingException e) {
            throw new VaultK8sTrustException("Cannot serialise the body for " + method + " " + path + ": " + e, e);
        } catch (IOException e) {
            return new Answer(0, JSON.createObjectNode().set("errors", JSON.createArrayNode()
                    .add(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
        }
    }

    /** Create a vault-java-driver client that sends paths unchanged (engine version 1), for injection. */
    public static Vault plainClient(String address, String token) {
        return client(address, token, 1);
    }

    /** Create a vault-java-driver client that maps secret paths to KV version 2 ({@code kvv2/a} to {@code kvv2/data/a}). */
    public static Vault kvClient(String address, String token) {
        return client(address, token, 2);
    }

    private static Vault client(String address, String token, int engineVersion) {
        try {
            VaultConfig config = new VaultConfig().address(address).openTimeout(5).readTimeout(30);
            if (token != null) {
                config.token(token);
            }
            return Vault.create(config.build(), engineVersion);
        } catch (VaultException e) {
            throw new VaultK8sTrustException("Cannot configure a Vault client for " + address + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().set("errors",
                    JSON.createArrayNode().add(new String(body, StandardCharsets.UTF_8)));
        }
    }
}
