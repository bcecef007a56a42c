package io.github.vaultk8strust.it;

import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Vault in a container beside the local backend's API server, DEV mode: the container runs
 * {@code vault server -dev} with a random root token.
 */
// @EnabledIf is not inherited: each concrete class carries the gate.
@EnabledIf(value = "io.github.vaultk8strust.it.VaultStandinImage#dockerAnswers",
        disabledReason = "no Docker engine answers (DockerProbe); .ci/run starts one")
@VaultK8sTrust(vaultPlacement = VaultPlacement.CONTAINER, vaultMode = VaultMode.DEV)
class ContainerPlacementDevTest extends ContainerPlacementWalkthrough {
}
