package io.github.vaultk8strust.it.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.backend.local.LocalOptions;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.SettingsResolver;
import io.github.vaultk8strust.core.TrustSettings;
import io.github.vaultk8strust.support.Deadline;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Start-up as users meet it: every repetition is a fresh JVM, as a user's {@code mvn test} is. (a) times a bare start
 * of etcd + kube-apiserver + vault (binaries already cached) from the child JVM's start; (b) times a JUnit run of a
 * {@code @VaultK8sTrust} class from the child JVM's start to the first line of a test holding a {@code @VaultLogin}
 * session. Each pair runs back to back, alternating which goes first, and the report gives the paired ratios b/a and
 * the servers' resident memory. A benchmark, not a test: nothing asserts a duration.
 *
 * <p>Run: {@code ./mvnw -Pbenchmark -DskipTests -pl src-it -am verify} (report: {@code src-it/target/benchmark-fresh-jvm.md}).
 */
public final class FreshJvmBenchmark {

    private FreshJvmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child-a")) {
            childA();
            return;
        }
        if (args.length > 0 && args[0].equals("--child-b")) {
            childB();
            return;
        }
        Path output = Path.of(args.length > 0 ? args[0] : "target/benchmark-fresh-jvm.md");
        int runs = Integer.getInteger("vaultk8s.bench.runs", 5);
        List<double[]> pairs = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            boolean aFirst = i % 2 == 0;
            long[] a = null;
            long[] b = null;
            for (int k = 0; k < 2; k++) {
                if ((k == 0) == aFirst) {
                    a = child("--child-a");
                } else {
                    b = child("--child-b");
                }
            }
            pairs.add(new double[] {a[0] / 1e6, b[0] / 1e6});
            rss.add(a[1]);
            System.err.printf(Locale.ROOT, "[benchmark] run %d/%d: (a) %.0f ms, (b) %.0f ms, b/a %.2f, servers %d MiB%n",
                    i + 1, runs, a[0] / 1e6, b[0] / 1e6, (double) b[0] / a[0], a[1] / 1024);
        }
        double[] as = pairs.stream().mapToDouble(p -> p[0]).sorted().toArray();
        double[] bs = pairs.stream().mapToDouble(p -> p[1]).sorted().toArray();
        double[] ratios = pairs.stream().mapToDouble(p -> p[1] / p[0]).sorted().toArray();
        long[] mem = rss.stream().mapToLong(Long::longValue).sorted().toArray();
        String report = String.format(Locale.ROOT, """
                # Start-up with a fresh JVM per repetition

                %s, %d pairs, %d cores, %s, load average before: %s

                | measurement | median | min | max |
                |---|---:|---:|---:|
                | (a) fresh JVM → etcd + kube-apiserver + vault healthy | %.0f ms | %.0f ms | %.0f ms |
                | (b) fresh JVM → first line of a test with a `@VaultLogin` session | %.0f ms | %.0f ms | %.0f ms |
                | paired ratio b/a | %.2f | %.2f | %.2f |
                | servers' resident memory (etcd + kube-apiserver + vault) | %d MiB | %d MiB | %d MiB |

                Pairs (ms): %s
                """, LocalDate.now(), runs, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), loadAverage(),
                median(as), as[0], as[as.length - 1], median(bs), bs[0], bs[bs.length - 1],
                median(ratios), ratios[0], ratios[ratios.length - 1],
                mem[mem.length / 2] / 1024, mem[0] / 1024, mem[mem.length - 1] / 1024,
                pairs.stream().map(p -> String.format(Locale.ROOT, "(%.0f, %.0f)", p[0], p[1]))
                        .collect(Collectors.joining(" ")));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.out.println(report);
    }

    /** Run one child JVM and return its two numbers: nanoseconds and (for a) the servers' RSS in KiB. */
    private static long[] child(String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", System.getProperty("java.class.path"),
                FreshJvmBenchmark.class.getName(), mode));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(mode + " failed: " + out);
        }
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(mode + " printed no RESULT: " + out));
        return Arrays.stream(line.substring(7).trim().split(" ")).mapToLong(Long::parseLong).toArray();
    }

    private static long sinceJvmStart() {
        long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        return (System.currentTimeMillis() - startMillis) * 1_000_000L;
    }

    private static void childA() {
        TrustSettings settings = new SettingsResolver(System::getenv, Backends.installed())
                .resolve(TrustEnvironment.builder().backend(Backend.LOCAL).request());
        LocalOptions local = LocalOptions.from(settings.config());
        Map<ServerBinary, Path> binaries = ServerBinaries.resolveAll(
                EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER, ServerBinary.VAULT),
                BinarySources.fromEnvironment(local.explicitBinaries(), local.cacheDir(), local.download(), local.build()),
                line -> { });
        LocalBackend backend = LocalBackend.start(binaries, VaultMode.INIT, Deadline.in(settings.startupTimeout()));
        long elapsed = sinceJvmStart();
        long rssKib = ProcessHandle.current().descendants().mapToLong(FreshJvmBenchmark::rssKib).sum();
        backend.close();
        System.out.println("RESULT " + elapsed + " " + rssKib);
    }

    private static void childB() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(TrustBenchmark.FirstLoginFixture.class)).execute();
        if (results.testEvents().succeeded().count() != 1) {
            throw new IllegalStateException("the first-login fixture did not pass: " + results.testEvents().list());
        }
        long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        long toLogin = TrustBenchmark.FirstLoginFixture.enteredAtWallMillis - startMillis;
        System.out.println("RESULT " + toLogin * 1_000_000L + " 0");
    }

    private static long rssKib(ProcessHandle process) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
