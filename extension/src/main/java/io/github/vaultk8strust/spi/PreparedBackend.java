package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.support.Deadline;
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
}
