package io.github.vaultk8strust.bench;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark of the local backend, one run, one report ({@code benchmark.md} in the directory given): start-up
 * from a fresh JVM against fabric8 kube-api-test's on the same binaries, where that start-up goes, the servers'
 * memory, the per-test cost of a token and a login, ten classes against one, and {@code kubernetes} beside
 * {@code jwt}. Not a test: nothing asserts a duration; it fails only when what it measures fails or leaves a server
 * process or an environment directory behind. Run with {@code ./mvnw -Pbenchmark -DskipTests -pl benchmarks -am
 * verify}; see benchmarks/README.md.
 */
public final class EnvironmentBenchmark {

    static final double STARTUP_TARGET = 0.9;
    static final long MEMORY_TARGET_MIB = 330;
    static final double LOGIN_TARGET_MS = 8;
    static final double CLASSES_TARGET = 1.1;

    private EnvironmentBenchmark() {
    }

    /** One child JVM's answer: its {@code RESULT} values (wall-clock ms) and {@code PHASE} lines (ms by name). */
    record ChildRun(Map<String, Long> values, Map<String, Long> phases) {
        long get(String key) {
            return values.get(key);
        }
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "target").toAbsolutePath();
        int runs = Integer.getInteger("vaultk8s.bench.runs", 7);
        int warmup = Integer.getInteger("vaultk8s.bench.login.warmup", 20);
        int logins = Integer.getInteger("vaultk8s.bench.logins", 200);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Files.createDirectories(tmp);
        String loadAtStart = Stats.loadAverage();
        String date = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString();

        TrustSettings settings = new SettingsResolver(System::getenv, Backends.installed())
                .resolve(TrustEnvironment.builder().backend(Backend.LOCAL).request());
        LocalOptions local = LocalOptions.from(settings.config());
        Map<ServerBinary, Path> binaries = ServerBinaries.resolveAll(
                EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER, ServerBinary.VAULT),
                BinarySources.fromEnvironment(local.explicitBinaries(), local.cacheDir(), local.download(),
                        local.build()), line -> System.err.println("[benchmark] " + line));
        Path peerDir = PeerSetup.testDirectory(target.resolve("kube-api-test"), binaries.get(ServerBinary.ETCD),
                binaries.get(ServerBinary.KUBE_APISERVER));

        StringBuilder md = new StringBuilder();
        md.append("# Benchmark: local backend, one run\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(date).append(" |\n");
        md.append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpuModel()).append("), ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        md.append("| etcd | ").append(version(binaries.get(ServerBinary.ETCD), "--version")).append(" |\n");
        md.append("| kube-apiserver | ").append(version(binaries.get(ServerBinary.KUBE_APISERVER), "--version"))
                .append(" |\n");
        md.append("| vault | ").append(version(binaries.get(ServerBinary.VAULT), "version")).append(" |\n");
        md.append("| peer | fabric8 kube-api-test 7.4.0, on the same etcd and kube-apiserver binaries |\n");
        md.append("| load average (1, 5, 15 min) at start | ").append(loadAtStart).append(" |\n");

        // Start-up ------------------------------------------------------------------------------------------------
        say("warm-up: one fresh JVM of each (not measured: first stamps, the peer's certificates, the page cache)");
        child("ours", peerDir, target);
        child("peer", peerDir, target);
        List<ChildRun> ours = new ArrayList<>();
        List<ChildRun> peer = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            boolean oursFirst = i % 2 == 0;
            for (int k = 0; k < 2; k++) {
                if ((k == 0) == oursFirst) {
                    ours.add(child("ours", peerDir, target));
                } else {
                    peer.add(child("peer", peerDir, target));
                }
            }
            say("start-up pair %d/%d: ours %d ms, peer %d ms", i + 1, runs, toFirstLine(ours.get(i)),
                    toFirstCall(peer.get(i)));
        }
        String loadAfterStartup = Stats.loadAverage();

        // Memory and the per-test login -----------------------------------------------------------------------------
        say("memory and %d logins on one environment", logins);
        MemoryAndLogins memory = MemoryAndLogins.measure(settings, warmup, logins);
        String loadAfterLogins = Stats.loadAverage();
        say("memory floor: the same environment with every server's heap collected down to its live data");
        MemoryAndLogins floor = MemoryAndLogins.measure(memoryFloorSettings(binaries, target.resolve("memory-floor")),
                warmup, warmup);

        // Ten classes against one -------------------------------------------------------------------------------------
        List<double[]> classPairs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ChildRun one = null;
            ChildRun ten = null;
            for (int k = 0; k < 2; k++) {
                if ((k == 0) == (i % 2 == 0)) {
                    one = child("classes1", peerDir, target);
                } else {
                    ten = child("classes10", peerDir, target);
                }
            }
            if (ten.get("environments") != 1) {
                throw new IllegalStateException("ten classes started " + ten.get("environments") + " environments");
            }
            classPairs.add(new double[] {one.get("end") - one.get("jvm"), ten.get("end") - ten.get("jvm")});
            say("classes pair %d/%d: one %d ms, ten %d ms", i + 1, runs, one.get("end") - one.get("jvm"),
                    ten.get("end") - ten.get("jvm"));
        }
        String loadAfterClasses = Stats.loadAverage();

        say("kubernetes beside jwt");
        String kubernetes = KubernetesLoginBenchmark.measure(Math.max(3, runs / 2), warmup, logins);

        appendStartup(md, runs, ours, peer, loadAfterStartup);
        memory.appendTo(md, loadAfterLogins, floor);
        appendClasses(md, classPairs, loadAfterClasses);
        md.append('\n').append(kubernetes);

        String leftovers = leftovers(tmp);
        md.append("\nLoad average (1, 5, 15 min) at the end: ").append(Stats.loadAverage()).append(". Clean-up check: ")
                .append(leftovers.isEmpty() ? "no server process and no environment directory left behind."
                        : "**" + leftovers + "**").append('\n');
        Path report = target.resolve("benchmark.md");
        Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        say("report written to %s", report);
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("The benchmark left something behind: " + leftovers);
        }
    }

    /**
     * Settings for the memory floor: the default environment on the same binaries, each started through a wrapper
     * script that sets {@code GOMEMLIMIT=1MiB}. Go's collector then runs whenever the heap grows and its scavenger
     * returns freed pages at once, so each server holds little more than its live data and the pages of its binary
     * it touched: what no setting of the Go runtime can go below. Not a setting to use (every start takes seconds
     * longer); a measurement of how far configuration can go.
     */
    static TrustSettings memoryFloorSettings(Map<ServerBinary, Path> binaries, Path dir) throws IOException {
        Files.createDirectories(dir);
        TrustEnvironmentBuilder builder = TrustEnvironment.builder().backend(Backend.LOCAL);
        for (Map.Entry<ServerBinary, Path> binary : binaries.entrySet()) {
            Path wrapper = dir.resolve(binary.getKey().id());
            Files.writeString(wrapper, "#!/bin/sh\nGOMEMLIMIT=1MiB exec '" + binary.getValue().toAbsolutePath()
                    + "' \"$@\"\n", StandardCharsets.UTF_8);
            if (!wrapper.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + wrapper + " executable");
            }
            builder.setting(binary.getKey().settingKey(), wrapper.toString());
        }
        return new SettingsResolver(System::getenv, Backends.installed()).resolve(builder.request());
    }

    static long toFirstLine(ChildRun run) {
        return run.get("firstLine") - run.get("jvm");
    }

    static long toFirstCall(ChildRun run) {
        return run.get("firstCall") - run.get("jvm");
    }

    private static void appendStartup(StringBuilder md, int runs, List<ChildRun> ours, List<ChildRun> peer,
                                      String load) {
        double[] oursMs = ours.stream().mapToDouble(EnvironmentBenchmark::toFirstLine).toArray();
        double[] peerMs = peer.stream().mapToDouble(EnvironmentBenchmark::toFirstCall).toArray();
        double[] ratios = new double[runs];
        for (int i = 0; i < runs; i++) {
            ratios[i] = oursMs[i] / peerMs[i];
        }
        double ratio = Stats.median(ratios);
        md.append("\n## Start-up from a fresh JVM, against fabric8 kube-api-test\n\n");
        md.append(runs).append(" pairs, each a fresh JVM of ours and one of the peer's, back to back in alternating "
                + "order, both through the JUnit launcher, timed from the JVM's own start; load average after: ")
                .append(load).append(".\n\n");
        md.append("| measurement | median | min | max | target |\n|---|---:|---:|---:|---|\n");
        md.append(String.format(Locale.ROOT, "| ours: fresh JVM → first line of a test holding a `@VaultLogin` "
                + "session | %.0f ms | %.0f ms | %.0f ms | |%n", Stats.median(oursMs), Stats.min(oursMs),
                Stats.max(oursMs)));
        md.append(String.format(Locale.ROOT, "| peer: fresh JVM → its test's first API call answered | %.0f ms | "
                + "%.0f ms | %.0f ms | |%n", Stats.median(peerMs), Stats.min(peerMs), Stats.max(peerMs)));
        md.append(String.format(Locale.ROOT, "| paired ratio ours / peer | %.2f | %.2f | %.2f | ≤ %.1f: %s |%n", ratio,
                Stats.min(ratios), Stats.max(ratios), STARTUP_TARGET, ratio <= STARTUP_TARGET ? "met" : "**missed**"));
        md.append("\nPairs (ours, peer) in ms: ").append(java.util.stream.IntStream.range(0, runs)
                .mapToObj(i -> String.format(Locale.ROOT, "(%.0f, %.0f)", oursMs[i], peerMs[i]))
                .collect(Collectors.joining(" "))).append("\n");

        md.append("\nWhere ours goes (medians of the ").append(runs).append(" runs; the servers boot in parallel, so "
                + "their rows overlap; kube-apiserver's own boot to `/readyz` is the floor of any start on these "
                + "binaries):\n\n");
        md.append("| ours, phase | median |\n|---|---:|\n");
        Map<String, ToDoubleFunction<ChildRun>> rows = new LinkedHashMap<>();
        rows.put("JVM start → `main` (JVM boot)", r -> r.get("main") - r.get("jvm"));
        rows.put("`main` → environment start begins (JUnit launcher, discovery, extension, settings)",
                r -> r.get("ready") - r.get("environmentStart") - r.get("main"));
        rows.put("environment start, all of it (the extension's `environment ready in N ms`)",
                r -> r.get("environmentStart"));
        Map<String, Long> firstPhases = ours.get(0).phases();
        for (String phase : firstPhases.keySet()) {
            rows.put("… " + phase, r -> r.phases().getOrDefault(phase, 0L));
        }
        rows.put("environment ready → first line of the test (first `@VaultLogin`: mint + login)",
                r -> r.get("firstLine") - r.get("ready"));
        rows.forEach((name, f) -> md.append(String.format(Locale.ROOT, "| %s | %.0f ms |%n", name,
                Stats.median(ours.stream().mapToDouble(f).toArray()))));
        md.append("\n| peer, phase | median |\n|---|---:|\n");
        md.append(String.format(Locale.ROOT, "| JVM start → `main` (JVM boot) | %.0f ms |%n",
                Stats.median(peer.stream().mapToDouble(r -> r.get("main") - r.get("jvm")).toArray())));
        md.append(String.format(Locale.ROOT, "| `main` → first line of the test (JUnit, etcd, kube-apiserver, "
                        + "its `kubectl get ns default` readiness check every 200 ms) | %.0f ms |%n",
                Stats.median(peer.stream().mapToDouble(r -> r.get("firstLine") - r.get("main")).toArray())));
        md.append(String.format(Locale.ROOT, "| first line → first API call answered (fabric8 client built) | %.0f ms "
                + "|%n", Stats.median(peer.stream().mapToDouble(r -> r.get("firstCall") - r.get("firstLine")).toArray())));
    }

    private static void appendClasses(StringBuilder md, List<double[]> pairs, String load) {
        double[] ratios = pairs.stream().mapToDouble(p -> p[1] / p[0]).toArray();
        double ratio = Stats.median(ratios);
        md.append("\n## Ten classes sharing one environment, against one class\n\n");
        md.append(pairs.size()).append(" pairs of fresh JVMs, alternating order: one runs one `@VaultK8sTrust` class, "
                + "the other ten classes with the same settings (one environment, checked), each class one "
                + "`@VaultLogin` test; timed from the JVM's start to the end of the JUnit run (environment closed); "
                + "load average after: ").append(load).append(".\n\n");
        md.append("| measurement | median | min | max | target |\n|---|---:|---:|---:|---|\n");
        double[] one = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] ten = pairs.stream().mapToDouble(p -> p[1]).toArray();
        md.append(String.format(Locale.ROOT, "| one class | %.0f ms | %.0f ms | %.0f ms | |%n", Stats.median(one),
                Stats.min(one), Stats.max(one)));
        md.append(String.format(Locale.ROOT, "| ten classes | %.0f ms | %.0f ms | %.0f ms | |%n", Stats.median(ten),
                Stats.min(ten), Stats.max(ten)));
        md.append(String.format(Locale.ROOT, "| paired ratio ten / one | %.2f | %.2f | %.2f | ≤ %.1f: %s |%n", ratio,
                Stats.min(ratios), Stats.max(ratios), CLASSES_TARGET, ratio <= CLASSES_TARGET ? "met" : "**missed**"));
    }

    /** Run one child JVM (stderr to a log in {@code target}) and parse its answer. */
    private static ChildRun child(String mode, Path peerDir, Path target) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), mode);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(target.resolve("bench-children.log").toFile()));
        builder.environment().put("KUBE_API_TEST_DIR", peerDir.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(mode + " failed (see " + target.resolve("bench-children.log") + "): "
                    + out);
        }
        Map<String, Long> values = new LinkedHashMap<>();
        Map<String, Long> phases = new LinkedHashMap<>();
        out.lines().forEach(line -> {
            if (line.startsWith("RESULT ")) {
                String[] kv = line.substring(7).split("=", 2);
                values.put(kv[0], Long.parseLong(kv[1]));
            } else if (line.startsWith("PHASE ")) {
                String[] p = line.substring(6).split(" ", 2);
                phases.put(p[1], Long.parseLong(p[0]));
            }
        });
        if (values.isEmpty()) {
            throw new IllegalStateException(mode + " printed no RESULT: " + out);
        }
        return new ChildRun(values, phases);
    }

    /** The per-test cost and the servers' memory on one environment started in this JVM. */
    record MemoryAndLogins(Map<String, long[]> atReady, Map<String, long[]> afterLogins, long[] mint, long[] login,
                           long[] revoke, int logins) {

        static MemoryAndLogins measure(TrustSettings settings, int warmup, int logins) {
            RoleSpec role = settings.role(VaultK8sTrust.SEED_ROLE).orElseThrow();
            ServiceAccountSpec account = role.boundServiceAccount().orElseThrow();
            String audience = role.boundAudiences().get(0);
            try (DefaultTrustEnvironment environment = DefaultTrustEnvironment.start(settings)) {
                LocalBackend backend = (LocalBackend) environment.runningBackend();
                Map<String, long[]> atReady = memory(backend);
                long[] mint = new long[logins];
                long[] login = new long[logins];
                long[] revoke = new long[logins];
                for (int i = 0; i < warmup + logins; i++) {
                    long t0 = System.nanoTime();
                    ServiceAccountJwt jwt = environment.mintToken(account.namespace(), account.name(), audience);
                    long t1 = System.nanoTime();
                    VaultSession session = environment.login(role.name(), jwt.raw());
                    long t2 = System.nanoTime();
                    session.close();
                    long t3 = System.nanoTime();
                    if (i >= warmup) {
                        mint[i - warmup] = t1 - t0;
                        login[i - warmup] = t2 - t1;
                        revoke[i - warmup] = t3 - t2;
                    }
                }
                return new MemoryAndLogins(atReady, memory(backend), mint, login, revoke, logins);
            }
        }

        /** Resident memory of each server in KiB: {VmRSS, RssAnon, RssFile}. */
        private static Map<String, long[]> memory(LocalBackend backend) {
            Map<String, long[]> memory = new LinkedHashMap<>();
            backend.serverPids().forEach((name, pid) -> memory.put(name, status(pid)));
            return memory;
        }

        private static long[] status(long pid) {
            try {
                Map<String, Long> fields = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                        .filter(l -> l.startsWith("VmRSS:") || l.startsWith("RssAnon:") || l.startsWith("RssFile:"))
                        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')),
                                l -> Long.parseLong(l.replaceAll("\\D", ""))));
                return new long[] {fields.get("VmRSS"), fields.get("RssAnon"), fields.get("RssFile")};
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the memory of process " + pid, e);
            }
        }

        void appendTo(StringBuilder md, String load, MemoryAndLogins floor) {
            long[] total = new long[logins];
            for (int i = 0; i < logins; i++) {
                total[i] = mint[i] + login[i];
            }
            double median = Stats.median(total);
            md.append("\n## Per test: a token and a login, on one started environment\n\n");
            md.append(logins).append(" measured iterations after a warm-up, in one JVM: `mintToken` (TokenRequest) "
                    + "then `login(role, jwt)`, then the session's `close()` (revoke, timed apart); load average "
                    + "after: ").append(load).append(".\n\n");
            md.append("| per test | median | p90 | max | target |\n|---|---:|---:|---:|---|\n");
            md.append(row("mint + login", total, "≤ " + (int) LOGIN_TARGET_MS + " ms: "
                    + (median / 1e6 <= LOGIN_TARGET_MS ? "met" : "**missed**")));
            md.append(row("of which mint (TokenRequest)", mint, ""));
            md.append(row("of which login (auth/jwt/login)", login, ""));
            md.append(row("revoke (session close(), not in the above)", revoke, ""));

            md.append("\n## Memory of one environment\n\n");
            md.append("Resident memory (`VmRSS`) of each server of the environment above, once it was ready and "
                    + "after its ").append(logins + "").append(" logins; in brackets the anonymous part (heaps, "
                    + "`RssAnon`) and the part mapped from the binary (`RssFile`: shared with every other process "
                    + "running the same binary, and given back by the kernel under pressure).\n\n");
            md.append("| server | once ready | after the logins |\n|---|---:|---:|\n");
            long readyTotal = 0;
            long afterTotal = 0;
            long readyAnon = 0;
            long afterAnon = 0;
            for (String server : atReady.keySet()) {
                long[] r = atReady.get(server);
                long[] a = afterLogins.get(server);
                readyTotal += r[0];
                afterTotal += a[0];
                readyAnon += r[1];
                afterAnon += a[1];
                md.append("| ").append(server).append(" | ").append(mib(r)).append(" | ").append(mib(a)).append(" |\n");
            }
            long worst = Math.max(readyTotal, afterTotal) / 1024;
            md.append(String.format(Locale.ROOT, "| all servers | %d MiB (anonymous %d MiB) | %d MiB (anonymous %d "
                    + "MiB) |%n", readyTotal / 1024, readyAnon / 1024, afterTotal / 1024, afterAnon / 1024));

            md.append("\nThe floor of these binaries: the same environment with every server started under "
                    + "`GOMEMLIMIT=1MiB`, so that Go collects whenever a heap grows and returns freed pages at once; "
                    + "each server then holds little more than its live data and the pages of its binary it touched. "
                    + "No setting of the Go runtime goes below this; what the default environment holds above it is "
                    + "the headroom Go keeps between collections (it costs start-up time to take away).\n\n");
            md.append("| server | floor, after ").append(floor.logins + "").append(" logins | default, after the "
                    + "logins |\n|---|---:|---:|\n");
            long floorTotal = 0;
            long floorAnon = 0;
            for (String server : floor.afterLogins.keySet()) {
                long[] f = floor.afterLogins.get(server);
                floorTotal += f[0];
                floorAnon += f[1];
                md.append("| ").append(server).append(" | ").append(mib(f)).append(" | ")
                        .append(mib(afterLogins.get(server))).append(" |\n");
            }
            md.append(String.format(Locale.ROOT, "| all servers | %d MiB (anonymous %d MiB) | %d MiB (anonymous %d "
                    + "MiB) |%n", floorTotal / 1024, floorAnon / 1024, afterTotal / 1024, afterAnon / 1024));
            md.append(String.format(Locale.ROOT, "%nTarget: all servers ≤ %d MiB: %s (%d MiB at the higher of the "
                    + "two points; the floor of these binaries is %d MiB%s).%n", MEMORY_TARGET_MIB,
                    worst <= MEMORY_TARGET_MIB ? "met" : "**missed**", worst, floorTotal / 1024,
                    floorTotal / 1024 > MEMORY_TARGET_MIB ? ", above the target: no configuration of these "
                            + "binaries meets it" : ""));
        }

        private static String mib(long[] kib) {
            return String.format(Locale.ROOT, "%d MiB (%d + %d)", kib[0] / 1024, kib[1] / 1024, kib[2] / 1024);
        }

        private static String row(String what, long[] nanos, String target) {
            return "| " + what + " | " + Stats.ms(Stats.median(nanos)) + " | " + Stats.ms(Stats.percentile(nanos, 0.9))
                    + " | " + Stats.ms(Stats.percentile(nanos, 1.0)) + " | " + target + " |\n";
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String version(Path binary, String flag) {
        try {
            Process p = new ProcessBuilder(binary.toString(), flag).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(30, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
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

    private static void say(String format, Object... args) {
        System.err.println("[benchmark] " + String.format(Locale.ROOT, format, args));
    }
}
