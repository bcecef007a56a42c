package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.VaultMode;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What the core asks a backend to prepare: how Vault starts, and the backend's own options.
 *
 * @param vaultMode {@link VaultMode#INIT} (initialised and unsealed by the trust flow) or {@link VaultMode#DEV}
 * @param config the layered settings; the backend reads its own keys
 * @param keepOnFailure whether a failed start keeps its files for inspection
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record BackendRequest(VaultMode vaultMode, BackendConfig config, boolean keepOnFailure) {

    public BackendRequest {
        Objects.requireNonNull(vaultMode, "vaultMode");
        Objects.requireNonNull(config, "config");
    }
}
