package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.backend.k3s.K3sBackend;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Two k3s-backend environments alive at once on one Docker host, on the NODE STAND-IN (not k3s; {@link NodeStandin}):
 * each node runs in a private cgroup namespace, so each kubelet manages only its own pods' cgroups (with the host's
 * cgroup namespace, as Testcontainers' K3sContainer has it, both would manage the same {@code /kubepods} and clean up
 * each other's pods). A pod login works in each, and the first node's pod outlives the second node untouched.
 */
@EnabledIf(value = "io.github.vaultk8strust.it.NodeStandin#built", disabledReason = NodeStandin.NOT_BUILT)
class NodeStandinTwoNodesTest {

    private static final Pattern POD_CGROUP = Pattern.compile("pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_]"
            + "[0-9a-f]{4}[-_][0-9a-f]{12})");

    @Test
    void twoNodesAtOnceKeepTheirPodsApart() {
        try (ClosableTrustEnvironment first = NodeStandin.builder().vaultMode(VaultMode.DEV).start();
             Workload firstPod = first.startWorkload(WorkloadSpec.seed())) {
            String firstPodUid = uid(first, firstPod);
            try (ClosableTrustEnvironment second = NodeStandin.builder().vaultMode(VaultMode.DEV).start();
                 Workload secondPod = second.startWorkload(WorkloadSpec.seed())) {
                assertLogsIn(firstPod);
                assertLogsIn(secondPod);

                Set<String> firstCgroups = podCgroups(first);
                Set<String> secondCgroups = podCgroups(second);
                // Each kubelet sees the cgroups of its own node's pods, and no other.
                assertThat(firstCgroups).as("pod cgroups the first node's kubelet manages")
                        .contains(firstPodUid).isSubsetOf(podUids(first));
                assertThat(secondCgroups).as("pod cgroups the second node's kubelet manages")
                        .contains(uid(second, secondPod)).isSubsetOf(podUids(second));
                assertThat(firstCgroups).doesNotContainAnyElementsOf(secondCgroups);
            }
            // The second node is gone; the first one's pod ran on, never restarted.
            assertLogsIn(firstPod);
            try (KubernetesClient kube = first.newKubernetesClient()) {
                Pod pod = kube.pods().inNamespace(firstPod.namespace()).withName(firstPod.podName()).get();
                assertThat(pod.getMetadata().getUid()).isEqualTo(firstPodUid);
                assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
            }
        }
    }

    private static void assertLogsIn(Workload pod) {
        ExecResult login = pod.exec("vault", "write", "-format=json", "auth/jwt/login", "role=k8s-dev",
                "jwt=@/service-account/token");
        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.stdout()).contains("\"k8s-dev-writer\"");
    }

    private static String uid(TrustEnvironment environment, Workload workload) {
        try (KubernetesClient kube = environment.newKubernetesClient()) {
            return kube.pods().inNamespace(workload.namespace()).withName(workload.podName()).get().getMetadata()
                    .getUid();
        }
    }

    /** Return the UIDs of the pods the node's API server has (running or not yet deleted). */
    private static Set<String> podUids(TrustEnvironment environment) {
        try (KubernetesClient kube = environment.newKubernetesClient()) {
            return kube.pods().inAnyNamespace().list().getItems().stream().map(p -> p.getMetadata().getUid())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Return the UIDs of the pod cgroups visible inside the node (its kubelet's view of /sys/fs/cgroup). */
    private static Set<String> podCgroups(TrustEnvironment environment) {
        K3sBackend backend = (K3sBackend) ((DefaultTrustEnvironment) environment).runningBackend();
        org.testcontainers.containers.Container.ExecResult find;
        try {
            find = backend.container().execInContainer("sh", "-c",
                    "find /sys/fs/cgroup/ -type d -path '*kubepods*' -name 'pod*'");
        } catch (Exception e) {
            throw new AssertionError("cannot list the node's pod cgroups", e);
        }
        assertThat(find.getExitCode()).as(find.getStderr()).isZero();
        Set<String> uids = new TreeSet<>();
        Matcher m = POD_CGROUP.matcher(find.getStdout());
        while (m.find()) {
            uids.add(m.group(1).replace('_', '-'));
        }
        return uids;
    }
}
