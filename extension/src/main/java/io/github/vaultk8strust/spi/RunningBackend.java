package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/** A started backend: a cluster and a Vault server, stopped together. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface RunningBackend extends AutoCloseable {

    /** Return the name of the provider that started it, e.g. {@code local}. */
    String name();

    /** Return the cluster. */
    Cluster cluster();

    /** Return the Vault server. */
    VaultServer vault();

    /**
     * Return an optional capability of this backend, such as {@link WorkloadRunner}; empty when it has none. The
     * default answers with this object when it implements the capability.
     */
    default <T> Optional<T> capability(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /**
     * Return why this backend can no longer be used (a server exited after start-up: its name, pid, exit code and
     * log tail), or empty while it is healthy. Callers fail at once with this instead of waiting for time-outs.
     */
    default Optional<String> brokenReason() {
        return Optional.empty();
    }

    /**
     * Record that the environment built on this backend failed to start (the trust setup failed), before
     * {@link #close()}: a backend may then keep evidence ({@code vaultk8s.keep-on-failure}, or always when its
     * evidence would otherwise be gone with its containers).
     *
     * @return a sentence saying where the evidence was kept, for the failure's message; empty when none was
     */
    default Optional<String> failed(Throwable cause) {
        return Optional.empty();
    }

    /**
     * Record that a test using this environment failed; with {@code vaultk8s.keep-on-failure} a backend may keep
     * evidence when it closes.
     */
    default void testFailed(String test, Throwable cause) {
    }

    /**
     * Return how long the backend's own start-up steps took, in order (for benchmarks and the start-up report); empty
     * when the backend does not say.
     */
    default java.util.Map<String, java.time.Duration> startupPhases() {
        return java.util.Map.of();
    }

    /** Stop every process or container and delete every temporary file; idempotent. */
    @Override
    void close();
}
