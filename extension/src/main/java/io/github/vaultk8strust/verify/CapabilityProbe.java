package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.VaultSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Check one expectation "this token may (not) do {@code capability} on {@code path}" twice: through
 * {@code sys/capabilities-self}, then, where it proves something without changing data, with a real request.
 *
 * <p>Real requests: {@code read} sends a GET and {@code list} a LIST (allowed: anything but 403; denied: 403);
 * denied {@code create}, {@code update} and {@code delete} send the write or DELETE and expect 403, so nothing is
 * written (a write is only sent when the token holds neither {@code create} nor {@code update}, because Vault
 * checks one or the other depending on whether the secret exists). Allowed writes and deletes, {@code patch} and
 * {@code sudo} are checked through {@code sys/capabilities-self} only, so a check never changes a secret.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CapabilityProbe {

    /** The verdict on one expectation; {@code failure} is null when it held. */
    public record Outcome(String description, List<String> capabilities, String request, String failure) {

        /** Return whether the expectation held. */
        public boolean passed() {
            return failure == null;
        }
    }

    private CapabilityProbe() {
    }

    /** Return e.g. {@code k8s-dev may read kvv2/data/k8s-dev/foo} or {@code k8s-dev may not update ...}. */
    public static String describe(String who, Capability capability, String path, boolean allowed) {
        return who + (allowed ? " may " : " may not ") + capability.vaultName() + " " + path;
    }

    /** Check the expectation; never throws for a failed expectation, only for a broken Vault. */
    public static Outcome check(VaultSession session, Capability capability, String path, boolean expectAllowed) {
        String who = session.role().orElse("root");
        String description = describe(who, capability, path, expectAllowed);
        // Vault checks a LIST request against the path with a trailing slash: ask about that path.
        String checkedPath = capability == Capability.LIST && !path.endsWith("/") ? path + "/" : path;
        List<String> capabilities = session.capabilities(checkedPath);
        boolean root = capabilities.contains("root");
        boolean allowed = root || capabilities.contains(capability.vaultName());
        if (allowed != expectAllowed) {
            return new Outcome(description, capabilities, "not sent", failure(description, session, checkedPath,
                    capabilities, "expected " + verb(expectAllowed) + ", but sys/capabilities-self "
                            + (allowed ? "allows" : "denies") + " it", "not sent"));
        }
        Request request = request(session.api(), capability, path, expectAllowed, capabilities, root);
        if (request == null) {
            return new Outcome(description, capabilities, "not sent", null);
        }
        boolean forbidden = request.status == 403;
        if (forbidden == expectAllowed) {
            return new Outcome(description, capabilities, request.toString(), failure(description, session,
                    checkedPath, capabilities, "expected " + verb(expectAllowed) + " and sys/capabilities-self agrees, "
                            + "but the real request was " + (forbidden ? "refused" : "not refused"), request.toString()));
        }
        return new Outcome(description, capabilities, request.toString(), null);
    }

    private static String verb(boolean allowed) {
        return allowed ? "allow" : "deny";
    }

    private static String failure(String description, VaultSession session, String path, List<String> capabilities,
                                  String what, String request) {
        return description + ": " + what
                + "\n  path tested:  " + path
                + "\n  capabilities: " + capabilities + " (sys/capabilities-self)"
                + "\n  policies:     " + session.policies()
                + "\n  real request: " + request;
    }

    private record Request(String method, String path, int status, String body) {
        @Override
        public String toString() {
            String errors = body == null || body.isBlank() ? "" : " " + body.strip();
            return method + " " + path + " -> HTTP " + status + (errors.length() > 160 ? errors.substring(0, 160) + "..."
                    : errors);
        }
    }

    private static Request request(Vault api, Capability capability, String path, boolean expectAllowed,
                                   List<String> capabilities, boolean root) {
        try {
            switch (capability) {
                case READ:
                    return answer("GET", path, api.logical().read(path));
                case LIST:
                    return answer("LIST", path, api.logical().list(path));
                case CREATE:
                case UPDATE:
                    if (expectAllowed || root || capabilities.contains("create") || capabilities.contains("update")) {
                        return null;
                    }
                    return answer(path.contains("/data/") ? "POST (KV v2 write)" : "POST", path, api.logical()
                            .write(path, Map.of("data", Json.object().add("vault-k8s-trust-probe", "must be denied"))));
                case DELETE:
                    return expectAllowed ? null : answer("DELETE", path, api.logical().delete(path));
                default:
                    return null;
            }
        } catch (VaultException e) {
            return new Request(capability.name(), path, e.getHttpStatusCode(), e.getMessage());
        }
    }

    private static Request answer(String method, String path, LogicalResponse response) {
        byte[] body = response.getRestResponse().getBody();
        return new Request(method, path, response.getRestResponse().getStatus(),
                body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }
}
