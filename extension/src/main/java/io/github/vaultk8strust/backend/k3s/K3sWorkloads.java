package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/** Workload pods with projected service-account tokens; images other than Vault's are imported on demand. */
@API(status = INTERNAL, since = "0.1")
public final class K3sWorkloads {

    private final K3sCluster cluster;
    private final K3sImages images;
    private final Supplier<String> defaultImage;
    private final Function<String, String> vaultAddress;
    private final String devRootToken;
    private final Map<String, PodWorkload> running = new ConcurrentHashMap<>();

    /** Workloads beside Vault in the cluster: the Vault image (side-loaded) and the {@code vault} Service. */
    K3sWorkloads(K3sCluster cluster, K3sImages images, InClusterVault vault) {
        this(cluster, images, vault::image, VaultManifests::inClusterVaultAddress, vault.devRootTokenOrNull());
    }

    /**
     * Workloads with a Vault elsewhere.
     *
     * @param defaultImage the image of a spec without one (resolved on first use: it may import an image)
     * @param vaultAddress Vault's address as a pod in the given namespace reaches it
     * @param devRootToken masked in pod logs; null when there is none
     */
    K3sWorkloads(K3sCluster cluster, K3sImages images, Supplier<String> defaultImage,
                 Function<String, String> vaultAddress, String devRootToken) {
        this.cluster = cluster;
        this.images = images;
        this.defaultImage = defaultImage;
        this.vaultAddress = vaultAddress;
        this.devRootToken = devRootToken;
    }

    /**
     * Start a workload pod from the spec and wait until it is ready, within {@code timeout}.
     *
     * @throws VaultK8sTrustException when k3s refuses the pod or it does not become ready, with its events and log
     */
    public Workload start(WorkloadSpec spec, Duration timeout) {
        String image = spec.image().map(this::ensureImage).orElseGet(defaultImage);
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String podName = spec.name() + "-" + HexFormat.of().formatHex(random);
        Pod pod = VaultManifests.workloadPod(spec, podName, image, vaultAddress.apply(spec.namespace()));
        try {
            cluster.kube().pods().inNamespace(spec.namespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            throw new VaultK8sTrustException("k3s refused workload pod " + spec.namespace() + "/" + podName + " ("
                    + spec + "): " + e.getMessage() + ". The namespace and service account must exist: declare them "
                    + "with @VaultK8sTrust(serviceAccounts = @K8sServiceAccount(...)) or a role's boundSubject.", e);
        }
        PodWorkload workload = new PodWorkload(cluster.kube(), spec, podName, () -> running.remove(podName));
        running.put(podName, workload);
        try {
            cluster.kube().pods().inNamespace(spec.namespace()).withName(podName)
                    .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (KubernetesClientException e) {
            String diagnostics = cluster.podDiagnostics(spec.namespace(), podName, Set.of(podName), spec.name(),
                    devRootToken);
            workload.close();
            throw new VaultK8sTrustException("Workload pod " + spec.namespace() + "/" + podName + " (image " + image
                    + ") did not become ready within " + timeout.toSeconds() + " s.\n" + diagnostics, e);
        }
        return workload;
    }

    /** Make an image other than the Vault image available in k3s: pull through the host Docker, import with ctr. */
    private String ensureImage(String image) {
        K3sContainerSpec.SideLoad load = images.pullAndSave(image);
        cluster.importImage(load);
        return load.image();
    }

    /** Delete every workload pod still running. */
    public void closeAll() {
        new ArrayList<>(running.values()).forEach(PodWorkload::close);
    }
}
