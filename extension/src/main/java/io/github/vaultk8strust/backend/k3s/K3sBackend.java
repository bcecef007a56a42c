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
import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.spi.WorkloadRunner;
import io.github.vaultk8strust.spi.container.ContainerVault;
import io.github.vaultk8strust.support.Closer;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.testcontainers.containers.Network;
import org.testcontainers.k3s.K3sContainer;

/**
 * The k3s backend: a k3s node in a container ({@link K3sCluster}), Vault deployed in it ({@link InClusterVault}),
 * and workload pods ({@link K3sWorkloads}). Before anything is pulled, {@link ImagePreflight} checks that every
 * image the run needs is in the host Docker or can be pulled; images are then side-loaded ({@link K3sImages}).
 *
 * <p>The test JVM reaches Vault through a NodePort Service mapped on the container rather than through a
 * port-forward: a plain TCP port needs no streaming connection through the API server and kubelet, no background
 * thread, and survives a restart of the Vault pod.
 *
 * <p>With the container placement ({@link K3sPlacement}) Vault runs instead in a Testcontainers
 * {@code VaultContainer} ({@link ContainerVault}) on a Docker network shared with the k3s container, which has the
 * network alias {@link K3sContainerSpec#NETWORK_ALIAS}; that alias is the issuer's host, in the serving certificate's
 * SANs and in {@code kubernetes_host}. The test JVM reaches Vault through its mapped port, workload pods at its
 * address on that network.
 */
@API(status = INTERNAL, since = "0.1")
public final class K3sBackend implements RunningBackend, Cluster, VaultServer, WorkloadRunner {

    private final K3sOptions options;
    private final K3sPlacement placement;
    private final VaultMode vaultMode;
    private final K3sImages images;
    private final List<K3sContainerSpec.SideLoad> sideLoads = new ArrayList<>();
    private K3sContainerSpec.SideLoad vaultLoad;
    private List<String> k3sEntrypoint = K3sContainerSpec.K3S_ENTRYPOINT;
    private K3sCluster cluster;
    private InClusterVault vault;
    private K3sWorkloads workloads;
    private Network.NetworkImpl network;
    private ContainerVault containerVault;
    private final String issuer;
    private final boolean keepOnFailure;
    private final List<String> failedTests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Duration> phases = Collections.synchronizedMap(new LinkedHashMap<>());

    private K3sBackend(K3sOptions options, K3sPlacement placement, VaultMode vaultMode, boolean keepOnFailure) {
        this.keepOnFailure = keepOnFailure;
        this.options = options;
        this.placement = placement;
        this.vaultMode = vaultMode;
        this.issuer = K3sContainerSpec.issuer(placement.container() ? K3sContainerSpec.NETWORK_ALIAS : "");
        this.images = new K3sImages(options.cacheDir());
    }

    /** Start-up phase: the node container created, image tarballs copied in, the node booted to its ready line. */
    public static final String NODE_PHASE = "node ready (container, side-loaded images copied and imported, boot)";
    /** Start-up phase: Vault answers (in the cluster: pod ready and its node port; in a container: started). */
    public static final String VAULT_PHASE = "Vault ready";
    /** Start-up phase: cluster DNS has a ready endpoint (in the cluster only). */
    public static final String DNS_PHASE = "cluster DNS ready";

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
        return prepare(options, new K3sPlacement(io.github.vaultk8strust.VaultPlacement.IN_CLUSTER,
                io.github.vaultk8strust.ConfigKeys.DEFAULT_VAULT_CONTAINER_IMAGE), vaultMode, false);
    }

    /**
     * As {@link #prepare(K3sOptions, VaultMode)}, with Vault where {@code placement} says. In a container, Vault's
     * image is the placement's; workload pods default to it too (imported into k3s on first use). With
     * {@code keepOnFailure}, the logs of an environment whose tests failed are kept when it closes.
     */
    static PreparedBackend prepare(K3sOptions options, K3sPlacement placement, VaultMode vaultMode,
                                   boolean keepOnFailure) {
        DockerProbe.Answer docker = DockerProbe.probe();
        if (!docker.available()) {
            throw new VaultK8sTrustException(DockerProbe.noDockerMessage() + " (" + docker.reason() + ")");
        }
        K3sBackend backend = new K3sBackend(placement.container() ? options.withVaultImage(placement.containerImage())
                : options, placement, vaultMode, keepOnFailure);
        backend.readyImages();
        return backend::start;
    }

    /** Return a backend that is not started: its settings only, for checking them without Docker. */
    static K3sBackend unstarted(K3sOptions options, K3sPlacement placement, VaultMode vaultMode) {
        return new K3sBackend(options, placement, vaultMode, false);
    }

    private K3sBackend start(Deadline deadline) {
        try {
            startAll(deadline);
            return this;
        } catch (RuntimeException | Error e) {
            // A failed start leaves nothing to read once the containers are gone: keep their logs first (a node that did
            // not come up has kept its own log already, see K3sCluster.start).
            if (cluster == null && containerVault == null) {
                closeQuietly(e);
                throw e;
            }
            String kept = keepEvidence("The k3s environment did not start: " + e);
            closeQuietly(e);
            if (e instanceof VaultK8sTrustException) {
                VaultK8sTrustException withEvidence = new VaultK8sTrustException(e.getMessage() + "\n" + kept, e);
                java.util.Arrays.stream(e.getSuppressed()).forEach(withEvidence::addSuppressed);
                throw withEvidence;
            }
            Progress.say(kept);
            throw e;
        }
    }

    private void closeQuietly(Throwable failure) {
        try {
            close();
        } catch (RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    /** Keep the node's and Vault's logs, the events and the pods (while the containers still run); say where. */
    private String keepEvidence(String why) {
        String devRootToken = devRootToken().orElse(null);
        if (cluster == null) {
            return K3sDiagnostics.keep(why, null, null, containerVault == null ? null : this::vaultLog, devRootToken)
                    .sentence();
        }
        return K3sDiagnostics.keep(why, cluster.container(), cluster.kube(),
                vault == null && containerVault == null ? null : this::vaultLog, devRootToken).sentence();
    }

    /** Return Vault's whole log: the pod's, or the container's. */
    private String vaultLog() {
        if (containerVault != null) {
            return containerVault.container().getContainerId() == null ? "(the Vault container did not start)"
                    : containerVault.container().getLogs();
        }
        if (vault == null) {
            return "(Vault was not deployed)";
        }
        return cluster.kube().pods().inNamespace(VaultManifests.NAMESPACE).withName(VaultManifests.POD)
                .inContainer("vault").getLog();
    }

    /** The trust setup failed: keep the evidence now, while the containers run, and say where. */
    @Override
    public Optional<String> failed(Throwable cause) {
        return Optional.of(keepEvidence("The trust setup on the k3s environment failed: " + cause));
    }

    @Override
    public void testFailed(String test, Throwable cause) {
        failedTests.add(test + ": " + cause);
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
        k3sEntrypoint = K3sImages.entrypoint(images.pull(options.k3sImage()));
        vaultLoad = images.pullAndSave(options.vaultImage());
        if (!placement.container()) {
            // In a container, Vault runs from the host Docker's copy; k3s imports the image only for a workload pod.
            sideLoads.add(vaultLoad);
        }
        for (String system : options.systemImages()) {
            sideLoads.add(images.pullAndSave(system));
        }
    }

    private void startAll(Deadline deadline) {
        if (placement.container()) {
            startWithVaultContainer(deadline);
            return;
        }
        long started = System.nanoTime();
        K3sContainerSpec spec = new K3sContainerSpec(options.k3sImage(), sideLoads, deadline.remaining(),
                options.privileged()).withEntrypoint(k3sEntrypoint);
        cluster = K3sCluster.start(spec, sideLoads.stream().map(K3sContainerSpec.SideLoad::image).toList());
        long nodeReady = phase(NODE_PHASE, started);
        vault = InClusterVault.deploy(cluster, vaultLoad.image(), vaultMode);
        workloads = new K3sWorkloads(cluster, images, vault);
        vault.awaitReady(deadline);
        long vaultReady = phase(VAULT_PHASE, nodeReady);
        // Vault fetches the issuer's discovery document while auth/jwt/config is written (the trust setup, next):
        // kubernetes.default.svc.cluster.local must resolve by then. CoreDNS usually is ready before Vault is.
        cluster.awaitClusterDns(deadline);
        phase(DNS_PHASE, vaultReady);
        Progress.say("Vault " + vault.image() + " ready in k3s at " + vault.address() + " ("
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }

    /**
     * Start k3s and the Vault container side by side on a new Docker network. k3s's issuer becomes
     * {@code https://k3s:6443}: the name Vault's container resolves through Docker's DNS on that network.
     */
    private void startWithVaultContainer(Deadline deadline) {
        long started = System.nanoTime();
        network = Network.builder().build();
        K3sContainerSpec spec = new K3sContainerSpec(options.k3sImage(), sideLoads, deadline.remaining(),
                options.privileged()).withEntrypoint(k3sEntrypoint).onNetworkAs(K3sContainerSpec.NETWORK_ALIAS);
        Network shared = network;
        containerVault = ContainerVault.create(options.vaultImage(), vaultMode, "Docker network " + network.getName()
                + ", shared with the k3s container, which it reaches by the network alias " + spec.networkAlias(),
                c -> c.withNetwork(shared));
        // The Vault container starts while k3s boots; the trust setup waits for both.
        containerVault.startInBackground(deadline.remaining());
        cluster = K3sCluster.start(spec, network, sideLoads.stream().map(K3sContainerSpec.SideLoad::image).toList());
        long nodeReady = phase(NODE_PHASE, started);
        containerVault.awaitStarted();
        phase(VAULT_PHASE, nodeReady);
        // Pods get Vault's IP on the shared network, not a name: CoreDNS forwards what is not a cluster name to the
        // node's resolv.conf (the kubelet's --resolv-conf), and k3s rejects a resolv.conf with any nameserver that is
        // not a global unicast address (Docker's embedded DNS in the k3s container is 127.0.0.11), tries
        // /run/systemd/resolve/resolv.conf, and otherwise writes one with "nameserver 8.8.8.8": pods then cannot
        // resolve Docker's network aliases. Checked against k3s's source, pkg/agent/config/config.go
        // (isValidResolvConf, locateOrGenerateResolvConf; read in an older revision, not the default tag's), not
        // against a running k3s. The IP needs no DNS; pod traffic leaves through the node.
        String ip = containerVault.ipAddressOn(network.getId()).orElseThrow(() -> new VaultK8sTrustException(
                "The Vault container " + containerVault.where() + " has no address on the Docker network "
                        + network.getName() + " it was started on"));
        String podAddress = "http://" + ip + ":" + ContainerVault.PORT + "/";
        K3sContainerSpec.SideLoad workloadImage = vaultLoad;
        // Workload pods default to Vault's image (for its CLI): imported into k3s on the first pod that needs it.
        workloads = new K3sWorkloads(cluster, images, () -> {
            cluster.importImage(workloadImage);
            return workloadImage.image();
        }, namespace -> podAddress, containerVault.devRootToken().orElse(null));
        Progress.say("Vault container " + options.vaultImage() + " ready beside k3s at " + containerVault.address()
                + " (issuer " + issuer + ", pods reach Vault at " + podAddress + "; "
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

    /** Record a phase that began at {@code since} (nanoTime) and ends now; return now. */
    private long phase(String name, long since) {
        long now = System.nanoTime();
        phases.put(name, Duration.ofNanos(now - since));
        return now;
    }

    /**
     * Return the backend's start-up phases ({@link #NODE_PHASE}, {@link #VAULT_PHASE}, {@link #DNS_PHASE}) and, as
     * parts of the node phase, how long copying the side-loaded images into the node took (from the engine's record)
     * and, when the node's log says so, how long it spent importing them.
     */
    @Override
    public Map<String, Duration> startupPhases() {
        Map<String, Duration> all = new LinkedHashMap<>();
        Optional<Duration> imports = cluster == null ? Optional.empty() : cluster.imageImportTime();
        Optional<Duration> copies = cluster == null || sideLoads.isEmpty() ? Optional.empty()
                : cluster.createdToStarted();
        synchronized (phases) {
            phases.forEach((name, time) -> {
                all.put(name, time);
                if (name.equals(NODE_PHASE)) {
                    copies.ifPresent(d -> all.put(COPY_PHASE, d));
                    imports.ifPresent(d -> all.put(IMPORT_PHASE, d));
                }
            });
        }
        return Collections.unmodifiableMap(all);
    }

    /**
     * The part of {@link #NODE_PHASE} between the node container's creation and its start, as the Docker engine
     * recorded them: the copy of the side-loaded image tarballs into it.
     */
    public static final String COPY_PHASE = "of which: side-loaded images copied into the node container";

    /** The part of {@link #NODE_PHASE} the node spent importing side-loaded images, as its log reports it. */
    public static final String IMPORT_PHASE = "of which: side-loaded images imported by the node";

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
        if (containerVault != null) {
            return containerVault.image().asCanonicalNameString();
        }
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
        return issuer;
    }

    /**
     * Vault reaches the API server as the issuer: in the cluster through the {@code kubernetes} Service, in a container
     * on the shared Docker network by the k3s container's alias (both covered by the serving certificate).
     */
    @Override
    public String apiServerUrlForVault() {
        return issuer;
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
        return containerVault != null ? containerVault.address() : vault.address();
    }

    @Override
    public Optional<String> devRootToken() {
        if (containerVault != null) {
            return containerVault.devRootToken();
        }
        return vault == null ? Optional.empty() : vault.devRootToken();
    }

    @Override
    public String logTail() {
        if (containerVault != null) {
            return containerVault.logTail();
        }
        return vault == null ? "    (Vault not deployed)" : vault.logTail();
    }

    /**
     * Answer {@link VaultVantage} from where Vault runs: the Vault container (on the shared network) or the Vault pod
     * (through the API server's exec).
     */
    @Override
    public <T> Optional<T> capability(Class<T> type) {
        if (type == VaultVantage.class) {
            if (containerVault != null) {
                return Optional.of(type.cast(containerVault));
            }
            return vault == null ? Optional.empty() : Optional.of(type.cast(vault.vantage()));
        }
        return RunningBackend.super.capability(type);
    }

    /**
     * Delete the workload pods and Vault resources created, stop and remove the Vault container, then the k3s
     * container, then the Docker network (which Docker removes only once no container is attached).
     */
    @Override
    public void close() {
        if (keepOnFailure && !failedTests.isEmpty() && cluster != null) {
            Progress.say("vaultk8s.keep-on-failure: " + failedTests.size() + " test(s) failed on " + this + ". "
                    + keepEvidence("Tests failed on this k3s environment:\n" + String.join("\n", failedTests)));
            failedTests.clear();
        }
        AutoCloseable inCluster = () -> {
            if (workloads != null) {
                workloads.closeAll();
            }
            if (vault != null) {
                vault.delete();
            }
        };
        Closer.closeAll(null, inCluster, containerVault, cluster, network);
    }

    @Override
    public String toString() {
        String vaultText = containerVault != null ? containerVault.address() + " (container " + vaultImage() + ")"
                : vault == null ? null : vault.address() + " (" + vault.image() + ")";
        return "k3s backend (API server " + (cluster == null ? null : cluster.apiServerUrl()) + ", Vault " + vaultText
                + ")";
    }
}
