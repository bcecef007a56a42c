package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TrustEnvironment;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigKeys#LOCAL_ALL_API_GROUPS_KEY}: by default the local kube-apiserver does not serve {@code batch}, so
 * a Job cannot be created (404); with the setting it is served and the Job is stored.
 */
class LocalAllApiGroupsTest {

    private static final String NAMESPACE = "default";

    @Test
    void aJobIsRefusedByDefaultAndStoredWithAllApiGroups() {
        try (ClosableTrustEnvironment minimal = TrustEnvironment.builder().backend(Backend.LOCAL).start();
             KubernetesClient kube = minimal.newKubernetesClient()) {
            assertThat(kube.getApiGroup("batch")).isNull();
            assertThatThrownBy(() -> kube.batch().v1().jobs().inNamespace(NAMESPACE).resource(job()).create())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(404));
        }
        try (ClosableTrustEnvironment all = TrustEnvironment.builder().backend(Backend.LOCAL)
                .setting(ConfigKeys.LOCAL_ALL_API_GROUPS_KEY, "true").start();
             KubernetesClient kube = all.newKubernetesClient()) {
            assertThat(kube.getApiGroup("batch")).isNotNull();
            kube.batch().v1().jobs().inNamespace(NAMESPACE).resource(job()).create();
            assertThat(kube.batch().v1().jobs().inNamespace(NAMESPACE).withName("all-groups-job").get()).isNotNull();
            // The trust still works on the fuller server.
            assertThat(all.login("k8s-dev").token()).isNotBlank();
        }
    }

    private static Job job() {
        return new JobBuilder().withNewMetadata().withName("all-groups-job").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("noop").withImage("busybox").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }
}
