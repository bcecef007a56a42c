package io.github.vaultk8strust.it;

import io.github.vaultk8strust.VaultMode;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The walkthrough on the k3s backend with Vault in dev mode inside the cluster, on the NODE STAND-IN (not k3s).
 * .ci/run fails if this class is skipped.
 */
@EnabledIf(value = "io.github.vaultk8strust.it.NodeStandin#built", disabledReason = NodeStandin.NOT_BUILT)
class NodeStandinDevModeTest extends NodeStandinWalkthrough {

    @Override
    VaultMode vaultMode() {
        return VaultMode.DEV;
    }
}
