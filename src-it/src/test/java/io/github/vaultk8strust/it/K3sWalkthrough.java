package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.spi.VaultVantage;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The walkthrough on the k3s backend with Vault inside the cluster, end to end: Vault from the walkthrough's resources,
 * the seed's jwt login from this JVM, and a workload pod that logs in with its kubelet-projected token, writes and reads
 * its secret and is denied out of scope. Subclasses say which node runs it: {@link K3sSeedScenarioTest} (real k3s) and
 * the node stand-in ({@link NodeStandinSeedScenarioTest}, {@link NodeStandinDevModeTest}).
 */
abstract class K3sWalkthrough {

    /** Return the environment under test (started by the subclass). */
    abstract TrustEnvironment environment();

    /** Return how its Vault runs. */
    abstract VaultMode vaultMode();

    @Test
    void theClusterIssuerIsPinnedWithItsJwksUri() {
        TrustEnvironment environment = environment();
        assertThat(environment.backend()).isEqualTo(Backend.K3S);
        assertThat(environment.issuer()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(environment.discoveryDocument()).containsEntry("issuer", environment.issuer())
                .containsEntry("jwks_uri", "https://kubernetes.default.svc.cluster.local/openid/v1/jwks");
        assertThat(environment.vaultAddress()).startsWith("http://");
    }

    @Test
    void vaultRunsInTheClusterFromTheWalkthroughsResources() {
        try (KubernetesClient kube = environment().newKubernetesClient()) {
            assertThat(kube.pods().inNamespace("default").withName("vault-0").get().getStatus().getPhase())
                    .isEqualTo("Running");
            assertThat(kube.services().inNamespace("default").withName("vault").get().getSpec().getType())
                    .isEqualTo("ClusterIP");
            if (vaultMode() == VaultMode.INIT) {
                // INIT mode keeps Vault's file storage on the claim; dev mode keeps everything in memory.
                assertThat(kube.persistentVolumeClaims().inNamespace("default").withName("vault-data-vault-0").get()
                        .getStatus().getPhase()).isEqualTo("Bound");
            }
        }
    }

    @Test
    void jvmLoginOfTheSeedRoleAndAnOutOfScopePathDenied() {
        try (VaultSession writer = environment().login("k8s-dev")) {
            assertThat(writer.policies()).contains("k8s-dev-writer");
            assertThat(writer.capabilities("kvv2/data/k8s-dev/foo")).contains("create");
            assertThat(writer.capabilities("kvv2/data/some-secret")).containsExactly("deny");
        }
    }

    @Test
    void workloadPodLogsInWithItsProjectedTokenWritesItsSecretAndIsDeniedOutOfScope() throws VaultException {
        try (Workload pod = environment().startWorkload(WorkloadSpec.seed())) {
            PodWalkthrough.logInWriteReadAndBeDeniedOutOfScope(pod, environment(), "from-pod");
        }
    }

    @Test
    void projectedTokenIsBoundToThePod() {
        try (Workload pod = environment().startWorkload(WorkloadSpec.seed())) {
            ServiceAccountJwt token = pod.projectedToken();

            assertThat(token.subject()).isEqualTo("system:serviceaccount:default:vault-writer");
            assertThat(token.audience()).containsExactly("vault-dev");
            assertThat(token.podName()).contains(pod.podName());
            assertThat(token.issuer()).isEqualTo(environment().issuer());
        }
    }

    @Test
    void workloadWithTheWrongAudienceIsRejected() {
        try (Workload pod = environment().startWorkload(WorkloadSpec.seed().withAudience("someone-else"))) {
            ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev",
                    "jwt=@/service-account/token");
            assertThat(login.exitCode()).isNotZero();
            assertThat(login.stderr()).contains("invalid audience (aud) claim");
        }
    }

    @Test
    void workloadUnderAMissingServiceAccountFailsClearly() {
        assertThatThrownBy(() -> environment().startWorkload(WorkloadSpec.of("default", "nobody")))
                .hasMessageContaining("nobody").hasMessageContaining("must exist");
    }

    @Test
    void discoveryIsProbedFromTheVaultPodNotFromThisJvm() {
        VaultVantage vantage = ((DefaultTrustEnvironment) environment()).runningBackend()
                .capability(VaultVantage.class).orElseThrow();
        String ca = environment().caPem();

        // This JVM cannot resolve the cluster's names; the Vault pod can, through cluster DNS and the kubernetes
        // Service, with the cluster CA.
        VaultVantage.Reach discovery = vantage.reach(URI.create(environment().issuer()
                + "/.well-known/openid-configuration"), ca, Duration.ofSeconds(10));
        VaultVantage.Reach unknown = vantage.reach(URI.create("https://no-such-service.default.svc.cluster.local"
                + "/.well-known/openid-configuration"), ca, Duration.ofSeconds(10));

        assertThat(vantage.where()).contains("the Vault pod default/vault-0");
        assertThat(discovery.stage()).as("%s", discovery).isEqualTo(VaultVantage.Stage.HTTP);
        assertThat(unknown.stage()).as("%s", unknown).isEqualTo(VaultVantage.Stage.DNS);
    }
}
