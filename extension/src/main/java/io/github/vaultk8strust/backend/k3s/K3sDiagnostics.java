package io.github.vaultk8strust.backend.k3s;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.support.Causes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;

/**
 * The evidence of a k3s environment that failed: the node container's log (k3s logs every component there), the Vault
 * pod's or container's log, the cluster's events and its pods' states, written as text files before the containers
 * are removed. Every text is masked ({@link K3sCluster#mask}): no root token, unseal key or dev root token.
 *
 * <p>Kept under {@code target/vault-k8s-trust-diagnostics/} when the working directory has a {@code target} (Maven),
 * else {@code build/} (Gradle), else the temporary directory.
 */
final class K3sDiagnostics {

    static final String DIR_NAME = "vault-k8s-trust-diagnostics";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private K3sDiagnostics() {
    }

    /** Return the directory the evidence of failed environments goes to (not created). */
    static Path baseDir() {
        Path cwd = Path.of("").toAbsolutePath();
        for (String build : List.of("target", "build")) {
            if (Files.isDirectory(cwd.resolve(build))) {
                return cwd.resolve(build).resolve(DIR_NAME);
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir")).resolve(DIR_NAME);
    }

    /**
     * Write the evidence into a new directory under {@link #baseDir()} and return a sentence naming it; a part that
     * cannot be read says so in its file instead.
     *
     * @param why what failed, written first into {@code failure.txt}
     * @param node the node container (null: it was never created; then only the failure is written)
     * @param kube the node's admin client, for events and pods (null: the node did not start)
     * @param vaultLog the Vault log (null: Vault was not deployed)
     * @param devRootToken masked wherever it appears; null when there is none
     */
    static Kept keep(String why, GenericContainer<?> node, KubernetesClient kube, Supplier<String> vaultLog,
                     String devRootToken) {
        Path dir = baseDir().resolve("k3s-" + LocalDateTime.now().format(STAMP) + "-"
                + (node == null ? "no-node" : shortId(node.getContainerId())));
        try {
            Files.createDirectories(dir);
            write(dir.resolve("failure.txt"), () -> why, devRootToken);
            List<String> kept = new java.util.ArrayList<>(List.of("failure.txt"));
            if (node != null && node.getContainerId() != null) {
                write(dir.resolve("node.log"), node::getLogs, devRootToken);
                kept.add("node.log (the node's own log: every component's output)");
            }
            if (vaultLog != null) {
                write(dir.resolve("vault.log"), vaultLog, devRootToken);
                kept.add("vault.log");
            }
            if (kube != null) {
                write(dir.resolve("events.txt"), () -> events(kube), devRootToken);
                write(dir.resolve("pods.txt"), () -> pods(kube), devRootToken);
                kept.add("events.txt");
                kept.add("pods.txt");
            }
            return new Kept(dir, "Kept for inspection in " + dir + ": " + String.join(", ", kept) + ".");
        } catch (IOException e) {
            return new Kept(null, "(could not keep the k3s environment's logs in " + dir + ": " + e + ")");
        }
    }

    /**
     * Where the evidence went.
     *
     * @param dir the directory, null when it could not be written
     * @param sentence says where, for a message
     */
    record Kept(Path dir, String sentence) {

        /** Return the last lines of the kept node log, indented, or empty when there is none. */
        String nodeLogTail(int lines) {
            if (dir == null || !Files.isRegularFile(dir.resolve("node.log"))) {
                return "";
            }
            try {
                List<String> all = Files.readAllLines(dir.resolve("node.log"));
                return all.subList(Math.max(0, all.size() - lines), all.size()).stream().map(l -> "    " + l)
                        .collect(Collectors.joining("\n"));
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    private static void write(Path file, Supplier<String> text, String devRootToken) throws IOException {
        String content;
        try {
            content = text.get();
        } catch (RuntimeException e) {
            content = "(cannot be read: " + Causes.oneLine(e) + ")";
        }
        Files.writeString(file, K3sCluster.mask(content == null ? "" : content, devRootToken) + "\n",
                StandardCharsets.UTF_8);
    }

    private static String events(KubernetesClient kube) {
        return kube.v1().events().inAnyNamespace().list().getItems().stream()
                .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
                .map(K3sDiagnostics::event).collect(Collectors.joining("\n"));
    }

    private static String event(Event e) {
        return e.getLastTimestamp() + " " + e.getType() + " " + e.getReason() + " " + e.getInvolvedObject().getKind()
                + " " + e.getInvolvedObject().getNamespace() + "/" + e.getInvolvedObject().getName() + ": "
                + e.getMessage();
    }

    private static String pods(KubernetesClient kube) {
        return kube.pods().inAnyNamespace().list().getItems().stream().map(K3sDiagnostics::pod)
                .collect(Collectors.joining("\n"));
    }

    private static String pod(Pod p) {
        String containers = p.getStatus().getContainerStatuses() == null ? ""
                : p.getStatus().getContainerStatuses().stream().map(K3sDiagnostics::container)
                .collect(Collectors.joining(", "));
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " " + p.getStatus().getPhase()
                + " on " + p.getSpec().getNodeName() + " [" + containers + "]";
    }

    private static String container(ContainerStatus c) {
        String state = c.getState() == null ? "?" : c.getState().getRunning() != null ? "running"
                : c.getState().getWaiting() != null ? "waiting: " + c.getState().getWaiting().getReason()
                : c.getState().getTerminated() != null ? "terminated: " + c.getState().getTerminated().getReason()
                : "?";
        return c.getName() + " " + state + ", ready " + c.getReady() + ", restarts " + c.getRestartCount();
    }

    private static String shortId(String id) {
        return id == null ? "unstarted" : id.substring(0, Math.min(12, id.length()));
    }
}
