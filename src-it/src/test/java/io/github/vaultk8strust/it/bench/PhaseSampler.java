package io.github.vaultk8strust.it.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wall-clock sampling profiler for one thread: every few milliseconds it takes the thread's stack and names the
 * phase the thread is in, from the innermost frame that a rule below recognises. Each interval between two samples
 * is charged to the phase of the later sample.
 *
 * <p>It lets the benchmark say where a start-up spends its time without changing production code (the trust setup
 * steps are private methods). Taking a stack costs a little, so sampled runs are never part of the statistics.
 */
final class PhaseSampler implements AutoCloseable {

    /** One sample: when, and in which phase the thread was. */
    record Sample(long nanoTime, String phase) {
    }

    private static final Pattern LAMBDA = Pattern.compile("lambda\\$(\\w+)\\$\\d+");
    private static final String PKG = "io.github.vaultk8strust.";
    /** The classes that find the server binaries: the ServerBinaries facade and the steps it delegates to. */
    private static final List<String> BINARY_LOOKUP = List.of("ServerBinaries", "BinarySources",
            "BinaryLocator", "BinaryVersions", "CachedBinaries", "BinaryLock", "BinaryDownload", "ReleaseChecksums",
            "BinaryArchives", "GoBuild", "BinaryReport", "BinaryFiles");

    private final Thread target;
    private final long intervalNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private PhaseSampler(Thread target, long intervalNanos) {
        this.target = target;
        this.intervalNanos = intervalNanos;
        this.sampler = new Thread(this::loop, "trust-benchmark-sampler");
        this.sampler.setDaemon(true);
    }

    /** Start sampling {@code target} every {@code intervalMillis} ms. */
    static PhaseSampler start(Thread target, long intervalMillis) {
        PhaseSampler s = new PhaseSampler(target, intervalMillis * 1_000_000L);
        s.sampler.start();
        return s;
    }

    private void loop() {
        while (running) {
            LockSupport.parkNanos(intervalNanos);
            StackTraceElement[] stack = target.getStackTrace();
            long now = System.nanoTime();
            String phase = classify(stack);
            synchronized (samples) {
                samples.add(new Sample(now, phase));
            }
        }
    }

    /** Stop sampling and wait for the sampler thread. */
    @Override
    public void close() {
        running = false;
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Return the time per phase within {@code [from, to)}, in order of first appearance, in nanoseconds. Each
     * interval between consecutive samples is charged to the later sample's phase; the first interval starts at
     * {@code from}.
     */
    Map<String, Long> phases(long from, long to) {
        Map<String, Long> out = new LinkedHashMap<>();
        long previous = from;
        List<Sample> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        for (Sample s : copy) {
            if (s.nanoTime() <= from) {
                continue;
            }
            long at = Math.min(s.nanoTime(), to);
            if (at > previous) {
                out.merge(s.phase(), at - previous, Long::sum);
                previous = at;
            }
            if (s.nanoTime() >= to) {
                break;
            }
        }
        return out;
    }

    /** Name the phase of a stack: the innermost frame that a rule recognises wins. */
    static String classify(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            String phase = phaseOf(stack, i);
            if (phase != null) {
                return phase;
            }
        }
        return stack.length == 0 ? "(thread not running)" : "JUnit platform, launcher and test kit";
    }

    private static String phaseOf(StackTraceElement[] stack, int i) {
        StackTraceElement frame = stack[i];
        String cls = frame.getClassName();
        String method = frame.getMethodName();
        Matcher lambda = LAMBDA.matcher(method);
        if (lambda.matches()) {
            method = lambda.group(1);
        }
        if (cls.equals(PKG + "it.bench.TrustBenchmark$FirstLoginFixture")) {
            return "test body";
        }
        if (cls.equals(PKG + "core.TrustSetup")) {
            return switch (method) {
                case "checkDiscovery" -> "trust: GET discovery document (first fabric8 request)";
                case "bindAnonymousDiscovery" -> "trust: anonymous-discovery binding + wait for anonymous JWKS";
                case "createNamespacesAndServiceAccounts" -> "trust: namespaces + service accounts";
                case "awaitActive" -> "trust: wait for Vault active after unseal";
                case "initialiseVault" -> "trust: vault operator init + 3 unseals";
                case "mountKv" -> "trust: mount KV v2 + wait until writable";
                case "enableJwtAuth" -> "trust: enable jwt auth";
                case "writePolicies" -> "trust: write policies";
                case "configureJwtAuth" -> "trust: jwt config (Vault fetches discovery)";
                case "writeRoles" -> "trust: write roles";
                default -> "trust: other (clients, bookkeeping)";
            };
        }
        if (cls.equals(PKG + "backend.local.Pki")) {
            return "servers: generate PKI (CA, serving, admin, SA keys)";
        }
        if (BINARY_LOOKUP.stream().anyMatch(name -> cls.startsWith(PKG + "backend.local." + name))) {
            return "servers: find binaries (cache lookup)";
        }
        if (cls.equals(PKG + "backend.local.ManagedProcess")) {
            switch (method) {
                case "start":
                    return "servers: launch processes";
                case "awaitReady":
                    return "servers: wait for " + awaitedServer(stack, i);
                case "close":
                case "deleteTree":
                    return "close: stop servers, delete directory";
                default:
                    break;
            }
        }
        if (cls.equals(PKG + "backend.local.LocalBackend")) {
            if (method.equals("get") || frame.getMethodName().startsWith("lambda$")) {
                return null; // a readiness probe: charged to the ManagedProcess.awaitReady frame further out
            }
            return method.equals("close") ? "close: stop servers, delete directory" : "servers: other";
        }
        if (cls.equals("io.fabric8.kubernetes.client.KubernetesClientBuilder") && method.equals("build")) {
            return "kube client: build";
        }
        if (cls.equals(PKG + "core.DefaultTrustEnvironment")) {
            return switch (method) {
                case "mintToken" -> "first @VaultLogin: mint token (TokenRequest)";
                case "login" -> "first @VaultLogin: Vault login";
                case "close" -> "close: environment";
                case "start", "startBackend" -> "environment start: other";
                default -> null;
            };
        }
        if (cls.equals(PKG + "junit.VaultK8sTrustExtension")) {
            return switch (method) {
                case "settings" -> "extension: resolve settings";
                case "login" -> "first @VaultLogin: other";
                default -> "extension: other";
            };
        }
        if (cls.equals(PKG + "core.DefaultVaultSession") && method.equals("close")) {
            return "close: revoke the @VaultLogin token";
        }
        if (cls.equals(PKG + "core.EnvironmentSlot") && method.equals("close")) {
            return "close: environment";
        }
        if (cls.equals("org.junit.platform.launcher.core.EngineDiscoveryOrchestrator")) {
            return "JUnit: discovery";
        }
        if (cls.equals("org.junit.platform.launcher.core.LauncherFactory")) {
            return "JUnit: launcher creation";
        }
        return null;
    }

    /** Name the server a ready-wait is for, from the LocalBackend method that waits (one method per server). */
    private static String awaitedServer(StackTraceElement[] stack, int from) {
        for (int j = from + 1; j < stack.length; j++) {
            if (stack[j].getClassName().equals(PKG + "backend.local.LocalBackend")) {
                return switch (stack[j].getMethodName()) {
                    case "awaitEtcd" -> "etcd /health";
                    case "awaitApiServer" -> "kube-apiserver /readyz";
                    case "awaitVaultProcess" -> "vault /v1/sys/health";
                    default -> "a server (LocalBackend." + stack[j].getMethodName() + ")";
                };
            }
        }
        return "a server";
    }
}
