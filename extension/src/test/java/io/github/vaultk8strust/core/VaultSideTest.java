package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.Cluster;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.VaultServer;
import io.github.vaultk8strust.support.Deadline;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The Vault half of the trust setup, begun as soon as Vault answers: it needs no cluster (the backend's cluster is
 * not ready yet then), and when the backend's start fails under it, cancelling stops it at its next step or wait
 * instead of letting it poll a stopped Vault for the rest of the start-up budget.
 */
class VaultSideTest {

    private static final String INIT = "{\"root_token\":\"root-of-the-fake\",\"keys_base64\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}";

    /** A Vault that initialises and unseals; {@code health} answers sys/health; everything else is accepted. */
    private static Function<FakeServers.Request, FakeServers.Answer> vault(int health) {
        return r -> switch (r.path().split("\\?")[0]) {
            case "/v1/sys/init" -> new FakeServers.Answer(200, INIT);
            case "/v1/sys/unseal" -> new FakeServers.Answer(200, "{\"sealed\":false}");
            case "/v1/sys/health" -> new FakeServers.Answer(health, "{}");
            default -> new FakeServers.Answer(204, "");
        };
    }

    /** The fake's Vault, with a cluster that must not be touched. */
    private static RunningBackend vaultOnly(FakeServers servers) {
        RunningBackend backend = servers.backend();
        return new RunningBackend() {
            @Override
            public String name() {
                return backend.name();
            }

            @Override
            public Cluster cluster() {
                throw new AssertionError("the Vault half used the cluster, which is not ready when it runs");
            }

            @Override
            public VaultServer vault() {
                return backend.vault();
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void theVaultHalfInitialisesVaultWithoutTheCluster() throws Exception {
        try (FakeServers servers = new FakeServers().vault(vault(200))) {
            TrustSettings settings = TrustSettings.builder("fake").vaultMode(VaultMode.INIT).build();

            TrustSetup.VaultSide side = TrustSetup.beginVaultSide(settings, vaultOnly(servers),
                    Deadline.in(Duration.ofSeconds(30)));

            assertThat(side.rootToken.get(30, TimeUnit.SECONDS)).isEqualTo("root-of-the-fake");
            assertThat(servers.requests("/v1/sys/init")).hasSize(1);
            assertThat(servers.requests("/v1/sys/unseal")).hasSize(3);
            assertThat(servers.requests("/v1/sys/mounts/" + settings.kvPath())).hasSize(1);
            assertThat(servers.requests("/v1/sys/auth/" + settings.authPath())).hasSize(1);
            assertThat(servers.requests("/v1/sys/policies/acl/")).hasSize(settings.policies().size());
            assertThat(servers.requests()).allMatch(r -> r.path().startsWith("/v1/"));
        }
    }

    @Test
    void cancellingStopsAVaultThatNeverBecomesActiveWithoutWaitingOutTheBudget() {
        try (FakeServers servers = new FakeServers().vault(vault(503))) {
            TrustSettings settings = TrustSettings.builder("fake").vaultMode(VaultMode.INIT).build();
            TrustSetup.VaultSide side = TrustSetup.beginVaultSide(settings, vaultOnly(servers),
                    Deadline.in(Duration.ofMinutes(10)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> servers.requests("/v1/sys/health").size() >= 2);

            side.cancelAndAwait();

            assertThat(side.rootToken).isCompletedExceptionally();
            assertThat(side.rootToken.handle((root, e) -> e instanceof CompletionException c ? c.getCause() : e)
                    .join()).hasMessageContaining("The Vault half of the trust setup was stopped");
            assertThat(servers.requests("/v1/sys/mounts/")).as("nothing after the wait it was stopped in").isEmpty();
        }
    }
}
