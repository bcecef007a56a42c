package io.github.vaultk8strust.samples;

// tag::spring[]
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.ProjectedTokenFile;
import io.github.vaultk8strust.TokenFileSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.JwtAuthentication;
import org.springframework.vault.authentication.JwtAuthenticationOptions;
import org.springframework.vault.authentication.KubernetesAuthentication;
import org.springframework.vault.authentication.KubernetesAuthenticationOptions;
import org.springframework.vault.authentication.KubernetesServiceAccountTokenFile;
import org.springframework.vault.client.VaultClients;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.web.client.RestTemplate;

/**
 * An application built on Spring Vault logs in on its own, from a token file, as it would in a pod reading
 * /var/run/secrets/tokens/vault-token: through the kubernetes auth method and through jwt.
 */
@VaultK8sTrust(authMethods = {AuthMethod.JWT, AuthMethod.KUBERNETES})
class SpringVaultSampleTest {

    @BeforeEach
    void operatorStoresTheSecret(TrustEnvironment environment) throws Exception {
        environment.root().kv().logical().write("kvv2/k8s-dev/app-config", Map.of("db-password", "s3cret"));
    }

    @Test
    void applicationLogsInWithKubernetesAuthenticationFromTheTokenFile(TrustEnvironment environment) {
        try (ProjectedTokenFile token = environment.projectToken(TokenFileSpec.seed())) { // refreshed like the kubelet
            RestTemplate rest = VaultClients.createRestTemplate(
                    VaultEndpoint.from(java.net.URI.create(environment.vaultAddress())),
                    new SimpleClientHttpRequestFactory());
            KubernetesAuthentication login = new KubernetesAuthentication(KubernetesAuthenticationOptions.builder()
                    .path(environment.kubernetesAuthPath()).role("k8s-dev-kubernetes")
                    .jwtSupplier(new KubernetesServiceAccountTokenFile(token.path().toString())).build(), rest);

            SecretsApplication application = new SecretsApplication(environment.vaultAddress(), login, "kvv2");

            assertThat(application.secret("k8s-dev/app-config")).containsEntry("db-password", "s3cret");
            assertThatThrownBy(() -> application.secret("payments/db")).isInstanceOf(VaultException.class)
                    .hasMessageContaining("403").hasMessageContaining("permission denied");
        }
    }

    @Test
    void applicationLogsInWithJwtAuthenticationFromTheTokenFile(TrustEnvironment environment) {
        try (ProjectedTokenFile token = environment.projectToken(TokenFileSpec.seed())) {
            RestTemplate rest = VaultClients.createRestTemplate(
                    VaultEndpoint.from(java.net.URI.create(environment.vaultAddress())),
                    new SimpleClientHttpRequestFactory());
            JwtAuthentication login = new JwtAuthentication(JwtAuthenticationOptions.builder()
                    .path(environment.authPath()).role("k8s-dev")
                    .jwtSupplier(new KubernetesServiceAccountTokenFile(token.path().toString())).build(), rest);

            SecretsApplication application = new SecretsApplication(environment.vaultAddress(), login, "kvv2");

            assertThat(application.secret("k8s-dev/app-config")).containsEntry("db-password", "s3cret");
            assertThatThrownBy(() -> application.secret("payments/db")).isInstanceOf(VaultException.class)
                    .hasMessageContaining("403").hasMessageContaining("permission denied");
        }
    }
}
// end::spring[]
