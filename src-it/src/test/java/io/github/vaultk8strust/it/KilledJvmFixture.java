package io.github.vaultk8strust.it;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.backend.local.EnvironmentDirectory;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A test JVM to be killed: {@code main} runs {@link Holder} through the JUnit Platform launcher, as a build tool's
 * test fork would; its test writes where its environment lives (directory, server and supervisor pids) to the file
 * named by the first argument, then waits to be killed.
 *
 * <p>With {@code sweep} as the first argument it instead runs the stale-environment sweep of {@code java.io.tmpdir}
 * and prints its summary (used by {@code .ci/run}).
 */
public final class KilledJvmFixture {

    /** The system property naming the file the holder reports to. */
    static final String REPORT_KEY = "vaultk8s.it.killed-jvm.report";

    private KilledJvmFixture() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("sweep")) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
            EnvironmentDirectory.Sweep sweep = EnvironmentDirectory.sweepStale(tmp, line -> { });
            System.out.println(sweep.summary().orElse("nothing to sweep in " + tmp));
            return;
        }
        System.setProperty(REPORT_KEY, args[0]);
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Holder.class))
                .configurationParameter("vaultk8s.backend", "local").build());
    }

    /** Report lines: {@code dir=...}, {@code server.<name>=<pid>}, {@code supervisor=<pid>}. */
    static List<String> report(TrustEnvironment environment) {
        LocalBackend local = (LocalBackend) ((DefaultTrustEnvironment) environment).runningBackend();
        List<String> lines = new ArrayList<>();
        lines.add("dir=" + local.directory());
        for (Map.Entry<String, Long> server : local.serverPids().entrySet()) {
            lines.add("server." + server.getKey() + "=" + server.getValue());
        }
        local.supervisorPids().forEach(pid -> lines.add("supervisor=" + pid));
        return lines;
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class Holder {

        @Test
        void holdUntilKilled(TrustEnvironment environment) throws Exception {
            Path file = Path.of(System.getProperty(REPORT_KEY));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, report(environment), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(600_000);
        }
    }
}
