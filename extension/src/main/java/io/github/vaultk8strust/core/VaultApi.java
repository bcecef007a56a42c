package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Plain Vault HTTP API calls over vault-java-driver's {@code logical()} (KV engine version 1, so paths are sent as
 * written), with the answer's status and JSON body. The driver returns 4xx answers instead of throwing; this
 * class turns the ones a caller did not expect into exceptions carrying Vault's own error strings.
 */
@API(status = INTERNAL, since = "0.1")
public final class VaultApi {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: HTTP status and JSON body (an empty object when Vault sent none). */
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

    private VaultApi() {
    }

    /** Create a client that sends paths unchanged (engine version 1). */
    public static Vault plainClient(String address, String token) {
        return client(address, token, 1);
    }

    /** Create a client that maps secret paths to KV version 2 ({@code kvv2/a} to {@code kvv2/data/a}). */
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

    /** POST {@code data} to {@code path} and return Vault's answer, whatever its status. */
    public static Answer write(Vault plain, String path, Map<String, Object> data) {
        try {
            return answer(plain.logical().write(path, data));
        } catch (VaultException e) {
            return fromException(e);
        }
    }

    /** GET {@code path} and return Vault's answer, whatever its status. */
    public static Answer read(Vault plain, String path) {
        try {
            return answer(plain.logical().read(path));
        } catch (VaultException e) {
            return fromException(e);
        }
    }

    private static Answer answer(LogicalResponse response) {
        byte[] body = response.getRestResponse().getBody();
        return new Answer(response.getRestResponse().getStatus(), parse(body));
    }

    private static Answer fromException(VaultException e) {
        // The driver throws for 5xx and transport errors; its message holds the body after "Response body: ".
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("Response body: ");
        JsonNode body = at >= 0 ? parse(message.substring(at + 15).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : JSON.createObjectNode().set("errors", JSON.createArrayNode().add(message));
        return new Answer(e.getHttpStatusCode(), body);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().set("errors",
                    JSON.createArrayNode().add(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        }
    }
}
