package io.github.vaultk8strust.it.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.backend.local.LocalOptions;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.core.SettingsResolver;
import io.github.vaultk8strust.core.TrustSettings;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.support.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Start-up benchmark of the local backend. Not a test: it asserts nothing about time, it measures and reports.
 *
 * <ul>
 *   <li>(a) bare servers: {@code LocalBackend.start(binaries, mode, deadline)} with the binaries already resolved, i.e.
 *       etcd, kube-apiserver and vault started until each answers its health check; then closed (close timed
 *       apart);</li>
 *   <li>(b) what a user pays: a fresh JUnit launcher ({@link EngineTestKit}) runs {@link FirstLoginFixture}, a
 *       {@code @VaultK8sTrust(backend = LOCAL)} class whose one test takes a {@code @VaultLogin} session; timed from
 *       just before {@code execute()} to the first statement of that test. The environment is closed when
 *       {@code execute()} returns; that teardown is reported apart;</li>
 *   <li>(c) per-test login cost on one started environment: {@code mintToken} + {@code login(role, jwt)}, after a
 *       warm-up; revoking ({@code close()}) is timed apart.</li>
 * </ul>
 * (a) and (b) alternate, {@value #RUNS_KEY} times (default 5). Then one extra, sampled run of (b) says where its
 * time goes (phases of {@code DefaultTrustEnvironment.start}); it is not part of the statistics.
 *
 * <p>Run with {@code ./mvnw -Pbenchmark -DskipTests -pl src-it -am verify}. The Markdown report goes to standard
 * output and to the file named by the first argument (default {@code target/benchmark.md}).
 */
public final class TrustBenchmark {

    /** Number of alternated (a)/(b) runs. */
    public static final String RUNS_KEY = "vaultk8s.bench.runs";
    /** Number of un-measured (c) iterations. */
    public static final String LOGIN_WARMUP_KEY = "vaultk8s.bench.login.warmup";
    /** Number of measured (c) iterations. */
    public static final String LOGINS_KEY = "vaultk8s.bench.logins";
    /** Sampling interval of the phase profile in ms; 0 skips the profiled run. */
    public static final String SAMPLE_MS_KEY = "vaultk8s.bench.sample.ms";

    private static final double RATIO_TARGET = 1.3;
    private static final double LOGIN_TARGET_MS = 50;
    private static final Pattern READY_LINE = Pattern.compile("environment ready in (\\d+) ms");

    private TrustBenchmark() {
    }

    /**
     * The (b) fixture: the cheapest test that still gets everything a user's first test gets, a started
     * environment and a workload login. Static nested, so Surefire's default exclude {@code **}{@code /*$*} never
     * runs it on its own.
     */
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class FirstLoginFixture {

        static volatile long enteredAt;
        static volatile long enteredAtWallMillis;

        @Test
        void firstLogin(@VaultLogin(role = VaultK8sTrust.SEED_ROLE) VaultSession session) {
            enteredAt = System.nanoTime();
            enteredAtWallMillis = System.currentTimeMillis();
            if (!session.policies().contains(VaultK8sTrust.SEED_POLICY)) {
                throw new IllegalStateException("login without the seed policy: " + session.policies());
            }
        }
    }

    record ARun(long startNanos, long closeNanos) {
    }

    record BRun(long toLoginNanos, long teardownNanos, OptionalLong environmentStartMillis) {
    }

    record LoginSample(long mintNanos, long loginNanos, long revokeNanos) {
        long mintAndLogin() {
            return mintNanos + loginNanos;
        }
    }

    record LoginResult(long environmentStartNanos, LoginSample first, List<LoginSample> measured, int warmup) {
    }

    record Profile(long toLoginNanos, long teardownNanos, int intervalMillis, Map<String, Long> beforeLogin,
                   Map<String, Long> afterLogin) {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "target/benchmark.md");
        int runs = intProperty(RUNS_KEY, 5, 1);
        int warmup = intProperty(LOGIN_WARMUP_KEY, 20, 1);
        int logins = intProperty(LOGINS_KEY, 200, 1);
        int sampleMillis = intProperty(SAMPLE_MS_KEY, 2, 0);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        StderrTap stderr = StderrTap.install();

        String date = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = loadAverage();

        TrustSettings settings = new SettingsResolver(System::getenv, Backends.installed())
                .resolve(TrustEnvironment.builder().backend(Backend.LOCAL).request());
        // Resolve the binaries once, outside every timed part, and pin them as explicit settings: (a) then only
        // checks three paths, "binaries already resolved".
        LocalOptions local = LocalOptions.from(settings.config());
        Map<ServerBinary, Path> binaries = ServerBinaries.resolveAll(
                EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER, ServerBinary.VAULT),
                BinarySources.fromEnvironment(local.explicitBinaries(), local.cacheDir(), local.download(),
                        local.build()),
                line -> System.err.println("[benchmark] " + line));
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("etcd", version(binaries.get(ServerBinary.ETCD), "--version"));
        versions.put("kube-apiserver", version(binaries.get(ServerBinary.KUBE_APISERVER), "--version"));
        versions.put("vault", version(binaries.get(ServerBinary.VAULT), "--version"));

        List<ARun> a = new ArrayList<>();
        List<BRun> b = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            a.add(runA(binaries, settings));
            say("run %d/%d (a) bare servers: %d ms", i, runs, ms(a.get(a.size() - 1).startNanos()));
            b.add(runB(stderr));
            say("run %d/%d (b) @VaultK8sTrust to first login: %d ms", i, runs, ms(b.get(b.size() - 1).toLoginNanos()));
        }

        LoginResult c = runC(settings, warmup, logins);
        say("(c) mint + login: median %.1f ms over %d", median(c.measured().stream()
                .mapToLong(LoginSample::mintAndLogin).toArray()) / 1e6, logins);

        Profile profile = null;
        if (sampleMillis > 0) {
            profile = profiledB(stderr, sampleMillis);
            say("profiled (b): %d ms to first login", ms(profile.toLoginNanos()));
        }

        String leftovers = leftovers(tmp);
        String report = report(date, loadBefore, loadAverage(), versions, runs, a, b, c, profile, leftovers);
        System.out.println();
        System.out.println(report);
        System.out.flush();
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report, StandardCharsets.UTF_8);
        say("report written to %s", output.toAbsolutePath());
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("The benchmark left something behind: " + leftovers);
        }
    }

    // (a) ---------------------------------------------------------------------------------------------------------

    private static ARun runA(Map<ServerBinary, Path> binaries, TrustSettings settings) {
        long t0 = System.nanoTime();
        LocalBackend backend = LocalBackend.start(binaries, settings.vaultMode(), Deadline.in(settings.startupTimeout()));
        long t1 = System.nanoTime();
        backend.close();
        long t2 = System.nanoTime();
        return new ARun(t1 - t0, t2 - t1);
    }

    // (b) ---------------------------------------------------------------------------------------------------------

    private static BRun runB(StderrTap stderr) {
        FirstLoginFixture.enteredAt = 0;
        stderr.clear();
        long t0 = System.nanoTime();
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(FirstLoginFixture.class))
                .execute();
        long t1 = System.nanoTime();
        requireOneSuccess(results);
        long entered = FirstLoginFixture.enteredAt;
        return new BRun(entered - t0, t1 - entered, environmentReadyMillis(stderr.text()));
    }

    private static Profile profiledB(StderrTap stderr, int intervalMillis) {
        FirstLoginFixture.enteredAt = 0;
        stderr.clear();
        PhaseSampler sampler = PhaseSampler.start(Thread.currentThread(), intervalMillis);
        long t0 = System.nanoTime();
        EngineExecutionResults results;
        long t1;
        try {
            results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FirstLoginFixture.class)).execute();
            t1 = System.nanoTime();
        } finally {
            sampler.close();
        }
        requireOneSuccess(results);
        long entered = FirstLoginFixture.enteredAt;
        return new Profile(entered - t0, t1 - entered, intervalMillis, sampler.phases(t0, entered),
                sampler.phases(entered, t1));
    }

    private static void requireOneSuccess(EngineExecutionResults results) {
        long succeeded = results.testEvents().succeeded().count();
        if (succeeded == 1 && FirstLoginFixture.enteredAt != 0) {
            return;
        }
        IllegalStateException failure = new IllegalStateException("The (b) fixture did not pass: "
                + succeeded + " test(s) succeeded; see the cause below.");
        results.allEvents().executions().failed().stream()
                .map(e -> e.getTerminationInfo().getExecutionResult().getThrowable())
                .flatMap(Optional::stream)
                .forEach(failure::addSuppressed);
        throw failure;
    }

    private static OptionalLong environmentReadyMillis(String log) {
        Matcher m = READY_LINE.matcher(log);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    // (c) ---------------------------------------------------------------------------------------------------------

    private static LoginResult runC(TrustSettings settings, int warmup, int logins) {
        RoleSpec role = settings.role(VaultK8sTrust.SEED_ROLE).orElseThrow();
        ServiceAccountSpec account = role.boundServiceAccount().orElseThrow();
        String audience = role.boundAudiences().get(0);
        long t0 = System.nanoTime();
        DefaultTrustEnvironment environment = DefaultTrustEnvironment.start(settings);
        long started = System.nanoTime() - t0;
        try {
            LoginSample first = null;
            List<LoginSample> measured = new ArrayList<>(logins);
            for (int i = 0; i < warmup + logins; i++) {
                LoginSample sample = login(environment, role.name(), account, audience);
                if (i == 0) {
                    first = sample;
                }
                if (i >= warmup) {
                    measured.add(sample);
                }
            }
            return new LoginResult(started, first, measured, warmup);
        } finally {
            environment.close();
        }
    }

    private static LoginSample login(DefaultTrustEnvironment environment, String role, ServiceAccountSpec account,
                                     String audience) {
        long t0 = System.nanoTime();
        ServiceAccountJwt jwt = environment.mintToken(account.namespace(), account.name(), audience);
        long t1 = System.nanoTime();
        VaultSession session = environment.login(role, jwt.raw());
        long t2 = System.nanoTime();
        session.close();
        long t3 = System.nanoTime();
        return new LoginSample(t1 - t0, t2 - t1, t3 - t2);
    }

    // Report ------------------------------------------------------------------------------------------------------

    private static String report(String date, String loadBefore, String loadAfter, Map<String, String> versions,
                                 int runs, List<ARun> a, List<BRun> b, LoginResult c, Profile profile,
                                 String leftovers) {
        long[] aStart = a.stream().mapToLong(ARun::startNanos).toArray();
        long[] bLogin = b.stream().mapToLong(BRun::toLoginNanos).toArray();
        double ratio = median(bLogin) / median(aStart);
        long[] cTotal = c.measured().stream().mapToLong(LoginSample::mintAndLogin).toArray();
        long[] cMint = c.measured().stream().mapToLong(LoginSample::mintNanos).toArray();
        long[] cLogin = c.measured().stream().mapToLong(LoginSample::loginNanos).toArray();
        long[] cRevoke = c.measured().stream().mapToLong(LoginSample::revokeNanos).toArray();

        StringBuilder md = new StringBuilder();
        md.append("### Start-up benchmark, local backend\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| Date | ").append(date).append(" |\n");
        md.append("| nproc | ").append(nproc()).append(" |\n");
        md.append("| CPU | ").append(cpuModel()).append(" |\n");
        md.append("| JDK | ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append(") |\n");
        versions.forEach((name, v) -> md.append("| ").append(name).append(" | ").append(v).append(" |\n"));
        md.append("| Load average (1, 5, 15 min) at start / end | ").append(loadBefore).append(" / ")
                .append(loadAfter).append(" |\n");
        md.append("| Runs | (a) and (b) alternated ").append(runs).append(" times; (c) ").append(c.warmup())
                .append(" warm-up + ").append(c.measured().size()).append(" measured logins |\n\n");

        md.append("| Measurement | median | min | max | target |\n|---|---:|---:|---:|---|\n");
        md.append("| (a) etcd + kube-apiserver + vault started and healthy | ").append(fmtMs(median(aStart)))
                .append(" | ").append(fmtMs(min(aStart))).append(" | ").append(fmtMs(max(aStart))).append(" | |\n");
        md.append("| (b) `@VaultK8sTrust` start to first workload login | ").append(fmtMs(median(bLogin)))
                .append(" | ").append(fmtMs(min(bLogin))).append(" | ").append(fmtMs(max(bLogin))).append(" | |\n");
        md.append("| median(b) / median(a) | ").append(String.format(Locale.ROOT, "%.2f", ratio))
                .append(" | | | ≤ ").append(RATIO_TARGET).append(ratio <= RATIO_TARGET ? ": met" : ": **missed**")
                .append(" |\n\n");

        md.append("| (c) per test, one started environment | median | p90 | max | target |\n|---|---:|---:|---:|---|\n");
        md.append(loginRow("mint token + login", cTotal,
                "≤ " + (int) LOGIN_TARGET_MS + " ms" + (median(cTotal) / 1e6 <= LOGIN_TARGET_MS ? ": met" : ": **missed**")));
        md.append(loginRow("of which mint (TokenRequest)", cMint, ""));
        md.append(loginRow("of which login (auth/jwt/login)", cLogin, ""));
        md.append(loginRow("revoke (session close(), not in the above)", cRevoke, ""));
        md.append("\n");

        md.append("Per run (ms):\n\n");
        md.append("| run | (a) start | (a) close | (b) to first login | (b): DefaultTrustEnvironment.start "
                + "(its own log line) | (b): rest (JUnit, extension, first login) | (b) teardown after the test "
                + "|\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < runs; i++) {
            BRun bi = b.get(i);
            String start = bi.environmentStartMillis().isPresent()
                    ? String.valueOf(bi.environmentStartMillis().getAsLong()) : "n/a";
            String rest = bi.environmentStartMillis().isPresent()
                    ? String.valueOf(ms(bi.toLoginNanos()) - bi.environmentStartMillis().getAsLong()) : "n/a";
            md.append("| ").append(i + 1).append(" | ").append(ms(a.get(i).startNanos())).append(" | ")
                    .append(ms(a.get(i).closeNanos())).append(" | ").append(ms(bi.toLoginNanos())).append(" | ")
                    .append(start).append(" | ").append(rest).append(" | ").append(ms(bi.teardownNanos()))
                    .append(" |\n");
        }
        md.append("\nRun 1 is the only one with a cold JVM (class loading, JIT), as a user's first test class "
                + "is; later runs reuse the loaded classes.\n\n");
        md.append("Also measured: `DefaultTrustEnvironment.start` called directly (no JUnit), once: ")
                .append(ms(c.environmentStartNanos())).append(" ms; the first mint + login on that fresh "
                        + "environment: ").append(fmtMs(c.first().mintAndLogin())).append(" (mint ")
                .append(fmtMs(c.first().mintNanos())).append(", login ").append(fmtMs(c.first().loginNanos()))
                .append(").\n\n");

        if (profile != null) {
            md.append("Where (b) spends its time: one extra run of (b), its thread sampled every ")
                    .append(profile.intervalMillis()).append(" ms (sampling slows it a little; not in the "
                            + "statistics above). To the first login: ").append(ms(profile.toLoginNanos()))
                    .append(" ms; teardown after it: ").append(ms(profile.teardownNanos())).append(" ms.\n\n");
            md.append("| phase, until the test starts | ms | share |\n|---|---:|---:|\n");
            Map<String, Long> phases = profile.beforeLogin();
            for (Map.Entry<String, Long> e : phases.entrySet()) {
                md.append("| ").append(e.getKey()).append(" | ").append(ms(e.getValue())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f %%", 100.0 * e.getValue() / profile.toLoginNanos()))
                        .append(" |\n");
            }
            md.append("\n| phase, after the test (teardown, not in (b)) | ms |\n|---|---:|\n");
            profile.afterLogin().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(ms(v))
                    .append(" |\n"));
            md.append('\n');
        }
        md.append("Clean-up check: ").append(leftovers.isEmpty()
                ? "no server process and no environment directory left behind." : "**" + leftovers + "**").append('\n');
        return md.toString();
    }

    private static String loginRow(String what, long[] nanos, String target) {
        return "| " + what + " | " + fmtMs(median(nanos)) + " | " + fmtMs(percentile(nanos, 0.90)) + " | "
                + fmtMs(max(nanos)) + " | " + target + " |\n";
    }

    // Statistics --------------------------------------------------------------------------------------------------

    static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /** Nearest-rank percentile. */
    static double percentile(long[] values, double p) {
        long[] s = values.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    private static double min(long[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(long[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static String fmtMs(double nanos) {
        double millis = nanos / 1e6;
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f ms", millis)
                : String.format(Locale.ROOT, "%.1f ms", millis);
    }

    // Machine -----------------------------------------------------------------------------------------------------

    private static String nproc() {
        String out = command(List.of("nproc"));
        return out.isEmpty() ? Runtime.getRuntime().availableProcessors() + " (JVM)" : out;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String version(Path binary, String flag) {
        String out = command(List.of(binary.toString(), flag));
        return out.isEmpty() ? "unknown" : out.lines().map(String::strip).filter(l -> !l.isEmpty())
                .limit(binary.getFileName().toString().equals("etcd") ? 3 : 1).collect(Collectors.joining(", "));
    }

    private static String command(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Describe server processes or environment directories still there; empty when clean. */
    private static String leftovers(Path tmp) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().command().orElse("?")).toList();
        if (!children.isEmpty()) {
            problems.add("processes still running: " + children);
        }
        try (Stream<Path> entries = Files.list(tmp)) {
            List<String> dirs = entries.filter(p -> p.getFileName().toString().startsWith("vault-k8s-trust-"))
                    .map(Path::toString).toList();
            if (!dirs.isEmpty()) {
                problems.add("environment directories still in " + tmp + ": " + dirs);
            }
        }
        return String.join("; ", problems);
    }

    private static int intProperty(String key, int defaultValue, int minimum) {
        String value = System.getProperty(key, "").strip();
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < minimum) {
                throw new IllegalArgumentException(key + "=" + value + ": must be at least " + minimum);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + ": not a whole number", e);
        }
    }

    private static void say(String format, Object... args) {
        System.err.println("[benchmark] " + String.format(Locale.ROOT, format, args));
    }

    /**
     * Standard error, copied into a buffer: the extension prints "environment ready in N ms" there, which splits
     * each (b) run into {@code DefaultTrustEnvironment.start} and the rest without slowing it down.
     */
    static final class StderrTap extends OutputStream {

        private final PrintStream original;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        private StderrTap(PrintStream original) {
            this.original = original;
        }

        static StderrTap install() {
            StderrTap tap = new StderrTap(System.err);
            System.setErr(new PrintStream(tap, true, StandardCharsets.UTF_8));
            return tap;
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            copy.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            original.flush();
        }

        synchronized void clear() {
            copy.reset();
        }

        synchronized String text() {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }
}
