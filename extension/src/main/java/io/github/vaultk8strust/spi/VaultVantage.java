package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * An optional capability of a running backend ({@link RunningBackend#capability}): look at a URL from where Vault
 * runs (its container, its pod, its host), the way Vault would fetch it. The trust flow uses it to explain a failed
 * {@code auth/jwt/config} ("error checking oidc discovery URL"): which name did not resolve, which connection was
 * refused, which certificate did not cover the name, which status the API server answered. A backend without it gets
 * the probe from the test JVM, labelled as such.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface VaultVantage {

    /** Say where Vault runs, in words, e.g. {@code "the Vault container vk8s-vault-1a2b (Docker bridge network)"}. */
    String where();

    /**
     * Fetch the URL from Vault's side without credentials, verifying TLS against the CA, within the timeout, and say
     * how far it got. Never throws for a network failure: that is the answer.
     */
    Reach reach(URI url, String caPem, Duration timeout);

    /**
     * Return the vantage of this JVM, described as {@code where}: right for a Vault that shares this JVM's network
     * (a process on this host), and the core's fallback for backends without this capability.
     */
    static VaultVantage thisJvm(String where) {
        return new JvmVantage(where);
    }

    /** How far a fetch got. */
    enum Stage {
        /** The host name did not resolve. */
        DNS,
        /** The name resolved, but no TCP connection was made (refused, timed out, unreachable). */
        CONNECT,
        /** Connected, but TLS failed: a certificate that does not cover the name, or is not signed by the CA. */
        TLS,
        /** An HTTP answer arrived; {@link Reach#status()} says which. */
        HTTP,
        /** The probe itself could not run (no tool in the image, exec failed); {@link Reach#detail()} says why. */
        UNKNOWN
    }

    /**
     * The answer of {@link #reach}.
     *
     * @param stage how far it got
     * @param status the HTTP status for {@link Stage#HTTP}, else -1
     * @param detail the client's own words (error text, or the first line of the body)
     */
    record Reach(Stage stage, int status, String detail) {

        public Reach {
            Objects.requireNonNull(stage, "stage");
            detail = detail == null ? "" : detail.strip();
        }

        /** Return an answer for a failure before any HTTP status. */
        public static Reach failed(Stage stage, String detail) {
            return new Reach(stage, -1, detail);
        }

        /** Return an answer carrying an HTTP status. */
        public static Reach http(int status, String detail) {
            return new Reach(Stage.HTTP, status, detail);
        }
    }
}
