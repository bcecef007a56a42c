package io.github.vaultk8strust.spi.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.VaultMode;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;

/** The container Vault both backends use, as configured before start (no Docker engine needed). */
class ContainerVaultTest {

    @Test
    void initModeRunsARealServerThatTheTrustFlowInitialises() {
        ContainerVault vault = ContainerVault.create("hashicorp/vault:1.21", VaultMode.INIT, "a network", c -> { });

        assertThat(vault.container().getEnvMap()).containsEntry("VAULT_LOCAL_CONFIG", ContainerVault.initConfig())
                .containsEntry("SKIP_SETCAP", "true").doesNotContainKeys("VAULT_DEV_ROOT_TOKEN_ID", "VAULT_TOKEN");
        assertThat(vault.container().getCommandParts()).containsExactly("server");
        assertThat(ContainerVault.initConfig()).contains("storage \"file\"", "address     = \"0.0.0.0:8200\"",
                "tls_disable = true", "disable_mlock     = true");
        assertThat(vault.devRootToken()).isEmpty();
    }

    @Test
    void devModeHasARandomRootTokenButNoVaultTokenInTheContainer() {
        ContainerVault vault = ContainerVault.create("hashicorp/vault:1.21", VaultMode.DEV, "a network", c -> { });
        ContainerVault other = ContainerVault.create("hashicorp/vault:1.21", VaultMode.DEV, "a network", c -> { });

        assertThat(vault.devRootToken()).hasValueSatisfying(t -> assertThat(t).startsWith("dev-").hasSize(36));
        assertThat(vault.devRootToken()).isNotEqualTo(other.devRootToken());
        assertThat(vault.container().getEnvMap()).containsEntry("VAULT_DEV_ROOT_TOKEN_ID", vault.devRootToken().get())
                .doesNotContainKey("VAULT_TOKEN");
        assertThat(vault.container().getCommandParts()).containsExactly("server", "-dev", "-dev-no-store-token");
    }

    @Test
    void theBackendsWiringIsAppliedAndNamedInWhere() throws IOException {
        AtomicBoolean wired = new AtomicBoolean();
        try (Network network = Network.newNetwork()) {
            ContainerVault vault = ContainerVault.create("vault-k8s-trust/vault-standin:1.21.0", VaultMode.INIT,
                    "Docker network n1, shared with the k3s container", c -> {
                        wired.set(true);
                        c.withNetwork(network);
                    });

            assertThat(wired).isTrue();
            assertThat(vault.container().getNetwork()).isSameAs(network);
            assertThat(vault.where()).isEqualTo("the Vault container (not started) (image "
                    + "vault-k8s-trust/vault-standin:1.21.0, Docker network n1, shared with the k3s container)");
            assertThat(vault.image().isCompatibleWith(org.testcontainers.utility.DockerImageName
                    .parse("hashicorp/vault"))).isTrue();
            assertThat(vault.ipAddressOn("any")).isEmpty();
        }
    }
}
