/**
 * Internal: the k3s backend (Testcontainers K3sContainer with Vault deployed in the cluster). Not API.
 */
package io.github.vaultk8strust.backend.k3s;
