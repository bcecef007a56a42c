package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.client.Config;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.spi.Cluster;
import io.github.vaultk8strust.spi.PreparedBackend;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.VaultServer;
import io.github.vaultk8strust.spi.WorkloadRunner;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.testcontainers.k3s.K3sContainer;

/**
 * The k3s backend: a k3s node in a container ({@link K3sCluster}), Vault deployed in it ({@link InClusterVault}),
 * and workload pods ({@link K3sWorkloads}). Before anything is pulled, {@link ImagePreflight} checks that every
 * image the run needs is in the host Docker or can be pulled; images are then side-loaded ({@link K3sImages}).
 *
 * <p>The test JVM reaches Vault through a NodePort Service mapped on the container rather than through a
 * port-forward: a plain TCP port needs no streaming connection through the API server and kubelet, no background
 * thread, and survives a restart of the Vault pod.
 */
@API(status = INTERNAL, since = "0.1")
public final class K3sBackend implements RunningBackend, Cluster, VaultServer, WorkloadRunner {

    private final K3sOptions options;
    private final VaultMode vaultMode;
    private final K3sImages images;
    private final List<K3sContainerSpec.SideLoad> sideLoads = new ArrayList<>();
    private K3sContainerSpec.SideLoad vaultLoad;
    private K3sCluster cluster;
    private InClusterVault vault;
    private K3sWorkloads workloads;

    private K3sBackend(K3sOptions options, VaultMode vaultMode) {
        this.options = options;
        this.vaultMode = vaultMode;
        this.images = new K3sImages(options.cacheDir());
    }

    /** Return whether a Docker engine answers (a ping; starts no container, pulls nothing). */
    public static boolean dockerAvailable() {
        return DockerProbe.dockerAvailable();
    }

    /** Return the message for "k3s requested, no Docker": what happened and the three ways to switch. */
    public static String noDockerMessage() {
        return DockerProbe.noDockerMessage();
    }

    /**
     * Check the images, pull and side-load them, start k3s, deploy Vault and wait until it and cluster DNS answer,
     * all within the deadline (getting images ready is not part of it). On failure everything started is stopped.
     */
    static PreparedBackend prepare(K3sOptions options, VaultMode vaultMode) {
        DockerProbe.Answer docker = DockerProbe.probe();
        if (!docker.available()) {
            throw new VaultK8sTrustException(DockerProbe.noDockerMessage() + " (" + docker.reason() + ")");
        }
        K3sBackend backend = new K3sBackend(options, vaultMode);
        backend.readyImages();
        return backend::start;
    }

    private K3sBackend start(Deadline deadline) {
        K3sBackend backend = this;
        try {
            backend.startAll(deadline);
            return backend;
        } catch (RuntimeException | Error e) {
            try {
                backend.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Return every image a run with these settings needs, with what it is for (the pre-flight's list). */
    public static List<ImagePreflight.Needed> neededImages(K3sOptions options) {
        return ImagePreflight.neededImages(options.k3sImage(), options.vaultImage(), options.systemImages());
    }

    /**
     * Make sure every image is in the host Docker (pulling what is missing, failing fast with the commands that
     * fix it), then start Testcontainers' own client (Ryuk), keeping its real failure.
     */
    static void prepareImages(K3sOptions options) {
        try (DockerClient raw = DockerProbe.rawClient()) {
            ImagePreflight.ensureLocal(raw, neededImages(options));
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot close the pre-flight Docker client: " + e, e);
        }
        DockerProbe.testcontainersClient();
    }

    /** Get every image into the host Docker and saved for side-loading: once per machine, outside the budget. */
    private void readyImages() {
        Progress.say("k3s backend: preparing images " + options.k3sImage() + ", " + options.vaultImage()
                + (options.systemImages().isEmpty() ? "" : ", " + options.systemImages().size() + " system images"));
        if (options.systemImages().isEmpty() && K3sReleases.knownSystemImages(options.k3sImage()).isEmpty()) {
            Progress.say("k3s backend: this library does not know the system images of " + options.k3sImage()
                    + " (known: " + K3sReleases.knownTags() + "); k3s pulls them itself, which needs a registry. "
                    + "Offline, list them in vaultk8s.k3s.system-images.");
        }
        prepareImages(options);
        images.pull(options.k3sImage());
        vaultLoad = images.pullAndSave(options.vaultImage());
        sideLoads.add(vaultLoad);
        for (String system : options.systemImages()) {
            sideLoads.add(images.pullAndSave(system));
        }
    }

    private void startAll(Deadline deadline) {
        long started = System.nanoTime();
        K3sContainerSpec spec = new K3sContainerSpec(options.k3sImage(), sideLoads, deadline.remaining(),
                options.privileged());
        cluster = K3sCluster.start(spec, sideLoads.stream().map(K3sContainerSpec.SideLoad::image).toList());
        vault = InClusterVault.deploy(cluster, vaultLoad.image(), vaultMode);
        workloads = new K3sWorkloads(cluster, images, vault);
        vault.awaitReady(deadline);
        // Vault fetches the issuer's discovery document while auth/jwt/config is written (the trust setup, next):
        // kubernetes.default.svc.cluster.local must resolve by then. CoreDNS usually is ready before Vault is.
        cluster.awaitClusterDns(deadline);
        Progress.say("Vault " + vault.image() + " ready in k3s at " + vault.address() + " ("
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    /**
     * Start a workload pod from the spec and wait until it is ready, within {@code timeout}.
     *
     * @throws VaultK8sTrustException when k3s refuses the pod or it does not become ready, with its events and log
     */
    @Override
    public Workload startWorkload(WorkloadSpec spec, Duration timeout) {
        return workloads.start(spec, timeout);
    }

    /** Mask what must never reach a log: lines naming a root token or unseal key, and the dev root token. */
    static String mask(String log, String devRootToken) {
        return K3sCluster.mask(log, devRootToken);
    }

    /** Return the k3s container (for tests and diagnostics). */
    public K3sContainer container() {
        return cluster == null ? null : cluster.container();
    }

    /** Return the Vault image deployed, by the name k3s knows it by. */
    public String vaultImage() {
        return vault == null ? null : vault.image();
    }

    @Override
    public String name() {
        return K3sBackendProvider.NAME;
    }

    @Override
    public Cluster cluster() {
        return this;
    }

    @Override
    public VaultServer vault() {
        return this;
    }

    @Override
    public String apiServerUrl() {
        return cluster.apiServerUrl();
    }

    @Override
    public String issuer() {
        return K3sContainerSpec.ISSUER;
    }

    /** Vault runs in the cluster: it reaches the API server through the {@code kubernetes} Service, as the issuer. */
    @Override
    public String apiServerUrlForVault() {
        return K3sContainerSpec.ISSUER;
    }

    @Override
    public String caPem() {
        return cluster.caPem();
    }

    @Override
    public Optional<PrivateKey> serviceAccountPrivateKey() {
        return cluster == null ? Optional.empty() : Optional.of(cluster.serviceAccountPrivateKey());
    }

    @Override
    public Config adminConfig() {
        return cluster.adminConfig();
    }

    @Override
    public String address() {
        return vault.address();
    }

    @Override
    public Optional<String> devRootToken() {
        return vault == null ? Optional.empty() : vault.devRootToken();
    }

    @Override
    public String logTail() {
        return vault == null ? "    (Vault not deployed)" : vault.logTail();
    }

    /** Delete the workload pods and Vault resources created, then stop and remove the k3s container. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            if (workloads != null) {
                workloads.closeAll();
            }
            if (vault != null) {
                vault.delete();
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "k3s backend (API server " + (cluster == null ? null : cluster.apiServerUrl()) + ", Vault "
                + (vault == null ? null : vault.address() + " (" + vault.image() + ")") + ")";
    }
}
