package io.github.vaultk8strust.backend.k3s;

import io.github.vaultk8strust.support.Readiness;
import static org.apiguardian.api.API.Status.INTERNAL;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.PemKeys;
import io.github.vaultk8strust.support.Progress;
import io.github.vaultk8strust.support.SecretMask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.testcontainers.containers.Network;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The k3s node: the container, its admin kubeconfig (rewritten by K3sContainer for the host), the cluster CA, the
 * cluster DNS wait, k3s's service-account signing key, and diagnostics of pods in it.
 */
@API(status = INTERNAL, since = "0.1")
public final class K3sCluster implements AutoCloseable {

    /** Where k3s keeps the key it signs service-account tokens with (the newest key after a rotation). */
    static final String SERVICE_ACCOUNT_CURRENT_KEY = "/var/lib/rancher/k3s/server/tls/service.current.key";
    /** The verification key file; before k3s had {@code service.current.key}, also the signing key. */
    static final String SERVICE_ACCOUNT_KEY = "/var/lib/rancher/k3s/server/tls/service.key";

    private final K3sContainer container;
    private final Set<String> importedImages = ConcurrentHashMap.newKeySet();
    private final Config adminConfig;
    private final KubernetesClient kube;
    private final String apiServerUrl;
    private final String caPem;

    private K3sCluster(K3sContainer container) {
        this.container = container;
        Config config = Config.fromKubeconfig(container.getKubeConfigYaml());
        config.setRequestTimeout(30_000);
        this.adminConfig = config;
        String master = config.getMasterUrl();
        this.apiServerUrl = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
        this.caPem = new String(Base64.getDecoder().decode(config.getCaCertData()), StandardCharsets.US_ASCII);
        this.kube = new KubernetesClientBuilder().withConfig(adminConfig()).build();
    }

    /**
     * Start the k3s container from the spec; on failure the container is stopped and the daemon's message kept,
     * with an explanation when the host refused the privileged container.
     */
    public static K3sCluster start(K3sContainerSpec spec, List<String> imported) {
        return start(spec, null, imported);
    }

    /** As {@link #start(K3sContainerSpec, List)}, on {@code network} under the spec's alias when it has one. */
    public static K3sCluster start(K3sContainerSpec spec, Network network, List<String> imported) {
        long started = System.nanoTime();
        K3sContainer container = network == null ? spec.newContainer() : spec.newContainer(network);
        try {
            container.start();
        } catch (RuntimeException e) {
            // The node's own log says why it did not come up; it is gone once the container is removed.
            K3sDiagnostics.Kept kept = K3sDiagnostics.keep("The k3s container did not start: "
                    + DockerProbe.daemonMessage(e), container, null, null, null);
            try {
                container.stop();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            String tail = kept.nodeLogTail(20);
            throw new VaultK8sTrustException(startFailure(spec, e) + "\n" + kept.sentence()
                    + (tail.isEmpty() ? "" : "\nLast lines of the node's log:\n" + tail), e);
        }
        Progress.say("k3s " + spec.image() + " started in " + (System.nanoTime() - started) / 1_000_000 + " ms ("
                + String.join(" ", spec.securityFlags()) + ")");
        try {
            K3sCluster cluster = new K3sCluster(container);
            cluster.importedImages.addAll(imported);
            return cluster;
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    /** Describe a container that did not start: the daemon's message, and the privileged fallback when it applies. */
    static String startFailure(K3sContainerSpec spec, Throwable e) {
        String message = DockerProbe.daemonMessage(e);
        String lower = message.toLowerCase(Locale.ROOT);
        StringBuilder text = new StringBuilder("The k3s container (" + spec.image() + ", "
                + String.join(" ", spec.securityFlags()) + ") did not start: " + message + ".");
        if (spec.privileged() && (lower.contains("unable to apply caps") || lower.contains("privileged")
                || lower.contains("operation not permitted"))) {
            text.append(" The Docker engine refused the privileged container this backend runs by default (some"
                    + " VMs and rootless or restricted engines cannot grant every capability). Set "
                    + ConfigKeys.K3S_PRIVILEGED_KEY + "=false (-D" + ConfigKeys.K3S_PRIVILEGED_KEY + "=false or "
                    + ConfigKeys.environmentVariable(ConfigKeys.K3S_PRIVILEGED_KEY) + "=false) to run the node with "
                    + "--cap-add=ALL --cap-drop=SYS_RESOURCE, no seccomp or AppArmor profile, /dev/kmsg, and a prologue "
                    + "that makes its cgroups and /proc/sys writable, instead (proven on the node stand-in; runc then "
                    + "cannot lower pods' oom_score_adj without SYS_RESOURCE, which the stand-in's containerd "
                    + "tolerates and k3s's may not: see docs/k3s.md).");
        } else if (!spec.privileged()) {
            text.append(" It ran unprivileged (" + ConfigKeys.K3S_PRIVILEGED_KEY + "=false); if the engine can "
                    + "run privileged containers, try the default (true).");
        }
        return text.toString();
    }

    /**
     * Wait until cluster DNS can answer: CoreDNS's Service {@code kube-system/kube-dns} has a ready endpoint.
     * Vault resolves the issuer {@code kubernetes.default.svc.cluster.local} while {@code auth/jwt/config} is
     * written, so that write must not come first.
     */
    public void awaitClusterDns(Deadline deadline) {
        try {
            Readiness.await(deadline, "cluster DNS", () -> {
                Endpoints endpoints = kube.endpoints().inNamespace("kube-system").withName("kube-dns").get();
                if (endpoints == null || endpoints.getSubsets() == null) {
                    return "no endpoints object yet";
                }
                for (EndpointSubset subset : endpoints.getSubsets()) {
                    if (subset.getAddresses() != null && !subset.getAddresses().isEmpty()) {
                        return null;
                    }
                }
                return "kube-dns has no ready address";
            });
        } catch (Readiness.NotReady e) {
            {
                throw new VaultK8sTrustException("Cluster DNS (CoreDNS, Service kube-system/kube-dns) was not ready "
                        + "within the start-up budget of " + deadline.budget().toSeconds() + " s (" + e.lastProblem() + "). Vault "
                        + "needs it to resolve the issuer " + K3sContainerSpec.ISSUER + ". Offline, CoreDNS's image "
                        + "must be side-loaded (" + ConfigKeys.K3S_SYSTEM_IMAGES_KEY + ").\n"
                        + coreDnsDiagnostics(), e);
            }
        }
    }

    private String coreDnsDiagnostics() {
        try {
            return kube.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-dns").list().getItems().stream()
                    .map(p -> podDiagnostics("kube-system", p.getMetadata().getName(),
                            Set.of(p.getMetadata().getName()), "coredns", null))
                    .collect(Collectors.joining("\n"));
        } catch (KubernetesClientException e) {
            return "(cannot list CoreDNS pods: " + e.getMessage() + ")";
        }
    }

    /** Make an image available in k3s after start: copy its tarball in and {@code ctr images import} it. */
    public void importImage(K3sContainerSpec.SideLoad load) {
        if (!importedImages.add(load.image())) {
            return;
        }
        String inContainer = "/tmp/" + K3sContainerSpec.SideLoad.fileName(load.image());
        container.copyFileToContainer(MountableFile.forHostPath(load.tarball()), inContainer);
        try {
            var result = container.execInContainer("ctr", "-n", "k8s.io", "images", "import", inContainer);
            container.execInContainer("rm", "-f", inContainer);
            if (result.getExitCode() != 0) {
                importedImages.remove(load.image());
                throw new VaultK8sTrustException("Importing image " + load.image() + " into k3s failed (ctr "
                        + "images import, exit " + result.getExitCode() + "): " + result.getStderr().strip());
            }
        } catch (IOException e) {
            importedImages.remove(load.image());
            throw new VaultK8sTrustException("Importing image " + load.image() + " into k3s failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while importing image " + load.image(), e);
        }
    }

    /** Read k3s's service-account signing key: {@code service.current.key}, else {@code service.key}. */
    public PrivateKey serviceAccountPrivateKey() {
        for (String path : List.of(SERVICE_ACCOUNT_CURRENT_KEY, SERVICE_ACCOUNT_KEY)) {
            Optional<String> pem = readFile(path);
            if (pem.isPresent()) {
                return PemKeys.privateKey(pem.get(), "k3s's " + path);
            }
        }
        throw new VaultK8sTrustException("k3s has neither " + SERVICE_ACCOUNT_CURRENT_KEY + " nor "
                + SERVICE_ACCOUNT_KEY + ": cannot sign tokens with the cluster's key");
    }

    private Optional<String> readFile(String path) {
        try {
            return Optional.of(container.copyFileFromContainer(path,
                    in -> new String(in.readAllBytes(), StandardCharsets.US_ASCII)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Describe why a pod is not ready: its phase and conditions, recent events of the named objects, its log. */
    String podDiagnostics(String namespace, String podName, Set<String> objects, String containerName,
                          String devRootToken) {
        StringBuilder text = new StringBuilder();
        try {
            Pod pod = kube.pods().inNamespace(namespace).withName(podName).get();
            text.append("Pod ").append(namespace).append('/').append(podName).append(": ")
                    .append(pod == null ? "(no such pod)" : pod.getStatus().getPhase() + " "
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
        text.append("Container log (last lines):\n").append(containerLog(namespace, podName, containerName,
                devRootToken));
        return text.toString();
    }

    /** Return the last lines of a container's log, masked, indented. */
    String containerLog(String namespace, String podName, String containerName, String devRootToken) {
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

    /**
     * Return the time the node reported for importing side-loaded images: the sum of its "imported images from ... in
     * N s" lines (k3s: "Imported images from ... in 1.2s"; the node stand-in alike); empty when it reported none.
     */
    public Optional<java.time.Duration> imageImportTime() {
        java.util.regex.Matcher m = IMPORT_LINE.matcher(container.getLogs());
        double seconds = 0;
        boolean found = false;
        while (m.find()) {
            seconds += Double.parseDouble(m.group(1)) / (m.group(2).equals("ms") ? 1000 : 1);
            found = true;
        }
        return found ? Optional.of(java.time.Duration.ofMillis(Math.round(seconds * 1000))) : Optional.empty();
    }

    /**
     * Return how long the node container spent between its creation and its start, as the Docker engine recorded
     * them: Testcontainers copies the side-loaded image tarballs into the container in between, so this is their
     * copy (plus one start call). Empty when the engine's record cannot be read.
     */
    public Optional<java.time.Duration> createdToStarted() {
        try {
            com.github.dockerjava.api.command.InspectContainerResponse info = container.getContainerInfo();
            return createdToStarted(info.getCreated(), info.getState().getStartedAt());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The time between two of the engine's RFC 3339 timestamps; empty when either is missing or unreadable. */
    static Optional<java.time.Duration> createdToStarted(String created, String started) {
        try {
            java.time.Duration d = java.time.Duration.between(java.time.Instant.parse(created),
                    java.time.Instant.parse(started));
            return d.isNegative() ? Optional.empty() : Optional.of(d);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final java.util.regex.Pattern IMPORT_LINE = java.util.regex.Pattern.compile(
            "[Ii]mported images from \\S+ in ([0-9]+(?:\\.[0-9]+)?)(ms|s)\\b");

    /** Return the container. */
    public K3sContainer container() {
        return container;
    }

    /** Return the admin client (owned by this cluster). */
    public KubernetesClient kube() {
        return kube;
    }

    /** Return a copy of the admin configuration (cluster admin, the host's view of the API server). */
    public Config adminConfig() {
        return new ConfigBuilder(adminConfig).build();
    }

    /** Return the API server URL as the host reaches it. */
    public String apiServerUrl() {
        return apiServerUrl;
    }

    /** Return the cluster CA (PEM). */
    public String caPem() {
        return caPem;
    }

    /** Close the client, then stop and remove the container. */
    @Override
    public void close() {
        try {
            kube.close();
        } finally {
            container.stop();
        }
    }
}
