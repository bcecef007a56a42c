package io.github.vaultk8strust.backend.local;

import static io.github.vaultk8strust.backend.local.BinaryFiles.HEARTBEAT;
import static io.github.vaultk8strust.backend.local.BinaryFiles.elapsed;
import static io.github.vaultk8strust.backend.local.BinaryFiles.isExecutableFile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Step 6 of {@link ServerBinaries}: build a server from the Go wrapper module shipped as resources
 * ({@code gomod/<id>[-<version>]}) with the user's {@code go}, reporting a heartbeat while the compiler runs and
 * the log's tail when it fails.
 */
final class GoBuild {

    private static final List<String> MODULE_FILES = List.of("go.mod", "go.sum", "main.go");

    private GoBuild() {
    }

    /** The {@code go} to build with: the configured one if executable, else the first on the search path. */
    static Optional<Path> findGo(BinarySources sources) {
        if (sources.goExecutable().isPresent()) {
            Path go = sources.goExecutable().get();
            return isExecutableFile(go) ? Optional.of(go.toAbsolutePath()) : Optional.empty();
        }
        return sources.searchPath().stream().map(dir -> dir.resolve("go")).filter(BinaryFiles::isExecutableFile)
                .map(Path::toAbsolutePath).findFirst();
    }

    /** Build {@code binary} at {@code version} into {@code target}; the caller holds the server's lock. */
    static void build(ServerBinary binary, String version, Path go, Path target, Path cacheDir, Consumer<String> progress)
            throws IOException, InterruptedException {
        Path tmpDir = Files.createDirectories(cacheDir.resolve("tmp"));
        Path log = buildLog(binary, cacheDir);
        Files.createDirectories(log.getParent());
        Path out = BinaryFiles.temporarySibling(target);
        Path module = Files.createTempDirectory(tmpDir, "gomod-" + binary.id() + "-");
        Process process = null;
        try {
            copyModule(binary, version, module);
            List<String> command = goBuildCommand(binary, version, go, out);
            ProcessBuilder builder = new ProcessBuilder(command).directory(module.toFile()).redirectErrorStream(true);
            // Only what the build needs; GOTOOLCHAIN, GOCACHE and GOMODCACHE stay the user's so that
            // Go's persistent caches make every build after the first take seconds.
            builder.environment().put("GOWORK", "off");
            builder.environment().put("CGO_ENABLED", "0");
            builder.environment().put("GOFLAGS", "-mod=readonly");

            long start = System.nanoTime();
            progress.accept("building " + binary.id() + " " + version + " from Go modules: first time only; "
                    + coldBuildTime(binary) + ", later runs reuse " + target + " (log: " + log + ")");
            BufferedWriter logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
            logWriter.write("# " + Instant.now() + ": building " + binary.id() + " " + version + " in " + module);
            logWriter.newLine();
            logWriter.write("# GOWORK=off CGO_ENABLED=0 GOFLAGS=-mod=readonly " + command.stream()
                    .map(arg -> arg.contains(" ") ? "'" + arg + "'" : arg).collect(Collectors.joining(" ")));
            logWriter.newLine();
            GoBuildOutput pump;
            try {
                process = builder.start();
                process.getOutputStream().close();
                pump = new GoBuildOutput(process.getInputStream(), logWriter);
            } catch (IOException | RuntimeException e) {
                logWriter.close();
                throw e;
            }
            Thread pumpThread = new Thread(pump, "vault-k8s-trust go build " + binary.id());
            pumpThread.setDaemon(true);
            pumpThread.start();

            while (!process.waitFor(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                progress.accept("still building " + binary.id() + " " + version + ": " + elapsed(start)
                        + " elapsed, " + pump.packages() + " packages compiled so far");
            }
            pumpThread.join();
            int exit = process.exitValue();
            if (exit != 0) {
                throw new IOException("go build exited with code " + exit + "; full log: " + log + "; last "
                        + GoBuildOutput.TAIL_LINES + " lines:" + System.lineSeparator() + String.join(System.lineSeparator(),
                        pump.tail()) + pump.failure().map(f -> System.lineSeparator() + "(log incomplete: " + f + ")")
                        .orElse(""));
            }
            if (!Files.isRegularFile(out)) {
                throw new IOException("go build exited with code 0 but wrote no " + out + "; full log: " + log);
            }
            BinaryFiles.moveIntoPlace(out, target);
            progress.accept("built " + binary.id() + " " + version + " in " + elapsed(start) + " ("
                    + pump.packages() + " packages compiled) to " + target);
        } finally {
            if (process != null && process.isAlive()) {
                // Interrupted or failed half-way: do not leave a compiler eating both cores.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            BinaryFiles.deleteRecursively(module);
            Files.deleteIfExists(out);
        }
    }

    static Path buildLog(ServerBinary binary, Path cacheDir) {
        return cacheDir.toAbsolutePath().resolve("logs").resolve("build-" + binary.id() + ".log");
    }

    private static String coldBuildTime(ServerBinary binary) {
        // Measured on 2 cores with empty Go caches (2026-12-01): kube-apiserver 6.5 min, vault 13.5–17 min.
        return switch (binary) {
            case ETCD -> "a cold build takes 1–2 minutes on 2 cores";
            case KUBE_APISERVER -> "a cold build takes about 6–7 minutes on 2 cores";
            default -> "a cold build takes 13–17 minutes on 2 cores";
        };
    }

    /**
     * Return the wrapper module's resource folder: {@code gomod/<id>} for the pin, {@code gomod/<id>-<version>} for
     * another version the library ships a wrapper for.
     */
    static String moduleFolder(ServerBinary binary, String version) {
        return version.equals(binary.version()) ? "gomod/" + binary.id() : "gomod/" + binary.id() + "-" + version;
    }

    private static void copyModule(ServerBinary binary, String version, Path module) throws IOException {
        String folder = moduleFolder(binary, version);
        if (ServerBinaries.class.getResource(folder + "/go.mod") == null) {
            throw new IOException("vault-k8s-trust ships no Go wrapper module for " + binary.id() + " " + version
                    + " (no resource " + folder + "/go.mod); provide the binary by setting " + binary.settingKey()
                    + ", or ask for a version the library knows");
        }
        for (String file : MODULE_FILES) {
            String resource = folder + "/" + file;
            try (InputStream in = ServerBinaries.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("resource " + resource + " is missing next to " + ServerBinaries.class.getName()
                            + "; the vault-k8s-trust jar is incomplete or repackaged without its resources");
                }
                Files.copy(in, module.resolve(file));
            }
        }
    }

    /** The {@code go build} command line for the pinned version of {@code binary}. */
    static List<String> goBuildCommand(ServerBinary binary, Path go, Path out) {
        return goBuildCommand(binary, binary.version(), go, out);
    }

    /** The {@code go build} command line for {@code version} of {@code binary}, writing to {@code out}. */
    static List<String> goBuildCommand(ServerBinary binary, String version, Path go, Path out) {
        List<String> command = new ArrayList<>(List.of(go.toString(), "build", "-v", "-trimpath", "-buildvcs=false"));
        if (binary == ServerBinary.KUBE_APISERVER) {
            // Stamp the version as Kubernetes' own build does; /version and client compatibility checks read it.
            String[] numbers = version.substring(1).split("\\.");
            command.add("-tags");
            command.add("selinux,notest,grpcnotrace");
            command.add("-ldflags");
            command.add("-s -w -X k8s.io/component-base/version.gitVersion=" + version
                    + " -X k8s.io/client-go/pkg/version.gitVersion=" + version
                    + " -X k8s.io/component-base/version.gitMajor=" + numbers[0]
                    + " -X k8s.io/component-base/version.gitMinor=" + numbers[1]);
        } else {
            command.add("-ldflags");
            command.add("-s -w");
        }
        command.add("-o");
        command.add(out.toString());
        command.add(".");
        return command;
    }
}
