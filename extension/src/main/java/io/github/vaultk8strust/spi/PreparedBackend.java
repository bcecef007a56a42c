package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.support.Deadline;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/** A backend whose binaries or images are at hand, ready to start its servers. */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface PreparedBackend {

    /**
     * Start the cluster and Vault and wait until both are usable, within the deadline (the trust flow spends what is
     * left of it). On failure, stop everything started before throwing.
     */
    RunningBackend start(Deadline deadline);

    /**
     * As {@link #start(Deadline)}, and hand the backend to {@code vaultReady} as soon as its Vault answers, which may
     * be before its cluster is ready: the trust flow then initialises Vault while the cluster boots. Then
     * {@link RunningBackend#vault()} is usable, and {@link RunningBackend#cluster()} already knows the API server's
     * address, CA and credentials, but the API server may not answer yet (the trust flow builds its client and warms
     * it up meanwhile); it is ready when this method returns. When a start is tried again after a failure, {@code vaultReady} may be called again, with the
     * new backend (the earlier one is closed by then). By default, once the whole start has succeeded.
     */
    default RunningBackend start(Deadline deadline, Consumer<RunningBackend> vaultReady) {
        RunningBackend backend = start(deadline);
        vaultReady.accept(backend);
        return backend;
    }
}
