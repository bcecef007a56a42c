package io.github.vaultk8strust.it;

import io.github.vaultk8strust.TrustEnvironmentBuilder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The k3s backend with Vault in a container beside the node ({@link K3sVaultContainerScenario}), on the NODE STAND-IN
 * (not k3s; {@link NodeStandin}) with the Vault stand-in image holding the real Vault binary. .ci/run fails if this
 * class is skipped.
 */
@EnabledIf(value = "io.github.vaultk8strust.it.NodeStandin#built", disabledReason = NodeStandin.NOT_BUILT)
class NodeStandinVaultContainerTest extends K3sVaultContainerScenario {

    @Override
    TrustEnvironmentBuilder node() {
        return NodeStandin.builder();
    }
}
