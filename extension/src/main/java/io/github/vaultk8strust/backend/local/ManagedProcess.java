package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.Readiness;
import io.github.vaultk8strust.support.SecretMask;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A server process started by the library, tied to the life of this JVM.
 *
 * <p>Each server runs under a tiny POSIX {@code sh} supervisor whose standard input is a pipe from this JVM. The JVM
 * never writes to it; the pipe reaches end-of-file when the JVM closes it ({@link #close()}) <em>or when the JVM
 * dies, however it dies</em> (SIGKILL included: the kernel closes a dead process's descriptors). The supervisor then
 * sends SIGTERM to the server, and SIGKILL after a grace period. This works for any binary (PATH, envtest,
 * download, build), needs nothing but {@code /bin/sh}, and does not depend on a shutdown hook, which SIGKILL never
 * runs.
 *
 * <p>The server's output goes to a log file created 0600, with secrets masked; start-up is watched so that a dying
 * server fails at once with the tail of its log; after start-up, {@link #onUnexpectedExit} reports a server that
 * exits on its own.
 */
@API(status = INTERNAL, since = "0.1")
public final class ManagedProcess implements AutoCloseable {

    /** How long the supervisor waits after SIGTERM before SIGKILL. */
    static final int GRACE_SECONDS = 10;

    /** An exit this soon after start, by a signal or without output, suggests a broken binary. */
    private static final Duration INSTANT_EXIT = Duration.ofSeconds(3);

    /**
     * The supervisor. Arguments: the pid file, the grace period in seconds, then the server's command. It writes
     * "server-pid supervisor-pid" to the pid file, waits for the server and exits with its status (128 + n for a
     * signal n). A watcher subshell reads the pipe from the JVM until end-of-file, then stops the server (and,
     * where {@code pkill} exists, its children).
     */
    static final String SUPERVISOR = """
            pidfile=$1; grace=$2; shift 2
            "$@" </dev/null &
            server=$!
            printf '%s %s\\n' "$server" "$$" > "$pidfile.tmp" && mv -f "$pidfile.tmp" "$pidfile"
            exec 3<&0
            (
              trap '' INT HUP
              while read -r _; do :; done
              command -v pkill >/dev/null 2>&1 && pkill -TERM -P "$server" 2>/dev/null
              kill -TERM "$server" 2>/dev/null || exit 0
              i=0
              while kill -0 "$server" 2>/dev/null; do
                i=$((i + 1))
                if [ "$i" -gt $((grace * 10)) ]; then
                  command -v pkill >/dev/null 2>&1 && pkill -KILL -P "$server" 2>/dev/null
                  kill -KILL "$server" 2>/dev/null
                  exit 0
                fi
                sleep 0.1
              done
            ) <&3 &
            watcher=$!
            exec 3<&- 0</dev/null
            trap 'kill -TERM "$server" 2>/dev/null' TERM
            trap '' INT HUP
            while :; do
              wait "$server"; code=$?
              kill -0 "$server" 2>/dev/null || break
            done
            kill "$watcher" 2>/dev/null
            wait "$watcher" 2>/dev/null
            exit "$code"
            """;

    /** The marker the supervisor's own $0 carries, so that {@code ps} shows what it is. */
    static final String SUPERVISOR_NAME = "vault-k8s-trust-supervisor";

    private static final Path SH = Path.of("/bin/sh");

    private static final Pattern ADDRESS_IN_USE = Pattern.compile("(?i)address already in use");

    private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

    private static final Set<Path> LIVE_DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ManagedProcess::reap, "vault-k8s-trust-reaper"));
    }

    /**
     * Last resort when the JVM exits normally with environments that were never closed (JUnit's closing of store
     * values switched off): stop their servers, delete their directories (which hold private keys), and say so,
     * since it means something did not clean up. A killed JVM never gets here; the supervisors cover that case.
     */
    private static void reap() {
        if (LIVE.isEmpty() && LIVE_DIRECTORIES.isEmpty()) {
            return;
        }
        System.err.println("[vault-k8s-trust] WARNING: the JVM is exiting with " + LIVE.size() + " server process(es) "
                + "and " + LIVE_DIRECTORIES.size() + " environment directory(ies) never closed; stopping and deleting "
                + "them now. Check that junit.jupiter.extensions.store.close.autocloseable.enabled is not false.");
        LIVE.forEach(ManagedProcess::signalStop);
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
    private final Path binary;
    private final Process supervisor;
    private final long serverPid;
    private final long startedNanos = System.nanoTime();
    private final Path log;
    private final Thread pump;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> secrets;
    private volatile boolean stopping;
    private volatile boolean anyOutput;

    private ManagedProcess(String name, Path binary, Process supervisor, long serverPid, Path log,
                           BufferedWriter logWriter, List<String> secrets) {
        this.name = name;
        this.binary = binary;
        this.supervisor = supervisor;
        this.serverPid = serverPid;
        this.log = log;
        this.secrets = secrets;
        this.pump = new Thread(() -> pump(logWriter), "vault-k8s-trust-log-" + name);
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Start {@code command} under a supervisor with a clean environment plus {@code env}, logging to {@code log}
     * (created 0600) and recording the pids in {@code pidFile}.
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                       Path log, Path pidFile) {
        Path binary = Path.of(command.get(0));
        if (!Files.isExecutable(SH)) {
            throw new VaultK8sTrustException("Cannot start " + name + " (" + binary + "): the local backend needs "
                    + SH + " to tie each server to the life of the JVM, and this system has none. Use a POSIX "
                    + "system (Linux, macOS), or the k3s backend.");
        }
        List<String> full = new ArrayList<>(List.of(SH.toString(), "-c", SUPERVISOR, SUPERVISOR_NAME,
                pidFile.toString(), Integer.toString(GRACE_SECONDS)));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true);
        // The servers must not pick up the developer's own Vault or Kubernetes settings (VAULT_ADDR, VAULT_TOKEN,
        // KUBECONFIG, ...), nor write into their home directory.
        builder.environment().keySet().removeIf(k -> k.startsWith("VAULT_") || k.startsWith("BAO_")
                || k.startsWith("ETCD_") || k.equals("KUBECONFIG"));
        builder.environment().put("HOME", workDir.toString());
        builder.environment().putAll(env);
        // Values handed over in variables named *TOKEN* (the dev root token) are masked wherever they appear.
        List<String> secrets = env.entrySet().stream().filter(e -> e.getKey().contains("TOKEN"))
                .map(Map.Entry::getValue).toList();
        BufferedWriter logWriter = privateLog(log);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            closeQuietly(logWriter);
            throw new VaultK8sTrustException("Cannot start " + name + " (" + binary + "): " + e.getMessage()
                    + ". Check that the binary exists and is executable for this user and platform.", e);
        }
        long pid = awaitPidFile(pidFile, process);
        ManagedProcess managed = new ManagedProcess(name, binary, process, pid, log, logWriter, secrets);
        LIVE.add(managed);
        return managed;
    }

    /** Create the log file readable by the owner only, before anything is written to it. */
    private static BufferedWriter privateLog(Path log) {
        try {
            try {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(log);
            }
            return Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the server log " + log, e);
        }
    }

    /** Wait (briefly: the supervisor writes it right after forking) for the server's pid. */
    private static long awaitPidFile(Path pidFile, Process supervisor) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < giveUp) {
            Optional<long[]> pids = readPidFile(pidFile);
            if (pids.isPresent()) {
                return pids.get()[0];
            }
            if (!supervisor.isAlive() && readPidFile(pidFile).isEmpty()) {
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                supervisor.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new VaultK8sTrustException("Interrupted while starting a server", e);
            }
        }
        supervisor.destroyForcibly();
        throw new VaultK8sTrustException("The process supervisor (/bin/sh) did not report the server's pid in "
                + pidFile + " within 10 s; the machine may be overloaded.");
    }

    /** Read "server-pid supervisor-pid" as written by the supervisor; empty when absent or incomplete. */
    static Optional<long[]> readPidFile(Path pidFile) {
        try {
            String[] parts = Files.readString(pidFile, StandardCharsets.US_ASCII).trim().split("\\s+");
            return parts.length == 2 ? Optional.of(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])})
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void pump(BufferedWriter out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(supervisor.getInputStream(),
                StandardCharsets.UTF_8)); out) {
            String line;
            while ((line = in.readLine()) != null) {
                anyOutput = true;
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

    /** Return the binary the server runs. */
    public Path binary() {
        return binary;
    }

    /** Return the log file. */
    public Path log() {
        return log;
    }

    /** Return whether the server still runs. */
    public boolean isAlive() {
        return supervisor.isAlive() && ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Return how long ago the server was launched. */
    public Duration sinceLaunch() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Return the server's process id (not the supervisor's). */
    public long pid() {
        return serverPid;
    }

    /** Return the supervisor's process id. */
    public long supervisorPid() {
        return supervisor.pid();
    }

    /** Return the server's exit code (128 + n when killed by signal n), or empty while it runs. */
    public Optional<Integer> exitCode() {
        return supervisor.isAlive() ? Optional.empty() : Optional.of(supervisor.exitValue());
    }

    /**
     * Describe the server's state for messages: running, stopped (SIGSTOP, a debugger), a zombie, or exited with
     * its code. Reads {@code /proc} where it exists.
     */
    public String state() {
        Optional<Integer> code = exitCode();
        if (code.isPresent()) {
            return name + " (pid " + serverPid + ") " + describeExit(code.get());
        }
        String detail = "";
        try {
            Path status = Path.of("/proc", Long.toString(serverPid), "status");
            if (Files.isReadable(status)) {
                detail = Files.readAllLines(status).stream().filter(l -> l.startsWith("State:"))
                        .map(l -> l.substring(6).trim()).findFirst().orElse("");
            }
        } catch (IOException | UncheckedIOException e) {
            // Gone between the checks, or no /proc: the plain answer below will do.
        }
        if (detail.startsWith("T")) {
            return name + " (pid " + serverPid + ") is stopped (" + detail + "): someone sent it SIGSTOP or a "
                    + "debugger holds it, so it accepts connections but answers nothing";
        }
        return name + " (pid " + serverPid + ") is running" + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    /** Say how the server ended, from the supervisor's exit status (128 + n for signal n). */
    static String describeExit(int code) {
        if (code > 128 && code < 160) {
            return "was killed by signal " + (code - 128) + signalName(code - 128) + " (exit code " + code + ")";
        }
        return "exited with code " + code;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 4 -> " (SIGILL)";
            case 6 -> " (SIGABRT)";
            case 7 -> " (SIGBUS)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 13 -> " (SIGPIPE)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
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

    /** Return whether the server's output says one of its ports was taken. */
    public boolean reportedAddressInUse() {
        synchronized (tail) {
            return tail.stream().anyMatch(l -> ADDRESS_IN_USE.matcher(l).find());
        }
    }

    /**
     * Call {@code listener} once if the server exits while nobody asked it to stop (not during {@link #close()} or
     * after {@link #signalStop()}).
     */
    public void onUnexpectedExit(Consumer<ManagedProcess> listener) {
        supervisor.onExit().thenRunAsync(() -> {
            if (!stopping) {
                joinPump();
                listener.accept(this);
            }
        });
    }

    /**
     * Wait until {@code probe} answers null (ready) within the deadline. The probe returns a short description
     * of why the server is not ready yet; it is repeated in the error when time runs out.
     *
     * @throws VaultK8sTrustException when the process exits or the deadline passes, with the log tail
     */
    public void awaitReady(Deadline deadline, String what, Supplier<String> probe) {
        try {
            Readiness.await(deadline, name + " " + what, () -> {
                if (!isAlive()) {
                    throw exited();
                }
                try {
                    return probe.get();
                } catch (RuntimeException e) {
                    return describe(e);
                }
            });
        } catch (Readiness.NotReady e) {
            if (!isAlive()) {
                throw exited();
            }
            throw new VaultK8sTrustException(name + " did not become ready (" + what + ") within the start-up budget of "
                    + deadline.budget().toSeconds() + " s; last check: " + e.lastProblem()
                    + ". The machine may be overloaded, or the server is stuck (see its last log lines below; the log "
                    + "file itself is deleted with the environment unless vaultk8s.keep-on-failure=true). Raise the "
                    + "budget with startupTimeout (the attribute, or the builder method) or " + ConfigKeys.STARTUP_TIMEOUT_KEY
                    + ".\n"
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
        waitForExit();
        joinPump();
        int code = supervisor.isAlive() ? -1 : supervisor.exitValue();
        String message = name + " " + describeExit(code) + " during start-up (pid " + serverPid + ", binary "
                + binary + "). The cause is usually in its last log lines (a port taken by another process, a bad "
                + "flag for this version, a binary for another platform)" + corruptHint(code) + ":\n" + logTail(30);
        return addressInUse(code) ? new PortConflictException(message) : new VaultK8sTrustException(message);
    }

    /** Whether this exit was a lost race for a port, worth a retry on fresh ports. */
    private boolean addressInUse(int code) {
        return code != 0 && reportedAddressInUse();
    }

    /**
     * "the binary may be corrupt" when the server died at once by a signal, could not be executed, or said
     * nothing at all: what a truncated or damaged file does.
     */
    String corruptHint(int code) {
        boolean instant = System.nanoTime() - startedNanos < INSTANT_EXIT.toNanos();
        boolean suspicious = code > 128 || code == 126 || !anyOutput;
        return instant && suspicious ? "; the binary may be corrupt: delete " + binary
                + " (a cached binary is then obtained again)" : "";
    }

    private void waitForExit() {
        try {
            supervisor.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void joinPump() {
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ask the server to stop without waiting, so that several servers can shut down together: closing the pipe
     * is the very signal a dead JVM gives, so the supervisor does the same as then (SIGTERM, then SIGKILL).
     */
    public void signalStop() {
        stopping = true;
        try {
            OutputStream pipe = supervisor.getOutputStream();
            pipe.close();
        } catch (IOException e) {
            // Already closed: the supervisor got the message.
        }
    }

    /** Stop the server (SIGTERM, then SIGKILL after the grace period) and its supervisor. Idempotent. */
    @Override
    public void close() {
        LIVE.remove(this);
        // The supervisor's own helpers (its watcher subshell) and the server: waited for below, so that nothing this
        // JVM started is left running, even for a moment, once close() returns.
        List<ProcessHandle> family = supervisor.descendants().toList();
        signalStop();
        try {
            if (!supervisor.waitFor(GRACE_SECONDS + 5, TimeUnit.SECONDS)) {
                // The supervisor itself is stuck: act directly.
                ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
                supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
                supervisor.destroyForcibly();
                supervisor.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
            supervisor.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ProcessHandle member : family) {
            try {
                member.onExit().get(Math.max(1, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                member.destroyForcibly();
            }
        }
        joinPump();
    }

    @Override
    public String toString() {
        return name + " (pid " + serverPid + ")";
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Nothing useful to add to the failure being reported.
        }
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
        } catch (java.nio.file.NoSuchFileException e) {
            // Deleted by someone else (a concurrent sweep) while walking.
        } catch (IOException | UncheckedIOException e) {
            if (!Files.exists(root)) {
                return;
            }
            throw new VaultK8sTrustException("Cannot delete the environment's temporary directory " + root + ": " + e
                    + ". Delete it by hand.", e);
        }
    }

    /** Thrown when a server exits during start-up because one of its ports was taken: the start can be retried. */
    public static final class PortConflictException extends VaultK8sTrustException {

        private static final long serialVersionUID = 1L;

        PortConflictException(String message) {
            super(message);
        }
    }
}
