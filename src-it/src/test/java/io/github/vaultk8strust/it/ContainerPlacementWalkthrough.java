package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.junit.ServiceAccountToken;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.verify.AdversarialTokens;
import io.github.vaultk8strust.verify.PolicyMatrix;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The walkthrough, the seed policy matrix and the adversarial tokens with Vault in a Testcontainers VaultContainer
 * beside the local backend's API server (vaultPlacement = CONTAINER), in both Vault modes. Vault reaches the issuer
 * across the Docker bridge as https://host.docker.internal:&lt;port&gt;. The image is the stand-in built from the real
 * Vault binary ({@link VaultStandinImage}). Skipped, with the reason, only when no Docker engine answers (the gate is on each subclass). The
 * subclasses say how Vault starts: {@link ContainerPlacementInitTest}, {@link ContainerPlacementDevTest}.
 */
@ExtendWith(VaultStandinImage.class) // before @VaultK8sTrust on the subclasses: the image exists first
abstract class ContainerPlacementWalkthrough {

    @Test // vault kv put kvv2/k8s-dev/foo bar=baz; vault kv get kvv2/k8s-dev/foo
    void workloadWritesAndReadsBackItsSecret(@VaultLogin(role = "k8s-dev") Vault vault) throws VaultException {
        vault.logical().write("kvv2/k8s-dev/foo", Map.of("bar", "baz"));

        LogicalResponse secret = vault.logical().read("kvv2/k8s-dev/foo");

        assertThat(secret.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(secret.getData()).containsExactly(Map.entry("bar", "baz"));
    }

    @Test // vault kv put kvv2/some-secret bar=baz  ->  Code: 403. permission denied
    void workloadIsDeniedOutsideItsPath(@VaultLogin(role = "k8s-dev") Vault vault) throws VaultException {
        LogicalResponse denied = vault.logical().write("kvv2/some-secret", Map.of("bar", "baz"));

        assertThat(denied.getRestResponse().getStatus()).isEqualTo(403);
        assertThat(new String(denied.getRestResponse().getBody(), StandardCharsets.UTF_8))
                .contains("permission denied");
    }

    @Test
    void theIssuerIsTheNameVaultUsesAcrossTheBridge(TrustEnvironment environment,
            @ServiceAccountToken(serviceAccount = "vault-writer", audience = "vault-dev") ServiceAccountJwt token) {
        URI issuer = URI.create(environment.issuer());
        assertThat(issuer.getScheme()).isEqualTo("https");
        assertThat(issuer.getHost()).isEqualTo("host.docker.internal");
        assertThat(token.issuer()).isEqualTo(environment.issuer());
        assertThat(environment.discoveryDocument()).containsEntry("issuer", environment.issuer())
                .containsEntry("jwks_uri", environment.issuer() + "/openid/v1/jwks");
        // The test JVM reaches the API server on the bridge gateway, and Vault through the container's mapped port.
        assertThat(URI.create(environment.apiServerUrl()).getPort()).isEqualTo(issuer.getPort());
        assertThat(VaultStandinImage.vaultContainers()).anySatisfy(c -> assertThat(c.getPorts())
                .anySatisfy(p -> assertThat(p.getPublicPort())
                        .isEqualTo(URI.create(environment.vaultAddress()).getPort())));
    }

    @TestFactory
    Stream<DynamicTest> seedPolicyMatrix(TrustEnvironment environment) {
        return PolicyMatrix.fromFile(Path.of("..", "samples", "src", "test", "resources", "seed-policy-matrix.csv"))
                .tests(environment);
    }

    @Test
    void onlyTheRealWorkloadGetsIn(TrustEnvironment environment) {
        AdversarialTokens.Report report = AdversarialTokens.against(environment, "k8s-dev").assertAllRejected();

        assertThat(report.summary()).isEqualTo("9 tried, 0 accepted");
    }
}
