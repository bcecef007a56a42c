package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.SecretMask;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A server process started by the library: its output goes to a log file (with secrets masked), start-up is
 * watched so that a dying server fails at once with the tail of its log, and it is stopped on {@link #close()} or,
 * as a last resort, when the JVM exits.
 */
@API(status = INTERNAL, since = "0.1")
public final class ManagedProcess implements AutoCloseable {

    private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

    private static final Set<Path> LIVE_DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ManagedProcess::reap, "vault-k8s-trust-reaper"));
    }

    /**
     * Last resort when the JVM exits with environments that were never closed (a killed test fork, or JUnit's
     * closing of store values switched off): stop their servers, delete their directories (which hold private
     * keys), and say so, since it means something did not clean up.
     */
    private static void reap() {
        if (LIVE.isEmpty() && LIVE_DIRECTORIES.isEmpty()) {
            return;
        }
        System.err.println("[vault-k8s-trust] WARNING: the JVM is exiting with " + LIVE.size() + " server process(es) "
                + "and " + LIVE_DIRECTORIES.size() + " environment directory(ies) never closed; stopping and deleting "
                + "them now. Check that junit.jupiter.extensions.store.close.autocloseable.enabled is not false.");
        LIVE.forEach(ManagedProcess::close);
        for (Path dir : LIVE_DIRECTORIES) {
            try {
                deleteTree(dir);
            } catch (RuntimeException e) {
                System.err.println("[vault-k8s-trust] " + e.getMessage());
            }
        }
    }

    /** Delete {@code dir} when the JVM exits, unless {@link #forgetDirectory(Path)} is called first. */
    public static void deleteDirectoryAtExit(Path dir) {
        LIVE_DIRECTORIES.add(dir);
    }

    /** Forget a directory registered with {@link #deleteDirectoryAtExit(Path)}, once its owner deleted it. */
    public static void forgetDirectory(Path dir) {
        LIVE_DIRECTORIES.remove(dir);
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread pump;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> secrets;

    private ManagedProcess(String name, Process process, Path log, List<String> secrets) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.secrets = secrets;
        this.pump = new Thread(this::pump, "vault-k8s-trust-log-" + name);
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /** Start {@code command} with a clean environment plus {@code env}, logging to {@code log}. */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                       Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        // The servers must not pick up the developer's own Vault or Kubernetes settings (VAULT_ADDR, VAULT_TOKEN,
        // KUBECONFIG, ...), nor write into their home directory.
        builder.environment().keySet().removeIf(k -> k.startsWith("VAULT_") || k.startsWith("BAO_")
                || k.startsWith("ETCD_") || k.equals("KUBECONFIG"));
        builder.environment().put("HOME", workDir.toString());
        builder.environment().putAll(env);
        try {
            // Values handed over in variables named *TOKEN* (the dev root token) are masked wherever they appear.
            List<String> secrets = env.entrySet().stream().filter(e -> e.getKey().contains("TOKEN"))
                    .map(Map.Entry::getValue).toList();
            ManagedProcess managed = new ManagedProcess(name, builder.start(), log, secrets);
            LIVE.add(managed);
            return managed;
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot start " + name + " (" + command.get(0) + "): " + e.getMessage()
                    + ". Check that the binary exists and is executable for this user and platform.", e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String safe = SecretMask.line(line, secrets);
                out.write(safe);
                out.newLine();
                out.flush();
                synchronized (tail) {
                    tail.addLast(safe);
                    if (tail.size() > 200) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // The process ended or its log directory was deleted on close: nothing more to record.
        }
    }

    /** Return the server's name, e.g. {@code kube-apiserver}. */
    public String name() {
        return name;
    }

    /** Return the log file. */
    public Path log() {
        return log;
    }

    /** Return whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Return the process id. */
    public long pid() {
        return process.pid();
    }

    /** Return the last {@code lines} lines of output, secrets masked. */
    public String logTail(int lines) {
        List<String> copy;
        synchronized (tail) {
            copy = new ArrayList<>(tail);
        }
        List<String> last = copy.subList(Math.max(0, copy.size() - lines), copy.size());
        return last.isEmpty() ? "    (no output)" : "    " + String.join("\n    ", last);
    }

    /**
     * Wait until {@code probe} answers null (ready) within the deadline. The probe returns a short description
     * of why the server is not ready yet; it is repeated in the error when time runs out.
     *
     * @throws VaultK8sTrustException when the process exits or the deadline passes, with the log tail
     */
    public void awaitReady(Deadline deadline, String what, Supplier<String> probe) {
        AtomicReference<String> lastProblem = new AtomicReference<>("not probed yet");
        try {
            Awaitility.await(name + " " + what)
                    .atMost(deadline.remaining().plusMillis(1))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw exited();
                        }
                        String problem;
                        try {
                            problem = probe.get();
                        } catch (RuntimeException e) {
                            problem = describe(e);
                        }
                        lastProblem.set(problem);
                        return problem == null;
                    });
        } catch (ConditionTimeoutException e) {
            if (!process.isAlive()) {
                throw exited();
            }
            throw new VaultK8sTrustException(name + " did not become ready (" + what + ") within the start-up budget of "
                    + deadline.budget().toSeconds() + " s; last check: " + lastProblem.get()
                    + ". The machine may be overloaded, or the server is stuck (see its last log lines below; the log "
                    + "file itself is deleted with the environment). Raise the budget with "
                    + "@VaultK8sTrust(startupTimeout = \"...\") or vaultk8s.startup.timeout.\n"
                    + "Last lines of its log:\n" + logTail(30));
        }
    }

    /** Describe why a readiness probe failed; a refused connection just means the port is not open yet. */
    private static String describe(RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ConnectException) {
            return cause.getMessage() == null ? "connection refused (nothing listens on its port yet)"
                    : "cannot connect: " + cause.getMessage();
        }
        return cause.toString();
    }

    private VaultK8sTrustException exited() {
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new VaultK8sTrustException(name + " exited with code " + process.exitValue()
                + " during start-up. The cause is usually in its last log lines (a port taken by another "
                + "process, a bad flag for this version, a binary for another platform):\n" + logTail(30));
    }

    /** Ask the process to stop (SIGTERM) without waiting, so that several servers can shut down together. */
    public void signalStop() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Stop the process (SIGTERM, then SIGKILL after 10 s), and its children. Idempotent. */
    @Override
    public void close() {
        LIVE.remove(this);
        // Collect the children first: once the server has exited they are re-parented and no longer found.
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    /** Delete a directory tree, ignoring files that are already gone. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new VaultK8sTrustException("Cannot delete the environment's temporary directory " + root + ": " + e
                    + ". Delete it by hand.", e);
        }
    }
}
