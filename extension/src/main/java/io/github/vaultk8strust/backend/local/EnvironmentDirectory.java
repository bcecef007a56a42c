package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * The private directory of one local environment ({@code vault-k8s-trust-*} in {@code java.io.tmpdir}, mode 0700):
 * data, keys, logs, and two kinds of records that let a later start clean up after a JVM that was killed:
 * <ul>
 *   <li>{@value #OWNER_FILE}: the owning JVM's pid and start time (a pid alone may be reused);</li>
 *   <li>{@code <server>.pid}: the server's and its supervisor's pids, written by the supervisor.</li>
 * </ul>
 * {@link #sweepStale} removes directories whose owner is gone, stopping a recorded process only when its command
 * line names that directory (so a reused pid is never touched). A directory kept after a failure
 * ({@value #KEPT_FILE}) is left alone.
 */
@API(status = INTERNAL, since = "0.1")
public final class EnvironmentDirectory {

    /** The prefix of every environment directory. */
    public static final String PREFIX = "vault-k8s-trust-";
    /** The owner record. */
    public static final String OWNER_FILE = "owner";
    /** The marker of a directory kept for inspection after a failure; never swept. */
    public static final String KEPT_FILE = "KEPT";
    /** The suffix of the supervisor's pid files. */
    public static final String PID_SUFFIX = ".pid";

    private static final long START_TIME_TOLERANCE_MILLIS = 1000;

    private EnvironmentDirectory() {
    }

    /** Create a new private directory in {@code parent} and record this JVM as its owner. */
    public static Path create(Path parent) {
        try {
            Files.createDirectories(parent);
            Path dir;
            try {
                dir = Files.createTempDirectory(parent, PREFIX,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                dir = Files.createTempDirectory(parent, PREFIX);
            }
            ProcessHandle self = ProcessHandle.current();
            String owner = "pid=" + self.pid() + "\n" + "started=" + self.info().startInstant().map(Instant::toEpochMilli)
                    .map(String::valueOf).orElse("") + "\n";
            Files.writeString(dir.resolve(OWNER_FILE), owner, StandardCharsets.US_ASCII);
            return dir;
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot create a temporary directory in " + parent + ": " + e
                    + ". Free disk space or point java.io.tmpdir at a writable directory.", e);
        }
    }

    /** What one sweep did. */
    public record Sweep(List<Path> removed, List<String> stopped) {

        /** Return the one-line summary, or empty when nothing was swept. */
        public Optional<String> summary() {
            if (removed.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("swept " + removed.size() + " stale environment director"
                    + (removed.size() == 1 ? "y" : "ies") + " left by JVMs that are gone ("
                    + (stopped.isEmpty() ? "no server was still running" : "stopped " + String.join(", ", stopped))
                    + "): " + removed.stream().map(p -> p.getFileName().toString()).toList());
        }
    }

    /**
     * Remove the environment directories in {@code parent} whose owner JVM is gone, and report in one line.
     * Never throws: a sweep that fails leaves the directory for the next one.
     */
    public static Sweep sweepStale(Path parent, Consumer<String> say) {
        List<Path> removed = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : entries) {
                try {
                    if (isStale(dir)) {
                        stopped.addAll(stopRecordedProcesses(dir));
                        if (claimAndDelete(dir)) {
                            removed.add(dir);
                        }
                    }
                } catch (RuntimeException e) {
                    // Another user's directory, or one deleted while looking at it: not ours to sweep.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No temp directory to look at, or not readable: nothing to sweep.
        }
        Sweep sweep = new Sweep(removed, stopped);
        sweep.summary().ifPresent(say);
        return sweep;
    }

    /** Whether {@code dir} is an environment directory with an owner record naming a JVM that is gone. */
    static boolean isStale(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.exists(dir.resolve(KEPT_FILE))) {
            return false;
        }
        Path ownerFile = dir.resolve(OWNER_FILE);
        if (!Files.isRegularFile(ownerFile)) {
            return false; // being created right now, or not ours to judge
        }
        Properties owner = new Properties();
        try (var in = Files.newBufferedReader(ownerFile, StandardCharsets.US_ASCII)) {
            owner.load(in);
        } catch (IOException e) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(owner.getProperty("pid", "").trim());
        } catch (NumberFormatException e) {
            return false;
        }
        String started = owner.getProperty("started", "").trim();
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return true;
        }
        if (started.isEmpty()) {
            return false;
        }
        // Same pid, different start time: the pid was reused by an unrelated process after the owner died.
        Optional<Instant> actual = process.get().info().startInstant();
        return actual.isPresent()
                && Math.abs(actual.get().toEpochMilli() - Long.parseLong(started)) > START_TIME_TOLERANCE_MILLIS;
    }

    /** Stop each recorded process whose command line names {@code dir}; return what was stopped. */
    private static List<String> stopRecordedProcesses(Path dir) throws IOException {
        List<String> stopped = new ArrayList<>();
        List<ProcessHandle> signalled = new ArrayList<>();
        try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(dir, "*" + PID_SUFFIX)) {
            for (Path pidFile : pidFiles) {
                String server = pidFile.getFileName().toString();
                server = server.substring(0, server.length() - PID_SUFFIX.length());
                Optional<long[]> pids = ManagedProcess.readPidFile(pidFile);
                if (pids.isEmpty()) {
                    continue;
                }
                for (long pid : pids.get()) {
                    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                            .filter(p -> namesDirectory(p, dir));
                    if (process.isPresent()) {
                        process.get().destroy();
                        signalled.add(process.get());
                        stopped.add(server + " pid " + pid);
                    }
                }
            }
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle process : signalled) {
            try {
                process.onExit().get(Math.max(1, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
        return stopped;
    }

    /** Whether the process's command line mentions {@code dir}: only then is it one of that environment's. */
    static boolean namesDirectory(ProcessHandle process, Path dir) {
        String needle = dir.toAbsolutePath().toString();
        ProcessHandle.Info info = process.info();
        if (info.arguments().isPresent()) {
            for (String argument : info.arguments().get()) {
                if (argument.contains(needle)) {
                    return true;
                }
            }
        }
        return info.commandLine().map(c -> c.contains(needle)).orElse(false);
    }

    /**
     * Rename the directory out of the {@code vault-k8s-trust-*} namespace first: the rename succeeds for exactly
     * one of several JVMs sweeping at once, and a half-deleted directory is never taken for a live one.
     */
    private static boolean claimAndDelete(Path dir) {
        Path claimed = dir.resolveSibling(".swept-" + dir.getFileName() + "-" + UUID.randomUUID());
        try {
            Files.move(dir, claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return false;
        }
        ManagedProcess.deleteTree(claimed);
        return true;
    }

    /**
     * Keep a failed environment's directory for inspection: delete its private keys and the administrator's token
     * file (the logs, configuration and certificates stay; the logs were masked as they were written), mark it so
     * that no sweep removes it, and return what to tell the user.
     */
    public static String keep(Path dir) {
        List<String> deleted = new ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".key") || name.endsWith("-token.csv")) {
                    Files.deleteIfExists(file);
                    deleted.add(name);
                }
            }
            Files.writeString(dir.resolve(KEPT_FILE), "Kept by vault-k8s-trust after a failure (vaultk8s.keep-on-failure"
                    + "=true). Private keys and tokens were deleted; delete this directory when done.\n",
                    StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return "kept the failed environment's directory " + dir + ", but could not tidy it (" + e + "); it may "
                    + "still hold private keys: delete it when done";
        }
        return "kept the failed environment's directory for inspection (vaultk8s.keep-on-failure=true): " + dir
                + " (server logs *.log with secrets masked, configuration, certificates; private keys and tokens"
                + " deleted"
                + (deleted.isEmpty() ? "" : ": " + deleted) + "). Delete it when done.";
    }
}
