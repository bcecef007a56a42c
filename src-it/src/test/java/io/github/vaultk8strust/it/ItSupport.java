package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;

import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * What the failure and sharing tests share: running fixture classes through {@link EngineTestKit}, and watching
 * the environment directories ({@code vault-k8s-trust-*} in {@code java.io.tmpdir}) and the server processes
 * (descendants of this JVM) that the local backend creates.
 *
 * <p>The Surefire JVM also runs ordinary test classes whose environments live until the whole run ends, so every
 * check here is relative: what exists after an execution is compared with what existed before it.
 */
final class ItSupport {

    /** The prefix {@code LocalBackend} gives its private temporary directory. */
    static final String ENV_DIR_PREFIX = "vault-k8s-trust-";

    private ItSupport() {
    }

    /** Start an EngineTestKit run of the Jupiter engine; the caller adds settings and selectors. */
    static EngineTestKit.Builder jupiter() {
        return EngineTestKit.engine("junit-jupiter");
    }

    /** Return the environment directories that exist now in {@code java.io.tmpdir}. */
    static Set<Path> environmentDirs() {
        try (Stream<Path> entries = Files.list(tmpDir())) {
            return entries.filter(p -> p.getFileName().toString().startsWith(ENV_DIR_PREFIX))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tmpDir() {
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }

    /** Return the process ids of this JVM's live descendants. */
    static Set<Long> liveDescendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** Return the live descendants that are not in {@code before}, with their executable's file name. */
    static Map<Long, String> newDescendants(Set<Long> before) {
        Map<Long, String> found = new TreeMap<>();
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> !before.contains(p.pid()))
                .forEach(p -> found.put(p.pid(), p.info().command().map(c -> Path.of(c).getFileName().toString())
                        .orElse("?")));
        return found;
    }

    /** Return whether an executable name is a POSIX shell: the supervisors between the JVM and each server. */
    static boolean isShell(String executable) {
        return Set.of("sh", "dash", "bash", "ash", "busybox").contains(executable);
    }

    /** Return whether the process with this id still runs. */
    /**
     * Return whether real k3s can start here: a Docker engine answers, and either a registry resolves or the default
     * k3s image is already in the engine (pre-pulled or loaded from an offline bundle). A stand-in never counts.
     */
    static boolean k3sCanRun() {
        if (!io.github.vaultk8strust.backend.k3s.K3sBackend.dockerAvailable()) {
            return false;
        }
        try {
            java.net.InetAddress.getByName("registry-1.docker.io");
            return true;
        } catch (java.net.UnknownHostException offline) {
            try (com.github.dockerjava.api.DockerClient docker =
                         io.github.vaultk8strust.backend.k3s.DockerProbe.rawClient()) {
                docker.inspectImageCmd(io.github.vaultk8strust.ConfigKeys.DEFAULT_K3S_IMAGE).exec();
                return true;
            } catch (Exception notThere) {
                return false;
            }
        }
    }

    /** Return a running process's command line, argument by argument, from {@code /proc/<pid>/cmdline}. */
    static List<String> commandLineOf(long pid) throws IOException {
        return List.of(new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                java.nio.charset.StandardCharsets.UTF_8).split("\0"));
    }

    static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Assert that no process and no environment directory outlived the execution. */
    static void assertNothingLeft(Set<Long> descendantsBefore, Set<Path> dirsBefore) {
        assertThat(newDescendants(descendantsBefore)).as("processes started during the execution and still alive")
                .isEmpty();
        assertThat(environmentDirs()).as("environment directories in " + tmpDir()).isSubsetOf(dirsBefore);
    }

    /** Return the private directory of a local-backend environment. */
    static Path directoryOf(TrustEnvironment environment) {
        return ((LocalBackend) ((DefaultTrustEnvironment) environment).runningBackend()).directory();
    }

    /** Return whether nothing listens at the host and port of {@code url} any more. */
    static boolean refusesConnections(String url) {
        URI uri = URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Neither connected to nor refused by " + url, e);
        }
    }

    /**
     * Return what the container of {@code fixture} failed with, asserting that it finished exactly once and
     * failed.
     */
    static Throwable classFailure(EngineExecutionResults results, Class<?> fixture) {
        List<Event> finished = results.containerEvents().finished().filter(container(fixture)::matches).toList();
        assertThat(finished).as("finished events of " + fixture.getSimpleName()).hasSize(1);
        TestExecutionResult result = finished.get(0).getRequiredPayload(TestExecutionResult.class);
        assertThat(result.getStatus()).as(fixture.getSimpleName() + " result").isEqualTo(TestExecutionResult.Status.FAILED);
        return result.getThrowable().orElseThrow();
    }

    /**
     * Watch {@code java.io.tmpdir} for created entries. Every creation between {@link #start()} and
     * {@link #createdEnvironmentDirs()} is seen, however short-lived the entry: the kernel queues the events
     * in order, and a sentinel file created last marks the end of the queue.
     */
    static final class TmpDirWatch implements AutoCloseable {

        private final WatchService service;
        private final Path dir = tmpDir();

        private TmpDirWatch(WatchService service) {
            this.service = service;
        }

        /** Start watching; skips the test on platforms whose watcher polls (it would miss short-lived dirs). */
        static TmpDirWatch start() {
            try {
                WatchService service = FileSystems.getDefault().newWatchService();
                TmpDirWatch watch = new TmpDirWatch(service);
                if (service.getClass().getSimpleName().contains("Polling")) {
                    service.close();
                    Assumptions.abort("This JDK's WatchService (" + service.getClass().getName() + ") polls the "
                            + "directory and cannot see an environment directory that lives only for seconds.");
                }
                watch.dir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
                return watch;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Return the names of the environment directories created since {@link #start()}, in order. */
        List<String> createdEnvironmentDirs() throws IOException, InterruptedException {
            Path sentinel = Files.createTempFile(dir, "watch-sentinel-", "");
            List<String> created = new ArrayList<>();
            try {
                boolean sentinelSeen = false;
                while (!sentinelSeen) {
                    WatchKey key = service.poll(30, TimeUnit.SECONDS);
                    assertThat(key).as("events from the watcher of " + dir).isNotNull();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        assertThat(event.kind()).as("watch event kind (an overflow loses events)")
                                .isNotEqualTo(StandardWatchEventKinds.OVERFLOW);
                        String name = String.valueOf(event.context());
                        if (name.equals(sentinel.getFileName().toString())) {
                            sentinelSeen = true;
                        } else if (name.startsWith(ENV_DIR_PREFIX)) {
                            created.add(name);
                        }
                    }
                    key.reset();
                }
            } finally {
                Files.deleteIfExists(sentinel);
            }
            return created;
        }

        @Override
        public void close() throws IOException {
            service.close();
        }
    }

    /** Return the throwable's message, or fail when it has none. */
    static String messageOf(Throwable t) {
        return Optional.ofNullable(t.getMessage()).orElseThrow(() -> new AssertionError("no message", t));
    }
}
