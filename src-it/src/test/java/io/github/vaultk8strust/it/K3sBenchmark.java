package io.github.vaultk8strust.it;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.backend.k3s.K3sBackend;
import io.github.vaultk8strust.backend.k3s.K3sContainerSpec;
import io.github.vaultk8strust.backend.k3s.K3sImages;
import io.github.vaultk8strust.backend.k3s.K3sOptions;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.core.SettingsResolver;
import io.github.vaultk8strust.core.TrustSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testcontainers.k3s.K3sContainer;

/**
 * A benchmark, never a gate: the k3s backend's start-up to the first workload-pod login, and where the time goes
 * (node ready, of which side-loaded images imported; Vault ready; cluster DNS; trust set up; workload pod ready; pod
 * logged in), against a bare {@link K3sContainer} start of the same node image. Images are pulled and saved first,
 * outside the measurement (a second run of any suite finds them cached). Runs on real k3s by default, on the node
 * stand-in (a stand-in for a k3s node, not k3s) with {@code -Dvaultk8s.bench.node=standin}. Writes
 * {@code target/k3s-benchmark.md}; prints the same table.
 *
 * <pre>
 * ./mvnw -pl src-it -am test -Dtest=K3sBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dvaultk8s.benchmark=true \
 *     [-Dvaultk8s.bench.node=standin] [-Dvaultk8s.bench.k3s.runs=3]
 * </pre>
 */
public final class K3sBenchmark {

    static final String WORKLOAD_PHASE = "workload pod ready (created, scheduled, token projected)";
    static final String LOGIN_PHASE = "pod logged in (vault write auth/jwt/login in the pod)";

    private K3sBenchmark() {
    }

    /** Run the benchmark and write the report; exit code 2 without Docker. Never fails on the numbers. */
    public static void main(String[] args) {
        if (!K3sBackend.dockerAvailable()) {
            System.err.println("K3sBenchmark needs a Docker engine; Testcontainers found none.");
            System.exit(2);
        }
        run();
    }

    static boolean standin() {
        return "standin".equals(System.getProperty("vaultk8s.bench.node"));
    }

    static TrustEnvironmentBuilder builder() {
        return standin() ? NodeStandin.builder() : TrustEnvironment.builder().backend(Backend.K3S);
    }

    static String run() {
        int runs = Integer.getInteger("vaultk8s.bench.k3s.runs", 3);
        TrustSettings settings = new SettingsResolver(System::getenv, Backends.installed()).resolve(builder().request());
        K3sOptions k3s = K3sOptions.from(settings.config());

        // Warm-up, not measured: pull and save every image once, as a second run of any test suite finds them.
        K3sImages images = new K3sImages(k3s.cacheDir());
        List<String> entrypoint = K3sImages.entrypoint(images.pull(k3s.k3sImage()));
        images.pullAndSave(k3s.vaultImage());
        k3s.systemImages().forEach(images::pullAndSave);

        List<Long> bare = new ArrayList<>();
        List<Map<String, Duration>> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            try (K3sContainer node = new K3sContainerSpec(k3s.k3sImage(), List.of(), Duration.ofMinutes(3),
                    k3s.privileged()).withEntrypoint(entrypoint).newContainer()) {
                node.start();
            }
            bare.add((System.nanoTime() - t0) / 1_000_000);
            measured.add(once(settings));
        }
        String report = report(k3s, settings, bare, measured);
        System.out.println(report);
        try {
            Path out = Path.of("target", "k3s-benchmark.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report;
    }

    private static Map<String, Duration> once(TrustSettings settings) {
        Map<String, Duration> phases = new LinkedHashMap<>();
        long t1 = System.nanoTime();
        try (DefaultTrustEnvironment environment = DefaultTrustEnvironment.start(settings)) {
            phases.put("environment ready (total)", Duration.ofNanos(System.nanoTime() - t1));
            phases.putAll(environment.startupPhases());
            long t2 = System.nanoTime();
            try (Workload pod = environment.startWorkload(WorkloadSpec.seed())) {
                long t3 = System.nanoTime();
                phases.put(WORKLOAD_PHASE, Duration.ofNanos(t3 - t2));
                ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev",
                        "jwt=@/service-account/token");
                long t4 = System.nanoTime();
                if (!login.succeeded()) {
                    throw new AssertionError("the workload login failed: " + login);
                }
                phases.put(LOGIN_PHASE, Duration.ofNanos(t4 - t3));
                phases.put("first workload-pod login (total)", Duration.ofNanos(t4 - t1));
            }
        }
        return phases;
    }

    private static String report(K3sOptions k3s, TrustSettings settings, List<Long> bare,
                                 List<Map<String, Duration>> measured) {
        StringBuilder md = new StringBuilder();
        md.append("# k3s backend start-up").append(standin() ? " on the node stand-in (not k3s)" : "").append("\n\n");
        md.append("Node image ").append(k3s.k3sImage()).append(", Vault image ").append(k3s.vaultImage())
                .append(" (").append(settings.vaultMode()).append("), ")
                .append(k3s.privileged() ? "privileged" : "non-privileged").append(" node; images cached. ")
                .append(LocalDate.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average ").append(String.format("%.2f",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(" at the end, ").append(bare.size()).append(" runs (median, min-max).\n\n");
        md.append("| phase | median ms | range ms |\n|---|---:|---:|\n");
        md.append(row("bare K3sContainer start of the same image (no side-loads)", bare));
        for (String phase : measured.get(0).keySet()) {
            md.append(row(phase, measured.stream().map(m -> m.getOrDefault(phase, Duration.ZERO).toMillis())
                    .toList()));
        }
        return md.toString();
    }

    private static String row(String phase, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        return "| " + phase + " | " + median + " | " + sorted.get(0) + "-" + sorted.get(sorted.size() - 1) + " |\n";
    }

    static boolean dockerAvailable() {
        return K3sBackend.dockerAvailable();
    }

    /** The same benchmark through Maven; reports, never fails on the numbers. */
    @Test
    @EnabledIfSystemProperty(named = "vaultk8s.benchmark", matches = "true",
            disabledReason = "a benchmark: run with -Dvaultk8s.benchmark=true (see CONTRIBUTING.md)")
    @EnabledIf(value = "dockerAvailable", disabledReason = "needs a Docker engine (Testcontainers found none)")
    void benchmark() {
        run();
    }
}
