package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.WorkloadSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The walkthrough's resources as {@link VaultManifests} builds them (the API server validates them in src-it). */
class VaultManifestsTest {

    /** The walkthrough's vault-config, verbatim. */
    private static final String SEED_CONFIG = """
            {
              "storage": { "file": { "path": "/vault/file" } },
              "listener": [ { "tcp": { "address": "0.0.0.0:8200", "tls_disable": true } } ],
              "default_lease_ttl": "168h",
              "max_lease_ttl": "720h",
              "ui": true
            }
            """;

    @Test
    void configMapIsTheWalkthroughs() throws Exception {
        var configMap = VaultManifests.configMap(VaultManifests.Flavor.VAULT);
        ObjectMapper json = new ObjectMapper();

        assertThat(configMap.getMetadata().getName()).isEqualTo("vault-config");
        assertThat(json.readTree(configMap.getData().get("config.json"))).isEqualTo(json.readTree(SEED_CONFIG));
    }

    @Test
    void serviceIsClusterIpOn8200SelectingVault() {
        var service = VaultManifests.service();

        assertThat(service.getMetadata().getName()).isEqualTo("vault");
        assertThat(service.getMetadata().getLabels()).containsEntry("app", "vault");
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8200));
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("app", "vault"));
    }

    @Test
    void statefulSetIsTheWalkthroughs() {
        StatefulSet set = VaultManifests.statefulSet("hashicorp/vault:1.20", VaultMode.INIT);
        Container vault = set.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(set.getMetadata().getName()).isEqualTo("vault");
        assertThat(set.getSpec().getServiceName()).isEqualTo("vault");
        assertThat(set.getSpec().getReplicas()).isEqualTo(1);
        assertThat(set.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("app", "vault"));
        assertThat(set.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(Map.of("app", "vault"));
        assertThat(vault.getName()).isEqualTo("vault");
        assertThat(vault.getImage()).isEqualTo("hashicorp/vault:1.20");
        assertThat(vault.getArgs()).containsExactly("server");
        assertThat(vault.getSecurityContext().getCapabilities().getAdd()).containsExactly("IPC_LOCK");
        for (var probe : new io.fabric8.kubernetes.api.model.Probe[] {vault.getLivenessProbe(), vault.getReadinessProbe()}) {
            assertThat(probe.getFailureThreshold()).isEqualTo(3);
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/ui/sys/health");
            assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(8200);
        }
        assertThat(vault.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8200));
        assertThat(vault.getVolumeMounts()).extracting("name", "mountPath")
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("vault-data", "/vault/file"),
                        org.assertj.core.groups.Tuple.tuple("vault-config", "/vault/config"));
        assertThat(set.getSpec().getTemplate().getSpec().getVolumes()).singleElement()
                .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("vault-config"));
        assertThat(set.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(pvc -> {
            assertThat(pvc.getMetadata().getName()).isEqualTo("vault-data");
            assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
            assertThat(pvc.getSpec().getStorageClassName()).as("default storage class").isNull();
        });
    }

    @Test
    void devModeTakesItsRootTokenFromTheSecretUnderBothNames() {
        Container vault = VaultManifests.statefulSet("hashicorp/vault:1.20", VaultMode.DEV).getSpec().getTemplate()
                .getSpec().getContainers().get(0);

        assertThat(vault.getArgs()).containsExactly("server", "-dev", "-dev-listen-address=0.0.0.0:8200",
                "-dev-no-store-token");
        assertThat(vault.getEnv()).extracting(e -> e.getName() + "<-" + e.getValueFrom().getSecretKeyRef().getName()
                + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                .containsExactly("VAULT_DEV_ROOT_TOKEN_ID<-vault-dev-root-token/token",
                        "BAO_DEV_ROOT_TOKEN_ID<-vault-dev-root-token/token");
        assertThat(vault.getVolumeMounts()).isEmpty();
        assertThat(VaultManifests.vault("hashicorp/vault:1.20", VaultMode.DEV, "t0ken"))
                .extracting(HasMetadata::getKind, r -> r.getMetadata().getName())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Secret", "vault-dev-root-token"),
                        org.assertj.core.groups.Tuple.tuple("Service", "vault"),
                        org.assertj.core.groups.Tuple.tuple("Service", "vault-nodeport"),
                        org.assertj.core.groups.Tuple.tuple("StatefulSet", "vault"));
    }

    @Test
    void openBaoImagesUseOpenBaoPaths() {
        assertThat(VaultManifests.Flavor.of("openbao/openbao:2.4.1")).isEqualTo(VaultManifests.Flavor.OPENBAO);
        assertThat(VaultManifests.Flavor.of("quay.io/openbao/openbao@sha256:" + "a".repeat(64)))
                .isEqualTo(VaultManifests.Flavor.OPENBAO);
        assertThat(VaultManifests.Flavor.of("hashicorp/vault:1.20")).isEqualTo(VaultManifests.Flavor.VAULT);
        Container bao = VaultManifests.statefulSet("openbao/openbao:2.4.1", VaultMode.INIT).getSpec().getTemplate()
                .getSpec().getContainers().get(0);
        assertThat(bao.getVolumeMounts()).extracting("mountPath")
                .containsExactlyInAnyOrder("/openbao/file", "/openbao/config");
        assertThat(VaultManifests.configMap(VaultManifests.Flavor.OPENBAO).getData().get("config.json"))
                .contains("\"path\": \"/openbao/file\"");
    }

    @Test
    void workloadPodIsTheWalkthroughsVaultClient() {
        Pod pod = VaultManifests.workloadPod(WorkloadSpec.seed(), "vault-client-abc123", "hashicorp/vault:1.20");
        Container client = pod.getSpec().getContainers().get(0);

        assertThat(pod.getMetadata().getName()).isEqualTo("vault-client-abc123");
        assertThat(pod.getMetadata().getLabels()).containsEntry("run", "vault-client");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("vault-writer");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(client.getName()).isEqualTo("vault-client");
        assertThat(client.getCommand()).containsExactly("sleep", "infinity");
        assertThat(client.getEnv()).extracting("name", "value").contains(
                org.assertj.core.groups.Tuple.tuple("VAULT_ADDR", "http://vault:8200/"));
        assertThat(client.getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo("token-vol");
            assertThat(m.getMountPath()).isEqualTo("/service-account");
            assertThat(m.getReadOnly()).isTrue();
        });
        ServiceAccountTokenProjection token = pod.getSpec().getVolumes().get(0).getProjected().getSources().get(0)
                .getServiceAccountToken();
        assertThat(token.getAudience()).isEqualTo("vault-dev");
        assertThat(token.getExpirationSeconds()).isEqualTo(3600L);
        assertThat(token.getPath()).isEqualTo("token");
    }

    @Test
    void workloadInAnotherNamespaceReachesVaultByItsQualifiedName() {
        Pod pod = VaultManifests.workloadPod(WorkloadSpec.of("payments", "api").withAudience("pay"), "p-1", "img:1");

        assertThat(pod.getMetadata().getNamespace()).isEqualTo("payments");
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).extracting("value")
                .containsOnly("http://vault.default.svc:8200/");
    }

    @Test
    void logsNeverShowRootTokensOrUnsealKeys() {
        String log = """
                ==> Vault server configuration:
                Unseal Key: 9n2mJZ3o4a6ZVv1H5d8sK0m1Q2w3E4r5T6y7U8i9O0p=
                Root Token: dev-0123456789abcdef
                2025-06-30T15:42:46.718Z [INFO]  core: root token generated dev-0123456789abcdef
                """;

        String masked = K3sBackend.mask(log, "dev-0123456789abcdef");

        assertThat(masked).doesNotContain("dev-0123456789abcdef").doesNotContain("9n2mJZ3o4a6")
                .contains("Unseal Key: <masked by vault-k8s-trust>", "Root Token: <masked by vault-k8s-trust>",
                        "==> Vault server configuration:");
    }
}
