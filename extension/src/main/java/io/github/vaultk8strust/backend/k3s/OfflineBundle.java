package io.github.vaultk8strust.backend.k3s;

import com.github.dockerjava.api.DockerClient;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.testcontainers.utility.DockerImageName;

/**
 * Prepare an offline (air-gapped) machine: {@code save} writes every image a k3s run needs ({@code docker save},
 * each under the name k3s and Testcontainers ask for) and the local backend's server binaries into a directory;
 * {@code load} loads that directory on the offline machine ({@code docker load}, binaries into the cache).
 *
 * <pre>
 * java -cp &lt;vault-k8s-trust jar and its dependencies&gt; io.github.vaultk8strust.backend.k3s.OfflineBundle save DIR
 *     [--k3s-image IMAGE] [--vault-image IMAGE] [--system-images a,b|none] [--no-images] [--no-binaries]
 * java -cp ... io.github.vaultk8strust.backend.k3s.OfflineBundle load DIR [--cache-dir DIR] [--no-images]
 * </pre>
 *
 * Exit codes: 0 done, 1 failed (the message says why), 2 bad usage. Ryuk and the file-check image are always
 * saved, so the offline machine may leave Testcontainers' defaults on.
 */
public final class OfflineBundle {

    private OfflineBundle() {
    }

    /** Run {@code save} or {@code load}. */
    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (VaultK8sTrustException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) {
        if (args.length < 2 || !(args[0].equals("save") || args[0].equals("load"))) {
            System.err.println("usage: OfflineBundle save DIR [--k3s-image I] [--vault-image I] "
                    + "[--system-images a,b|none] [--no-images] [--no-binaries]\n"
                    + "       OfflineBundle load DIR [--cache-dir DIR] [--no-images]");
            return 2;
        }
        Path dir = Path.of(args[1]).toAbsolutePath();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-images") || a.equals("--no-binaries")) {
                options.put(a, "true");
            } else if (a.startsWith("--") && i + 1 < args.length) {
                options.put(a, args[++i]);
            } else {
                System.err.println("unknown argument: " + a);
                return 2;
            }
        }
        if (args[0].equals("save")) {
            String k3s = options.getOrDefault("--k3s-image", ConfigKeys.DEFAULT_K3S_IMAGE);
            String vault = options.getOrDefault("--vault-image", ConfigKeys.DEFAULT_VAULT_IMAGE);
            String system = options.get("--system-images");
            List<String> systemImages = system == null ? K3sReleases.systemImages(k3s)
                    : system.equals("none") ? List.of() : Arrays.stream(system.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (!options.containsKey("--no-images")) {
                saveImages(dir, ImagePreflight.neededImages(k3s, vault, systemImages, false, false));
            }
            if (!options.containsKey("--no-binaries")) {
                saveBinaries(dir);
            }
            Progress.say("bundle ready in " + dir + "; on the offline machine: OfflineBundle load " + dir);
        } else {
            if (!options.containsKey("--no-images")) {
                loadImages(dir);
            }
            Path cache = options.containsKey("--cache-dir") ? Path.of(options.get("--cache-dir"))
                    : BinarySources.defaultCacheDir();
            loadBinaries(dir, cache);
        }
        return 0;
    }

    /** Pull what is missing (failing fast offline), re-tag to the requested names, and save one tarball each. */
    static List<Path> saveImages(Path dir, List<ImagePreflight.Needed> needed) {
        List<Path> written = new ArrayList<>();
        try (DockerClient docker = DockerProbe.rawClient()) {
            List<ImagePreflight.Status> statuses = ImagePreflight.ensureLocal(docker, needed);
            Path images = Files.createDirectories(dir.resolve("images"));
            for (ImagePreflight.Status s : statuses) {
                String target = K3sImages.sideLoadName(s.needed().image());
                DockerImageName t = DockerImageName.parse(target);
                if (!target.equals(s.resolved())) {
                    String id = docker.inspectImageCmd(s.resolved()).exec().getId();
                    docker.tagImageCmd(id, t.getUnversionedPart(), t.getVersionPart()).withForce().exec();
                }
                Path tarball = images.resolve(K3sContainerSpec.SideLoad.fileName(target));
                Progress.say("saving " + target + " to " + tarball);
                K3sImages.save(docker, target, tarball);
                written.add(tarball);
            }
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot write the bundle in " + dir + ": " + e, e);
        }
        return written;
    }

    /** {@code docker load} every tarball under {@code DIR/images}. */
    static void loadImages(Path dir) {
        Path images = dir.resolve("images");
        if (!Files.isDirectory(images)) {
            throw new VaultK8sTrustException(images + " does not exist: is " + dir + " a bundle written by "
                    + "OfflineBundle save?");
        }
        try (DockerClient docker = DockerProbe.rawClient(); Stream<Path> files = Files.list(images)) {
            for (Path tarball : files.filter(p -> p.toString().endsWith(".tar")).sorted().toList()) {
                Progress.say("docker load " + tarball);
                try (InputStream in = Files.newInputStream(tarball)) {
                    docker.loadImageCmd(in).exec();
                } catch (RuntimeException e) {
                    throw new VaultK8sTrustException("docker load of " + tarball + " failed: "
                            + DockerProbe.daemonMessage(e), e);
                }
            }
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot read the bundle in " + dir + ": " + e, e);
        }
    }

    /** Resolve (find, download or build) every local-backend server and copy it into {@code DIR/bin} in cache layout. */
    static void saveBinaries(Path dir) {
        Path cache = BinarySources.defaultCacheDir();
        Map<ServerBinary, Path> found = ServerBinaries.resolveAll(EnumSet.allOf(ServerBinary.class),
                BinarySources.fromEnvironment(Map.of(), cache, true, true), Progress::say);
        for (Map.Entry<ServerBinary, Path> e : found.entrySet()) {
            Path relative = cache.relativize(ServerBinaries.cachedBinary(e.getKey(), cache));
            Path target = dir.resolve(relative);
            copyExecutable(e.getValue(), target);
            Progress.say("saved " + e.getKey().id() + " (" + e.getValue() + ") as " + target);
        }
    }

    /** Copy {@code DIR/bin} into the cache directory, where the local backend looks (step 4 of its search). */
    static void loadBinaries(Path dir, Path cache) {
        Path bin = dir.resolve("bin");
        if (!Files.isDirectory(bin)) {
            Progress.say("no server binaries in " + dir + " (saved with --no-binaries?)");
            return;
        }
        try (Stream<Path> files = Files.walk(bin)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = cache.resolve(dir.relativize(file));
                copyExecutable(file, target);
                Progress.say("installed " + target);
            }
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot copy binaries from " + bin + " to " + cache + ": " + e, e);
        }
    }

    private static void copyExecutable(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot copy " + from + " to " + to + ": " + e, e);
        }
    }
}
