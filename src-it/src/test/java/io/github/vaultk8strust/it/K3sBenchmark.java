package io.github.vaultk8strust.it;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.TrustEnvironment;
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
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testcontainers.k3s.K3sContainer;

/**
 * Measure, in one run, a bare {@link K3sContainer} start against the time until the first workload login on the
 * k3s backend (k3s with anonymous auth, Vault deployed, initialised and unsealed, the trust set up, a
 * {@code vault-client} pod ready and {@code vault write auth/jwt/login} run in it). Images are pulled and saved
 * first, outside the measurement: the target (at most 15 s over bare k3s) is for cached images. See
 * {@code src-it/K3S.md}.
 */
public final class K3sBenchmark {

    /** Target: the full backend to first workload login, over a bare k3s start. */
    static final Duration TARGET_OVERHEAD = Duration.ofSeconds(15);

    @VaultK8sTrust(backend = Backend.K3S)
    static final class Seed {
    }

    /** Run the benchmark; exit code 2 without Docker, 1 when the overhead exceeds the target. */
    public static void main(String[] args) {
        if (!K3sBackend.dockerAvailable()) {
            System.err.println("K3sBenchmark needs a Docker engine; Testcontainers found none.");
            System.exit(2);
        }
        Duration overhead = run();
        System.exit(overhead.compareTo(TARGET_OVERHEAD) <= 0 ? 0 : 1);
    }

    static Duration run() {
        TrustSettings settings = new SettingsResolver(System::getenv, Backends.installed())
                .resolve(TrustEnvironment.builder().backend(Backend.K3S).request());
        K3sOptions k3s = K3sOptions.from(settings.config());

        // Warm-up, not measured: pull and save every image once, as a second run of any test suite finds them.
        K3sImages images = new K3sImages(k3s.cacheDir());
        images.pull(k3s.k3sImage());
        images.pullAndSave(k3s.vaultImage());
        k3s.systemImages().forEach(images::pullAndSave);

        long t0 = System.nanoTime();
        try (K3sContainer bare = new K3sContainer(new K3sContainerSpec(k3s.k3sImage(), List.of(),
                Duration.ofMinutes(3)).dockerImageName())) {
            bare.start();
        }
        Duration bareStart = Duration.ofNanos(System.nanoTime() - t0);

        long t1 = System.nanoTime();
        Duration ready;
        Duration firstLogin;
        try (DefaultTrustEnvironment environment = DefaultTrustEnvironment.start(settings)) {
            ready = Duration.ofNanos(System.nanoTime() - t1);
            try (Workload pod = environment.startWorkload(WorkloadSpec.seed())) {
                ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev",
                        "jwt=@/service-account/token");
                firstLogin = Duration.ofNanos(System.nanoTime() - t1);
                if (!login.succeeded()) {
                    throw new AssertionError("the workload login failed: " + login);
                }
            }
        }
        Duration overhead = firstLogin.minus(bareStart);
        System.out.printf("""
                K3sBenchmark (k3s %s, Vault %s, vault mode %s, images cached)
                  bare K3sContainer start ........................ %6d ms
                  k3s backend: environment ready (trust set up) .. %6d ms
                  k3s backend: first workload login .............. %6d ms
                  overhead over bare k3s ......................... %6d ms (target <= %d ms: %s)
                """, k3s.k3sImage(), k3s.vaultImage(), settings.vaultMode(), bareStart.toMillis(), ready.toMillis(),
                firstLogin.toMillis(), overhead.toMillis(), TARGET_OVERHEAD.toMillis(),
                overhead.compareTo(TARGET_OVERHEAD) <= 0 ? "met" : "MISSED");
        return overhead;
    }

    static boolean dockerAvailable() {
        return K3sBackend.dockerAvailable();
    }

    /** The same benchmark through Maven: {@code -Dvaultk8s.benchmark=true -Dtest=K3sBenchmark}. */
    @Test
    @EnabledIfSystemProperty(named = "vaultk8s.benchmark", matches = "true",
            disabledReason = "a benchmark: run with -Dvaultk8s.benchmark=true (see src-it/K3S.md)")
    @EnabledIf(value = "dockerAvailable", disabledReason = "needs a Docker engine (Testcontainers found none)")
    void benchmark() {
        Duration overhead = run();
        if (overhead.compareTo(TARGET_OVERHEAD) > 0) {
            throw new AssertionError("first workload login took " + overhead.toMillis() + " ms over bare k3s; "
                    + "target " + TARGET_OVERHEAD.toMillis() + " ms");
        }
    }
}
