package io.github.vaultk8strust.it;

import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.TrustEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link K3sWalkthrough} on the NODE STAND-IN (not k3s; {@link NodeStandin}), one environment per class in the
 * subclass's Vault mode: everything but the k3s binary runs for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NodeStandinWalkthrough extends K3sWalkthrough {

    private ClosableTrustEnvironment environment;

    @BeforeAll
    void start() {
        environment = NodeStandin.builder().vaultMode(vaultMode()).start();
    }

    @AfterAll
    void close() {
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    TrustEnvironment environment() {
        return environment;
    }
}
