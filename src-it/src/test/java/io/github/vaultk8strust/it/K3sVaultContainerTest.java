package io.github.vaultk8strust.it;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * REAL k3s with Vault in a container beside it ({@link K3sVaultContainerScenario}). Started with the builder, so that
 * the image is the real {@code hashicorp/vault} that .github/workflows/k3s.yml pulls, not the stand-in this module's
 * junit-platform.properties names for the local backend's container tests. Needs a Docker engine that can pull (or
 * has cached) the images; reported skipped with the reason elsewhere. On machines without a registry the same scenario
 * runs on the node stand-in ({@link NodeStandinVaultContainerTest}).
 */
@EnabledIf(value = "io.github.vaultk8strust.it.ItSupport#k3sCanRun", disabledReason = "needs a Docker engine that "
        + "has the k3s images or reaches a registry (this machine: none, or an engine without registry access and "
        + "without the images; .github/workflows/k3s.yml runs these tests for real, .ci/run runs them on the node "
        + "stand-in)")
class K3sVaultContainerTest extends K3sVaultContainerScenario {

    /** The Vault image of this test; .github/workflows/k3s.yml pulls it. */
    static final String VAULT_IMAGE = ConfigKeys.DEFAULT_VAULT_CONTAINER_IMAGE;

    @Override
    TrustEnvironmentBuilder node() {
        return TrustEnvironment.builder().backend(Backend.K3S).setting(ConfigKeys.VAULT_CONTAINER_IMAGE_KEY,
                VAULT_IMAGE);
    }
}
