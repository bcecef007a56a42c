package io.github.vaultk8strust;

/** Name how the Vault server of a {@code @VaultK8sTrust} environment starts. */
public enum VaultMode {
    /** Defer to the configuration parameter {@link ConfigKeys#VAULT_MODE_KEY}, then {@link #INIT}. */
    DEFAULT,
    /** Start a real server, initialise it with 5 key shares and threshold 3, and unseal it, as the seed does. */
    INIT,
    /** Start the server in dev mode: in-memory storage, unsealed, a random root token. */
    DEV
}
