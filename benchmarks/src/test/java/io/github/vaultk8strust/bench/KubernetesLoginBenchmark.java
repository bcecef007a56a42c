package io.github.vaultk8strust.bench;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.Seed;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.core.SettingsResolver;
import io.github.vaultk8strust.core.TrustSettings;
import java.util.Arrays;
import java.util.Locale;

/**
 * A benchmark, not a test: (d) environment start-up with {@code jwt} alone against {@code jwt} + {@code kubernetes}
 * (alternated runs, local backend, binaries already cached), and (e) the per-login cost of each method on one
 * environment with both (mint + login, and the login alone, which for {@code kubernetes} includes Vault's
 * TokenReview round trip to the API server), alternated login by login. Writes Markdown to the path given.
 *
 * <p>A section of {@link EnvironmentBenchmark}'s report.
 */
final class KubernetesLoginBenchmark {

    private KubernetesLoginBenchmark() {
    }

    /** Measure and return the report's section. */
    static String measure(int runs, int warmup, int logins) {

        TrustSettings jwtOnly = settings(AuthMethod.JWT);
        TrustSettings both = settings(AuthMethod.JWT, AuthMethod.KUBERNETES);
        DefaultTrustEnvironment.start(jwtOnly).close(); // warm-up: binaries, class loading, page cache
        long[] startJwt = new long[runs];
        long[] startBoth = new long[runs];
        for (int i = 0; i < runs; i++) {
            startJwt[i] = timeStart(jwtOnly);
            startBoth[i] = timeStart(both);
            System.err.printf(Locale.ROOT, "[benchmark] run %d/%d start-up: jwt %d ms, jwt+kubernetes %d ms%n", i + 1,
                    runs, startJwt[i] / 1_000_000, startBoth[i] / 1_000_000);
        }

        long[][] jwt = new long[2][logins];
        long[][] kubernetes = new long[2][logins];
        try (DefaultTrustEnvironment environment = DefaultTrustEnvironment.start(both)) {
            for (int i = 0; i < warmup + logins; i++) {
                long[] j = login(environment, Seed.ROLE);
                long[] k = login(environment, Seed.KUBERNETES_ROLE);
                if (i >= warmup) {
                    jwt[0][i - warmup] = j[0];
                    jwt[1][i - warmup] = j[1];
                    kubernetes[0][i - warmup] = k[0];
                    kubernetes[1][i - warmup] = k[1];
                }
            }
        }

        StringBuilder md = new StringBuilder("## kubernetes beside jwt, in one JVM\n\n");
        md.append(runs).append(" alternated start-ups of each (`DefaultTrustEnvironment.start`), ").append(logins)
                .append(" alternated logins of each after ").append(warmup).append(" warm-up; load average at the end: ")
                .append(Stats.loadAverage()).append(".\n\n");
        md.append("| measurement | median | p90 | min | max |\n|---|---:|---:|---:|---:|\n");
        row(md, "(d) start-up, `jwt` alone", startJwt);
        row(md, "(d) start-up, `jwt` + `kubernetes`", startBoth);
        row(md, "(e) `jwt` login (Vault verifies the signature with cached keys)", jwt[1]);
        row(md, "(e) `kubernetes` login (Vault calls TokenReview)", kubernetes[1]);
        row(md, "(e) `jwt` mint + login", jwt[0]);
        row(md, "(e) `kubernetes` mint + login", kubernetes[0]);
        md.append("\nstart-up overhead of kubernetes: ").append(String.format(Locale.ROOT, "%+.1f %%",
                (median(startBoth) / median(startJwt) - 1) * 100)).append(" (median against median)\n");
        return md.toString();
    }

    private static TrustSettings settings(AuthMethod... methods) {
        return new SettingsResolver(System::getenv, Backends.installed())
                .resolve(TrustEnvironment.builder().backend(Backend.LOCAL).authMethods(methods).request());
    }

    private static long timeStart(TrustSettings settings) {
        long t0 = System.nanoTime();
        DefaultTrustEnvironment environment = DefaultTrustEnvironment.start(settings);
        long t1 = System.nanoTime();
        environment.close();
        return t1 - t0;
    }

    /** Return {mint + login, login} in nanoseconds. */
    private static long[] login(DefaultTrustEnvironment environment, String role) {
        long t0 = System.nanoTime();
        ServiceAccountJwt jwt = environment.mintToken(Seed.NAMESPACE, Seed.SERVICE_ACCOUNT, Seed.AUDIENCE);
        long t1 = System.nanoTime();
        VaultSession session = environment.login(role, jwt.raw());
        long t2 = System.nanoTime();
        session.close();
        return new long[] {t2 - t0, t2 - t1};
    }

    private static void row(StringBuilder md, String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        md.append("| ").append(name).append(" | ").append(ms(median(sorted))).append(" | ")
                .append(ms(sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]))
                .append(" | ").append(ms(sorted[0])).append(" | ").append(ms(sorted[sorted.length - 1])).append(" |\n");
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, nanos >= 1e8 ? "%.0f ms" : "%.1f ms", nanos / 1e6);
    }
}
