package io.github.vaultk8strust.backend.k3s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.spi.Cluster;
import io.github.vaultk8strust.spi.PreparedBackend;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.VaultServer;
import io.github.vaultk8strust.spi.WorkloadRunner;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.PemKeys;
import io.github.vaultk8strust.support.Progress;
import io.github.vaultk8strust.support.SecretMask;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The k3s backend: a k3s node in a container (Testcontainers {@link K3sContainer}) started with anonymous auth on,
 * and Vault deployed in it from the walkthrough's resources ({@link VaultManifests}). Images are pulled once
 * through the host Docker and side-loaded ({@link K3sImages}).
 *
 * <p>The test JVM reaches Vault through a NodePort Service mapped on the container rather than through a
 * port-forward: a plain TCP port needs no streaming connection through the API server and kubelet, no background
 * thread, and survives a restart of the Vault pod.
 */
public final class K3sBackend implements RunningBackend, Cluster, VaultServer, WorkloadRunner {

    private final K3sOptions options;
    private final VaultMode vaultMode;
    private final List<K3sContainerSpec.SideLoad> sideLoads = new ArrayList<>();
    private final K3sImages images;
    private final Set<String> loadedImages = ConcurrentHashMap.newKeySet();
    private final Map<String, PodWorkload> workloads = new ConcurrentHashMap<>();
    private final List<HasMetadata> created = new ArrayList<>();
    private K3sContainer container;
    private Config adminConfig;
    private KubernetesClient kube;
    private String apiServerUrl;
    private String caPem;
    private String vaultAddress;
    private String vaultImage;
    private String devRootToken;

    private K3sBackend(K3sOptions options, VaultMode vaultMode) {
        this.options = options;
        this.vaultMode = vaultMode;
        this.images = new K3sImages(options.cacheDir());
    }

    /** Return whether a Docker engine answers (Testcontainers' own detection; cached after the first call). */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Return the message for "k3s requested, no Docker": what happened and the three ways to switch. */
    public static String noDockerMessage() {
        return "The k3s backend needs a Docker engine (Testcontainers found none: start Docker, or point DOCKER_HOST "
                + "or ~/.testcontainers.properties at one). To run on the local backend instead (real etcd, "
                + "kube-apiserver and Vault processes, no pods), use @VaultK8sTrust(backend = Backend.LOCAL), "
                + "-Dvaultk8s.backend=local (or vaultk8s.backend=local in junit-platform.properties), or "
                + "VAULTK8S_BACKEND=local.";
    }

    /**
     * Pull and side-load the images, start k3s, deploy Vault and wait until it answers, all within the deadline
     * (pulling images the first time is not part of it). On failure everything started is stopped.
     */
    static PreparedBackend prepare(K3sOptions options, VaultMode vaultMode) {
        if (!dockerAvailable()) {
            throw new VaultK8sTrustException(noDockerMessage());
        }
        K3sBackend backend = new K3sBackend(options, vaultMode);
        backend.pullImages();
        return deadline -> backend.start(deadline);
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

    /** Pull and save the images once per machine: not part of the start-up budget. */
    private void pullImages() {
        Progress.say("k3s backend: preparing images " + options.k3sImage() + ", " + options.vaultImage());
        images.pull(options.k3sImage());
        K3sContainerSpec.SideLoad vault = images.pullAndSave(options.vaultImage());
        vaultImage = vault.image();
        sideLoads.add(vault);
        loadedImages.add(vaultImage);
        for (String system : options.systemImages()) {
            try {
                sideLoads.add(images.pullAndSave(system));
            } catch (VaultK8sTrustException e) {
                // Only a speed-up: k3s pulls what is missing itself, so say it and go on.
                Progress.say("not side-loading k3s system image " + system + " (k3s will pull it itself): "
                        + e.getMessage());
            }
        }
    }

    private void startAll(Deadline deadline) {
        long started = System.nanoTime();
        K3sContainerSpec spec = new K3sContainerSpec(options.k3sImage(), sideLoads, deadline.remaining());
        container = spec.newContainer();
        container.start();
        Progress.say("k3s " + options.k3sImage() + " started in " + millis(started) + " ms");

        adminConfig = Config.fromKubeconfig(container.getKubeConfigYaml());
        adminConfig.setRequestTimeout(30_000);
        apiServerUrl = stripSlash(adminConfig.getMasterUrl());
        caPem = new String(Base64.getDecoder().decode(adminConfig.getCaCertData()), StandardCharsets.US_ASCII);
        kube = new KubernetesClientBuilder().withConfig(adminConfig()).build();
        vaultAddress = "http://" + container.getHost() + ":"
                + container.getMappedPort(K3sContainerSpec.VAULT_NODE_PORT);

        if (vaultMode == VaultMode.DEV) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            devRootToken = "dev-" + HexFormat.of().formatHex(random);
        }
        for (HasMetadata resource : VaultManifests.vault(vaultImage, vaultMode, devRootToken)) {
            try {
                created.add(kube.resource(resource).create());
            } catch (KubernetesClientException e) {
                throw new VaultK8sTrustException("k3s refused " + resource.getKind() + " "
                        + resource.getMetadata().getName() + ": " + e.getMessage(), e);
            }
        }
        awaitVaultPod(deadline);
        awaitVaultHttp(deadline);
        Progress.say("Vault " + vaultImage + " ready in k3s at " + vaultAddress + " (" + millis(started) + " ms)");
    }

    private void awaitVaultPod(Deadline deadline) {
        try {
            kube.pods().inNamespace(VaultManifests.NAMESPACE).withName(VaultManifests.POD)
                    .waitUntilCondition(p -> p != null && Readiness.isPodReady(p),
                            Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientException e) {
            throw new VaultK8sTrustException("The Vault pod " + VaultManifests.NAMESPACE + "/" + VaultManifests.POD
                    + " (image " + vaultImage + ") did not become ready within the start-up budget of "
                    + deadline.budget().toSeconds() + " s. Raise it with startupTimeout or "
                    + "vaultk8s.startup.timeout if the node is just slow.\n" + podDiagnostics(VaultManifests.NAMESPACE,
                            VaultManifests.POD, Set.of(VaultManifests.POD, "vault-data-vault-0", "vault"), "vault"), e);
        }
    }

    private void awaitVaultHttp(Deadline deadline) {
        // The pod is ready; the node port may take a moment longer to be programmed.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create(vaultAddress + "/v1/sys/health?uninitcode=200&sealedcode=200&standbyok=true");
        String last = "not tried";
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VaultK8sTrustException("Interrupted while waiting for Vault", e);
            }
            if (deadline.remaining().isZero()) {
                throw new VaultK8sTrustException("The Vault pod is ready but " + health + " (NodePort "
                        + K3sContainerSpec.VAULT_NODE_PORT + " on the k3s container) does not answer: " + last
                        + ".\nVault log:\n" + logTail());
            }
            sleep(100);
        }
    }

    /**
     * Start a workload pod from the spec and wait until it is ready, within {@code timeout}.
     *
     * @throws VaultK8sTrustException when k3s refuses the pod or it does not become ready, with its events and log
     */
    @Override
    public Workload startWorkload(WorkloadSpec spec, Duration timeout) {
        String image = spec.image().map(this::ensureImage).orElse(vaultImage);
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        String podName = spec.name() + "-" + HexFormat.of().formatHex(random);
        Pod pod = VaultManifests.workloadPod(spec, podName, image);
        try {
            kube.pods().inNamespace(spec.namespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            throw new VaultK8sTrustException("k3s refused workload pod " + spec.namespace() + "/" + podName + " ("
                    + spec + "): " + e.getMessage() + ". The namespace and service account must exist: declare them "
                    + "with @VaultK8sTrust(serviceAccounts = @K8sServiceAccount(...)) or a role's boundSubject.", e);
        }
        PodWorkload workload = new PodWorkload(kube, spec, podName, () -> workloads.remove(podName));
        workloads.put(podName, workload);
        try {
            kube.pods().inNamespace(spec.namespace()).withName(podName)
                    .waitUntilCondition(p -> p != null && Readiness.isPodReady(p), timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (KubernetesClientException e) {
            String diagnostics = podDiagnostics(spec.namespace(), podName, Set.of(podName), spec.name());
            workload.close();
            throw new VaultK8sTrustException("Workload pod " + spec.namespace() + "/" + podName + " (image " + image
                    + ") did not become ready within " + timeout.toSeconds() + " s.\n" + diagnostics, e);
        }
        return workload;
    }

    /** Make an image other than the Vault image available in k3s: pull through the host Docker, import with ctr. */
    private String ensureImage(String image) {
        K3sContainerSpec.SideLoad load = images.pullAndSave(image);
        if (loadedImages.add(load.image())) {
            String inContainer = "/tmp/" + K3sContainerSpec.SideLoad.fileName(load.image());
            container.copyFileToContainer(MountableFile.forHostPath(load.tarball()), inContainer);
            try {
                var result = container.execInContainer("ctr", "-n", "k8s.io", "images", "import", inContainer);
                container.execInContainer("rm", "-f", inContainer);
                if (result.getExitCode() != 0) {
                    loadedImages.remove(load.image());
                    throw new VaultK8sTrustException("Importing image " + load.image() + " into k3s failed (ctr "
                            + "images import, exit " + result.getExitCode() + "): " + result.getStderr().strip());
                }
            } catch (IOException e) {
                loadedImages.remove(load.image());
                throw new VaultK8sTrustException("Importing image " + load.image() + " into k3s failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VaultK8sTrustException("Interrupted while importing image " + load.image(), e);
            }
        }
        return load.image();
    }

    /** Describe why a pod is not ready: its phase and conditions, recent events of the named objects, its log. */
    private String podDiagnostics(String namespace, String podName, Set<String> objects, String container) {
        StringBuilder text = new StringBuilder();
        try {
            Pod pod = kube.pods().inNamespace(namespace).withName(podName).get();
            text.append("Pod status: ").append(pod == null ? "(no such pod)" : pod.getStatus().getPhase() + " "
                    + pod.getStatus().getConditions().stream().map(c -> c.getType() + "=" + c.getStatus()
                            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"))
                    .collect(Collectors.joining(", "))).append('\n');
            List<Event> events = kube.v1().events().inNamespace(namespace).list().getItems().stream()
                    .filter(e -> objects.contains(e.getInvolvedObject().getName()))
                    .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
                    .toList();
            text.append("Events:\n");
            if (events.isEmpty()) {
                text.append("    (none)\n");
            }
            for (Event e : events.subList(Math.max(0, events.size() - 20), events.size())) {
                text.append("    ").append(e.getType()).append(' ').append(e.getReason()).append(' ')
                        .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName())
                        .append(": ").append(e.getMessage()).append('\n');
            }
        } catch (KubernetesClientException e) {
            text.append("(cannot read pod status or events: ").append(e.getMessage()).append(")\n");
        }
        text.append("Container log (last lines):\n").append(containerLog(namespace, podName, container));
        return text.toString();
    }

    private String containerLog(String namespace, String podName, String containerName) {
        try {
            String log = kube.pods().inNamespace(namespace).withName(podName).inContainer(containerName)
                    .tailingLines(30).getLog();
            return indent(mask(log == null || log.isBlank() ? "(empty)" : log, devRootToken));
        } catch (KubernetesClientException e) {
            return "    (no log: " + e.getMessage() + ")";
        }
    }

    /** Mask what must never reach a log: lines naming a root token or unseal key, and the dev root token. */
    static String mask(String log, String devRootToken) {
        return SecretMask.text(log, devRootToken == null ? List.of() : List.of(devRootToken));
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while waiting for Vault", e);
        }
    }

    /** Return the k3s container (for tests and diagnostics). */
    public K3sContainer container() {
        return container;
    }

    /** Return the Vault image deployed, as resolved by image substitution. */
    public String vaultImage() {
        return vaultImage;
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
        return apiServerUrl;
    }

    @Override
    public String issuer() {
        return K3sContainerSpec.ISSUER;
    }

    @Override
    public String caPem() {
        return caPem;
    }

    /** Where k3s keeps the key it signs service-account tokens with. */
    static final String SERVICE_ACCOUNT_KEY = "/var/lib/rancher/k3s/server/tls/service.key";

    @Override
    public Optional<PrivateKey> serviceAccountPrivateKey() {
        if (container == null) {
            return Optional.empty();
        }
        String pem = container.copyFileFromContainer(SERVICE_ACCOUNT_KEY,
                in -> new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        return Optional.of(PemKeys.privateKey(pem, "k3s's " + SERVICE_ACCOUNT_KEY));
    }

    @Override
    public Config adminConfig() {
        return new ConfigBuilder(adminConfig).build();
    }

    @Override
    public String address() {
        return vaultAddress;
    }

    @Override
    public Optional<String> devRootToken() {
        return Optional.ofNullable(devRootToken);
    }

    @Override
    public String logTail() {
        if (kube == null) {
            return "    (k3s not started)";
        }
        return containerLog(VaultManifests.NAMESPACE, VaultManifests.POD, "vault");
    }

    /** Delete the workload pods and Vault resources created, then stop and remove the k3s container. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            if (kube != null) {
                new ArrayList<>(workloads.values()).forEach(PodWorkload::close);
                for (int i = created.size() - 1; i >= 0; i--) {
                    kube.resource(created.get(i)).withGracePeriod(0).delete();
                }
                created.clear();
                // The StatefulSet controller created the claim from its template; it carries the pod's labels.
                kube.persistentVolumeClaims().inNamespace(VaultManifests.NAMESPACE).withLabel("app", "vault").delete();
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (kube != null) {
                kube.close();
            }
            if (container != null) {
                try {
                    container.stop();
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
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("API server", apiServerUrl);
        parts.put("Vault", vaultAddress + " (" + vaultImage + ")");
        return "k3s backend (" + parts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }
}
