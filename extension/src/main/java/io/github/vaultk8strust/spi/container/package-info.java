/**
 * Internal building blocks for backends that run Vault in a Docker container beside their cluster: a Testcontainers
 * {@code VaultContainer} in dev or init mode that answers {@link io.github.vaultk8strust.spi.VaultServer} and
 * {@link io.github.vaultk8strust.spi.VaultVantage}. Shared here because backends must not import each other; the
 * network wiring (a hosts entry, a shared Docker network) stays with each backend. Not API.
 */
package io.github.vaultk8strust.spi.container;
