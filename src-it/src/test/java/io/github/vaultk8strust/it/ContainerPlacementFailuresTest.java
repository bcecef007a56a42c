package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultPlacement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The classic failure of a Vault outside the cluster, forced: the issuer's host name is left out of the API server
 * certificate's SANs, so Vault in the container cannot verify https://host.docker.internal:&lt;port&gt;. Instead of
 * Vault's bare "error checking oidc discovery URL" the failure says which URL, from where, and what failed (the x509
 * error seen from inside the container), with the fix; and nothing is left behind. Needs a Docker engine.
 */
@EnabledIf(value = "io.github.vaultk8strust.it.VaultStandinImage#dockerAnswers",
        disabledReason = "no Docker engine answers (DockerProbe); .ci/run starts one")
class ContainerPlacementFailuresTest {

    @BeforeAll
    static void image() {
        VaultStandinImage.ensure();
    }

    @Test
    @Timeout(180)
    void anIssuerHostMissingFromTheSansIsDiagnosedFromInsideTheContainer() {
        Set<Path> dirsBefore = ItSupport.environmentDirs();
        int containersBefore = VaultStandinImage.vaultContainers().size();

        assertThatThrownBy(() -> TrustEnvironment.builder().backend(Backend.LOCAL)
                .vaultPlacement(VaultPlacement.CONTAINER).vaultMode(VaultMode.DEV)
                .startupTimeout(Duration.ofSeconds(90))
                .setting(ConfigKeys.VAULT_CONTAINER_IMAGE_KEY, VaultStandinImage.IMAGE)
                .setting(ConfigKeys.LOCAL_ISSUER_HOST_IN_CERT_KEY, "false")
                .start())
                .isInstanceOf(VaultK8sTrustException.class)
                .satisfies(e -> System.out.println("the diagnosis, as a user sees it:\n" + e.getMessage()))
                .hasMessageContaining("Vault refused auth/jwt/config with oidc_discovery_url=https://host.docker.internal:")
                .hasMessageContaining("error checking oidc discovery URL")
                .hasMessageContaining("Vault runs in:   the Vault container ")
                .hasMessageContaining("Vault tried:     GET https://host.docker.internal:")
                .hasMessageContaining("/.well-known/openid-configuration without credentials")
                .hasMessageContaining("Seen from there: TLS: ")
                .hasMessageContaining("x509: certificate is valid for")
                .hasMessageContaining("not host.docker.internal")
                .hasMessageContaining("--tls-san=host.docker.internal");

        assertThat(ItSupport.environmentDirs()).isEqualTo(dirsBefore);
        assertThat(VaultStandinImage.vaultContainers()).as("Vault containers left behind").hasSize(containersBefore);
    }
}
