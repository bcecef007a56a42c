package io.github.vaultk8strust.samples;

// tag::seed[]
import static org.assertj.core.api.Assertions.assertThat;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.junit.ServiceAccountToken;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed walkthrough ("Setting up a Kubernetes cluster with Vault and OIDC trust"), as tests.
 * {@code @VaultK8sTrust} with no attributes performs its whole setup: issuer discovery readable anonymously,
 * Vault initialised and unsealed, KV v2 at {@code kvv2}, the {@code jwt} auth method trusting the cluster,
 * role {@code k8s-dev}, policy {@code k8s-dev-writer} and service account {@code vault-writer}.
 */
@VaultK8sTrust
class SeedWalkthroughTest {

    @Test // vault kv put kvv2/k8s-dev/foo bar=baz; vault kv get kvv2/k8s-dev/foo
    void workloadWritesAndReadsBackItsSecret(@VaultLogin(role = "k8s-dev") Vault vault) throws VaultException {
        vault.logical().write("kvv2/k8s-dev/foo", Map.of("bar", "baz"));

        LogicalResponse secret = vault.logical().read("kvv2/k8s-dev/foo");

        assertThat(secret.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(secret.getData()).containsExactly(Map.entry("bar", "baz"));
        assertThat(secret.getDataMetadata().getVersion()).isEqualTo(1L);
    }

    @Test // vault kv put kvv2/some-secret bar=baz  ->  Code: 403. permission denied
    void workloadIsDeniedOutsideItsPath(@VaultLogin(role = "k8s-dev") Vault vault) throws VaultException {
        LogicalResponse denied = vault.logical().write("kvv2/some-secret", Map.of("bar", "baz"));

        assertThat(denied.getRestResponse().getStatus()).isEqualTo(403);
        assertThat(new String(denied.getRestResponse().getBody(), StandardCharsets.UTF_8))
                .contains("permission denied");
    }

    @Test // path "kvv2/metadata/k8s-dev/*" { capabilities = ["list"] }
    void workloadListsItsPath(@VaultLogin(role = "k8s-dev") Vault vault) throws VaultException {
        vault.logical().write("kvv2/k8s-dev/listed", Map.of("bar", "baz"));

        LogicalResponse listing = vault.logical().list("kvv2/k8s-dev");

        assertThat(listing.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(listing.getListData()).contains("listed");
    }

    @Test // kubectl create token vault-writer --audience=vault-dev, decoded
    void tokenCarriesTheSeedClaims(@ServiceAccountToken(serviceAccount = "vault-writer", audience = "vault-dev")
                                   ServiceAccountJwt token, TrustEnvironment cluster) {
        assertThat(token.audience()).containsExactly("vault-dev");
        assertThat(token.subject()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(token.issuer()).isEqualTo(cluster.issuer());
        assertThat(token.namespace()).isEqualTo("default");
        assertThat(token.serviceAccountName()).isEqualTo("vault-writer");
        assertThat(token.serviceAccountUid()).isNotBlank();
        assertThat(token.expiresAt()).isAfter(token.issuedAt());
    }
}
// end::seed[]
