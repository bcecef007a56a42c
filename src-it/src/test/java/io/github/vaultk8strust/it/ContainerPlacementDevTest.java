package io.github.vaultk8strust.it;

import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.junit.VaultK8sTrust;

/**
 * Vault in a container beside the local backend's API server, DEV mode: the container runs
 * {@code vault server -dev} with a random root token.
 */
@VaultK8sTrust(vaultPlacement = VaultPlacement.CONTAINER, vaultMode = VaultMode.DEV)
class ContainerPlacementDevTest extends ContainerPlacementWalkthrough {
}
