package io.github.vaultk8strust.it;

import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The walkthrough on the k3s backend with Vault initialised and unsealed inside the cluster, on the NODE STAND-IN (not
 * k3s; {@link NodeStandin}): everything but the k3s binary runs for real. .ci/run fails if this class is skipped.
 */
@EnabledIf(value = "io.github.vaultk8strust.it.NodeStandin#built", disabledReason = NodeStandin.NOT_BUILT)
class NodeStandinSeedScenarioTest extends K3sWalkthrough {

    private static ClosableTrustEnvironment environment;

    @BeforeAll
    static void start() {
        environment = NodeStandin.builder().vaultMode(VaultMode.INIT).start();
    }

    @AfterAll
    static void close() {
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    TrustEnvironment environment() {
        return environment;
    }

    @Override
    VaultMode vaultMode() {
        return VaultMode.INIT;
    }
}
