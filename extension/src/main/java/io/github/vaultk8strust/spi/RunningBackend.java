package io.github.vaultk8strust.spi;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.support.Deadline;
import java.util.Optional;

/** A started backend: a cluster and a Vault server, stopped together. */
public interface RunningBackend extends AutoCloseable {

    /** Return which backend this is. */
    Backend kind();

    /** Return the cluster. */
    Cluster cluster();

    /** Return the Vault server. */
    VaultServer vault();

    /**
     * Return the start-up budget the servers were started under; the trust setup spends what is left of it, so
     * that one timeout covers servers and setup. (Finding, building or pulling binaries and images comes before
     * and is not part of it.)
     */
    Deadline startupDeadline();

    /**
     * Return why this backend can no longer be used (a server exited after start-up: its name, pid, exit code and
     * log tail), or empty while it is healthy. Callers fail at once with this instead of waiting for time-outs.
     */
    default Optional<String> brokenReason() {
        return Optional.empty();
    }

    /**
     * Record that the environment built on this backend failed to start (the trust setup failed), before
     * {@link #close()}: a backend may then keep evidence ({@code vaultk8s.keep-on-failure}).
     */
    default void failed(Throwable cause) {
    }

    /** Stop every process or container and delete every temporary file. */
    @Override
    void close();
}
