package io.github.vaultk8strust.bench;

import io.github.vaultk8strust.support.CacheDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Points fabric8 kube-api-test at the same etcd and kube-apiserver binaries the local backend runs, so that the
 * comparison measures the two libraries, not two builds. kube-api-test looks for {@code etcd}, {@code kube-apiserver}
 * and {@code kubectl} in {@code <KUBE_API_TEST_DIR>/k8s/<version>-linux-amd64/} (and would download envtest's
 * binaries otherwise, which this project's machines cannot reach); its readiness check runs {@code kubectl get ns
 * default}. kubectl is built once from the kube-apiserver wrapper module the library ships (same go.mod and go.sum,
 * {@code k8s.io/kubernetes/cmd/kubectl}) and cached beside the library's binaries, in {@code bench/}.
 */
final class PeerSetup {

    static final String VERSION = "1.34.10";
    private static final String MODULE = "/io/github/vaultk8strust/backend/local/gomod/kube-apiserver/";

    private PeerSetup() {
    }

    /** Create the peer's test directory under {@code dir} with links to the binaries; return it. */
    static Path testDirectory(Path dir, Path etcd, Path kubeApiServer) throws IOException, InterruptedException {
        Path versionDir = dir.resolve("k8s").resolve(VERSION + "-linux-amd64");
        Files.createDirectories(versionDir);
        link(versionDir.resolve("etcd"), etcd);
        link(versionDir.resolve("kube-apiserver"), kubeApiServer);
        link(versionDir.resolve("kubectl"), kubectl());
        return dir;
    }

    private static void link(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target.toAbsolutePath());
    }

    /** The cached kubectl, built first if missing (about 1.5 minutes with Go's build cache warm). */
    static Path kubectl() throws IOException, InterruptedException {
        Path target = CacheDir.resolve(Optional.empty()).resolve("bench").resolve("kubectl-v" + VERSION
                + "-linux-amd64").resolve("kubectl");
        if (Files.isExecutable(target)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path module = Files.createTempDirectory(target.getParent(), "gomod-");
        try {
            for (String file : List.of("go.mod", "go.sum", "main.go")) {
                try (InputStream in = PeerSetup.class.getResourceAsStream(MODULE + file)) {
                    if (in == null) {
                        throw new IOException("resource " + MODULE + file + " missing from the library jar");
                    }
                    Files.copy(in, module.resolve(file));
                }
            }
            Path out = target.resolveSibling("kubectl.tmp");
            System.err.println("[benchmark] building kubectl v" + VERSION + " for kube-api-test's readiness check "
                    + "(once; cached at " + target + ")");
            ProcessBuilder build = new ProcessBuilder("go", "build", "-trimpath", "-buildvcs=false", "-ldflags",
                    "-s -w -X k8s.io/component-base/version.gitVersion=v" + VERSION
                            + " -X k8s.io/client-go/pkg/version.gitVersion=v" + VERSION,
                    "-o", out.toString(), "k8s.io/kubernetes/cmd/kubectl").directory(module.toFile()).inheritIO();
            build.environment().put("GOWORK", "off");
            build.environment().put("CGO_ENABLED", "0");
            build.environment().put("GOFLAGS", "-mod=mod");
            Process process = build.start();
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("building kubectl failed (see the output above)");
            }
            Files.move(out, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            try (var files = Files.walk(module)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
