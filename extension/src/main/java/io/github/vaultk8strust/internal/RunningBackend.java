package io.github.vaultk8strust.internal;

import io.github.vaultk8strust.Backend;

/** A started backend: a cluster and a Vault server, stopped together. */
public interface RunningBackend extends AutoCloseable {

    /** Return which backend this is. */
    Backend kind();

    /** Return the cluster. */
    Cluster cluster();

    /** Return the Vault server. */
    VaultServer vault();

    /** Stop every process or container and delete every temporary file. */
    @Override
    void close();
}
