package io.github.vaultk8strust.it;

import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.junit.VaultK8sTrust;

/**
 * Vault in a container beside the local backend's API server, INIT mode: a real server (file storage) in the
 * container, initialised (5 shares, threshold 3) and unsealed by the trust flow.
 */
@VaultK8sTrust(vaultPlacement = VaultPlacement.CONTAINER)
class ContainerPlacementInitTest extends ContainerPlacementWalkthrough {
}
