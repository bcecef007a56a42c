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

    /** Stop every process or container and delete every temporary file; idempotent. */
    @Override
    void close();
}
