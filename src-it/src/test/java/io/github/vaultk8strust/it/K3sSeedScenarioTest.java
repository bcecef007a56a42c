package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.junit.InClusterWorkload;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultRoot;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The walkthrough end to end on a real k3s cluster with Vault inside it, including the {@code vault-client} pod
 * logging in with its projected token. Needs a Docker engine that can pull (or has cached) the images; reported
 * skipped with the reason elsewhere.
 */
@EnabledIf(value = "k3sCanRun", disabledReason = "needs a Docker engine that has the k3s images or reaches a "
        + "registry (this machine: none, or an engine without registry access and without the images; "
        + ".github/workflows/k3s.yml runs these tests for real)")
@VaultK8sTrust(backend = Backend.K3S)
class K3sSeedScenarioTest {

    static boolean k3sCanRun() {
        return ItSupport.k3sCanRun();
    }

    private final TrustEnvironment environment;

    K3sSeedScenarioTest(TrustEnvironment environment) {
        this.environment = environment;
    }

    @Test
    void clusterIsK3sWithItsOwnIssuer() {
        assertThat(environment.backend()).isEqualTo(Backend.K3S);
        assertThat(environment.issuer()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(environment.discoveryDocument()).containsEntry("issuer", environment.issuer());
        assertThat(environment.vaultAddress()).startsWith("http://");
    }

    @Test
    void vaultRunsInTheClusterFromTheWalkthroughsResources(@KubeAdmin KubernetesClient kube) {
        assertThat(kube.pods().inNamespace("default").withName("vault-0").get().getStatus().getPhase())
                .isEqualTo("Running");
        assertThat(kube.services().inNamespace("default").withName("vault").get().getSpec().getType())
                .isEqualTo("ClusterIP");
        assertThat(kube.persistentVolumeClaims().inNamespace("default").withName("vault-data-vault-0").get()
                .getStatus().getPhase()).isEqualTo("Bound");
    }

    @Test
    void jvmLoginWorksAsOnTheLocalBackend(@VaultLogin(role = "k8s-dev") VaultSession writer) {
        assertThat(writer.policies()).contains("k8s-dev-writer");
        assertThat(writer.capabilities("kvv2/data/some-secret")).containsExactly("deny");
    }

    @Test
    void workloadPodLogsInWithItsProjectedToken(@InClusterWorkload Workload pod, @VaultRoot Vault root)
            throws VaultException {
        ExecResult login = pod.exec("vault", "write", "-format=json", "auth/jwt/login", "role=k8s-dev",
                "jwt=@/service-account/token");
        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.stdout()).contains("\"k8s-dev-writer\"");

        ExecResult put = pod.exec("sh", "-c", "VAULT_TOKEN=$(vault write -field=token auth/jwt/login role=k8s-dev "
                + "jwt=@/service-account/token) vault kv put kvv2/k8s-dev/foo bar=baz");
        assertThat(put.exitCode()).as("%s", put).isZero();
        assertThat(root.logical().read("kvv2/k8s-dev/foo").getData()).isEqualTo(Map.of("bar", "baz"));

        ExecResult outOfScope = pod.exec("sh", "-c", "VAULT_TOKEN=$(vault write -field=token auth/jwt/login "
                + "role=k8s-dev jwt=@/service-account/token) vault kv put kvv2/some-secret bar=baz");
        assertThat(outOfScope.exitCode()).isNotZero();
        assertThat(outOfScope.stderr()).contains("permission denied");
    }

    @Test
    void projectedTokenIsBoundToThePod(@InClusterWorkload Workload pod) {
        ServiceAccountJwt token = pod.projectedToken();

        assertThat(token.subject()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(token.audience()).containsExactly("vault-dev");
        assertThat(token.podName()).contains(pod.podName());
        assertThat(token.issuer()).isEqualTo(environment.issuer());
    }

    @Test
    void workloadWithTheWrongAudienceIsRejected() {
        try (Workload pod = environment.startWorkload(WorkloadSpec.seed().withAudience("someone-else"))) {
            ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev",
                    "jwt=@/service-account/token");
            assertThat(login.exitCode()).isNotZero();
            assertThat(login.stderr()).contains("invalid audience (aud) claim");
        }
    }

    @Test
    void workloadUnderAMissingServiceAccountFailsClearly() {
        assertThatThrownBy(() -> environment.startWorkload(WorkloadSpec.of("default", "nobody")))
                .hasMessageContaining("nobody").hasMessageContaining("must exist");
    }
}
