package io.github.vaultk8strust.it.soak;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.backend.local.LocalOptions;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.support.Deadline;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Soak check of the local backend's start-up under contention (not a test: it takes many minutes). Each round
 * starts {@code vaultk8s.soak.parallel} (default 6) local backends at once, checks each answers, and closes them;
 * {@code vaultk8s.soak.rounds} (default 20) rounds. Reports failures, port-conflict retries and timings, and
 * exits non-zero on any failure.
 *
 * <p>Run: {@code ./mvnw -Psoak -DskipTests -pl src-it -am verify} (writes {@code src-it/target/soak.md}).
 */
public final class PortSoak {

    private PortSoak() {
    }

    public static void main(String[] args) throws Exception {
        int parallel = Integer.getInteger("vaultk8s.soak.parallel", 6);
        int rounds = Integer.getInteger("vaultk8s.soak.rounds", 20);
        Path output = Path.of(args.length > 0 ? args[0] : "target/soak.md");
        AtomicInteger retries = new AtomicInteger();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new LineTap(err, line -> {
            if (line.contains("lost a race for its port")) {
                retries.incrementAndGet();
            }
        }), true, StandardCharsets.UTF_8));

        // The local backend alone (no trust setup): what this soak is about is starting servers side by side.
        LocalOptions options = LocalOptions.from(key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(ConfigKeys.environmentVariable(key)))));
        Map<ServerBinary, Path> binaries = ServerBinaries.resolveAll(
                EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER, ServerBinary.VAULT),
                BinarySources.fromEnvironment(options.explicitBinaries(), options.cacheDir(), options.download(),
                        options.build()),
                line -> System.err.println("[soak] " + line));
        Duration budget = Duration.ofSeconds(Integer.getInteger("vaultk8s.soak.timeout.seconds", 180));

        List<String> failures = new ArrayList<>();
        List<Long> roundMillis = new ArrayList<>();
        long maxStart = 0;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long soakStart = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            long roundStart = System.nanoTime();
            List<Future<Long>> starts = new ArrayList<>();
            List<LocalBackend> started = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < parallel; i++) {
                starts.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    LocalBackend backend = LocalBackend.start(binaries, VaultMode.INIT, Deadline.in(budget));
                    started.add(backend);
                    return (System.nanoTime() - t) / 1_000_000;
                }));
            }
            for (int i = 0; i < starts.size(); i++) {
                try {
                    maxStart = Math.max(maxStart, starts.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    String first = String.valueOf(e.getCause().getMessage()).lines().findFirst().orElse("");
                    failures.add("round " + round + ", environment " + (i + 1) + ": " + first);
                }
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (LocalBackend backend : started) {
                for (String url : List.of(backend.etcdUrl(), backend.apiServerUrl(), backend.address())) {
                    ports.merge(url.replaceAll(".*:", ""), 1, Integer::sum);
                }
            }
            ports.forEach((port, count) -> {
                if (count > 1) {
                    failures.add("port " + port + " handed to " + count + " environments at once");
                }
            });
            started.parallelStream().forEach(LocalBackend::close);
            roundMillis.add((System.nanoTime() - roundStart) / 1_000_000);
            err.printf("[soak] round %d/%d: %d environments in %d ms, %d failure(s) so far, %d port-conflict "
                    + "retries so far%n", round, rounds, parallel, roundMillis.get(roundMillis.size() - 1),
                    failures.size(), retries.get());
        }
        pool.shutdown();
        long totalSeconds = (System.nanoTime() - soakStart) / 1_000_000_000;

        StringBuilder report = new StringBuilder("# Local backend soak\n\n")
                .append("- date: ").append(OffsetDateTime.now()).append('\n')
                .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, load before: ")
                .append(Files.exists(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).trim() : "?")
                .append('\n')
                .append("- ").append(rounds).append(" rounds x ").append(parallel).append(" environments started at once = ")
                .append(rounds * parallel).append(" starts, ").append(totalSeconds).append(" s in all\n")
                .append("- failures: ").append(failures.size()).append('\n')
                .append("- port-conflict retries (detected and started again on fresh ports): ").append(retries.get())
                .append('\n')
                .append("- slowest start: ").append(maxStart).append(" ms; round times (ms): ").append(roundMillis)
                .append('\n');
        failures.forEach(f -> report.append("  - ").append(f).append('\n'));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report.toString());
        System.out.print(report);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Pass output through and hand each complete line to a listener. */
    private static final class LineTap extends OutputStream {
        private final PrintStream out;
        private final java.util.function.Consumer<String> listener;
        private final StringBuilder line = new StringBuilder();

        LineTap(PrintStream out, java.util.function.Consumer<String> listener) {
            this.out = out;
            this.listener = listener;
        }

        @Override
        public synchronized void write(int b) {
            out.write(b);
            if (b == '\n') {
                listener.accept(line.toString());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }
}
