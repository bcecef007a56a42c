package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.backend.k3s.VaultManifests;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The k3s backend's resources, created against the real kube-apiserver of the local backend so that the server
 * validates them (nothing runs them: there is no kubelet), and a token bound to the workload pod object logging
 * into Vault.
 */
@VaultK8sTrust(backend = Backend.LOCAL)
class K3sManifestsOnLocalApiServerTest {

    private final TrustEnvironment environment;
    private final KubernetesClient kube;
    private final List<HasMetadata> created = new ArrayList<>();

    K3sManifestsOnLocalApiServerTest(TrustEnvironment environment, @KubeAdmin KubernetesClient kube) {
        this.environment = environment;
        this.kube = kube;
    }

    @AfterEach
    void deleteWhatWasCreated() {
        for (int i = created.size() - 1; i >= 0; i--) {
            kube.resource(created.get(i)).withGracePeriod(0).delete();
        }
    }

    private <T extends HasMetadata> T create(T resource) {
        T answer = kube.resource(resource).create();
        created.add(answer);
        return answer;
    }

    @Test
    void apiServerAcceptsTheVaultResourcesOfInitMode() {
        List<HasMetadata> resources = VaultManifests.vault("hashicorp/vault:1.20", VaultMode.INIT, null);
        assertThat(resources).extracting(HasMetadata::getKind)
                .containsExactly("ConfigMap", "Service", "Service", "StatefulSet");

        resources.forEach(this::create);

        StatefulSet stored = kube.apps().statefulSets().inNamespace("default").withName("vault").get();
        assertThat(stored.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests()
                .get("storage").toString()).isEqualTo("5Gi");
        assertThat(stored.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
                .getCapabilities().getAdd()).containsExactly("IPC_LOCK");
        Service nodePort = kube.services().inNamespace("default").withName(VaultManifests.NODE_PORT_SERVICE).get();
        assertThat(nodePort.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30820);
        Service vault = kube.services().inNamespace("default").withName("vault").get();
        assertThat(vault.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(vault.getSpec().getClusterIP()).as("allocated by the server").isNotBlank();
        assertThat(kube.configMaps().inNamespace("default").withName("vault-config").get().getData())
                .containsKey("config.json");
    }

    @Test
    void apiServerAcceptsDevModeAndOpenBaoVariants() {
        // Dry run: the server validates and admits each object without storing it, so the names may repeat.
        for (HasMetadata resource : VaultManifests.vault("hashicorp/vault:1.20", VaultMode.DEV, "dev-not-a-secret")) {
            assertThat(kube.resource(resource).dryRun().create().getMetadata().getName())
                    .isEqualTo(resource.getMetadata().getName());
        }
        for (HasMetadata resource : VaultManifests.vault("openbao/openbao:2.4.1", VaultMode.INIT, null)) {
            kube.resource(resource).dryRun().create();
        }
        for (HasMetadata resource : VaultManifests.vault("openbao/openbao:2.4.1", VaultMode.DEV, "dev-x")) {
            kube.resource(resource).dryRun().create();
        }
    }

    @Test
    void podBoundTokenOfTheWorkloadPodLogsIntoVault() {
        Pod pod = create(VaultManifests.workloadPod(WorkloadSpec.seed(), "vault-client-it", "hashicorp/vault:1.20"));
        assertThat(pod.getMetadata().getUid()).isNotBlank();
        assertThat(pod.getSpec().getVolumes().get(0).getProjected().getSources().get(0).getServiceAccountToken()
                .getAudience()).isEqualTo("vault-dev");

        // What the kubelet does for the projected volume: a TokenRequest bound to the pod.
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences("vault-dev")
                .withExpirationSeconds(3600L)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build();
        String raw = kube.serviceAccounts().inNamespace("default").withName("vault-writer").tokenRequest(request)
                .getStatus().getToken();
        ServiceAccountJwt jwt = ServiceAccountJwt.parse(raw);

        assertThat(jwt.subject()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(jwt.audience()).containsExactly("vault-dev");
        assertThat(jwt.podName()).contains("vault-client-it");
        assertThat(jwt.kubernetesClaim().get("pod")).isEqualTo(Map.of("name", "vault-client-it",
                "uid", pod.getMetadata().getUid()));

        try (VaultSession session = environment.login("k8s-dev", raw)) {
            assertThat(session.policies()).contains("k8s-dev-writer");
            assertThat(session.capabilities("kvv2/data/k8s-dev/foo")).contains("create", "read");
            assertThat(session.capabilities("kvv2/data/some-secret")).containsExactly("deny");
        }
    }
}
