package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** Name how the Vault server of a {@code @VaultK8sTrust} environment starts. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum VaultMode {
    /** Defer to the configuration parameter {@link ConfigKeys#VAULT_MODE_KEY}, then {@link #INIT}. */
    DEFAULT,
    /** Start a real server, initialise it with 5 key shares and threshold 3, and unseal it, as the seed does. */
    INIT,
    /** Start the server in dev mode: in-memory storage, unsealed, a random root token. */
    DEV
}
