package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Deadline;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code auth/jwt/config} is the first write that makes Vault reach the issuer (it reads the discovery document
 * then): a refusal right after start-up is retried within the start-up budget, and only a lasting one fails, with
 * Vault's own words and the probe of the discovery URL.
 */
class JwtAuthConfigRetryTest {

    private static final FakeServers.Answer REFUSED = new FakeServers.Answer(400,
            "{\"errors\":[\"error checking oidc discovery URL\"]}");

    @Test
    void aRefusalThatPassesIsRetriedUntilVaultAcceptsTheConfig() {
        AtomicInteger writes = new AtomicInteger();
        try (FakeServers servers = new FakeServers().vault(r -> r.path().equals("/v1/auth/jwt/config")
                && writes.incrementAndGet() <= 2 ? REFUSED : new FakeServers.Answer(204, ""));
             KubernetesClient kube = servers.kubernetesClient()) {
            TrustSetup setup = new TrustSetup(TrustSettings.builder("fake").build(), servers.backend(), kube,
                    Deadline.in(Duration.ofSeconds(60)));

            setup.configureJwtAuth(VaultApi.of(servers.address(), "root"));

            assertThat(writes).hasValue(3);
            assertThat(servers.requests("/v1/auth/jwt/config").get(2).body().get("oidc_discovery_url").asText())
                    .isEqualTo("https://fake-issuer");
        }
    }

    @Test
    void aLastingRefusalFailsWithinTheBudgetWithVaultsWordsAndTheProbe() {
        try (FakeServers servers = new FakeServers().vault(r -> REFUSED);
             KubernetesClient kube = servers.kubernetesClient()) {
            TrustSetup setup = new TrustSetup(TrustSettings.builder("fake").build(), servers.backend(), kube,
                    Deadline.in(Duration.ofSeconds(2)));

            assertThatThrownBy(() -> setup.configureJwtAuth(VaultApi.of(servers.address(), "root")))
                    .isInstanceOf(VaultK8sTrustException.class)
                    .hasMessageContaining("Vault refused auth/jwt/config with oidc_discovery_url=https://fake-issuer")
                    .hasMessageContaining("error checking oidc discovery URL")
                    .hasMessageContaining("GET https://fake-issuer/.well-known/openid-configuration")
                    .hasMessageContaining("probed from this test JVM instead");
            assertThat(servers.requests("/v1/auth/jwt/config")).hasSizeGreaterThan(1);
        }
    }
}
