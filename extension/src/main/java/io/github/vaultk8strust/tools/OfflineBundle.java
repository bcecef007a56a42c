package io.github.vaultk8strust.tools;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.backend.k3s.ImageBundle;
import io.github.vaultk8strust.backend.local.BinaryBundle;
import io.github.vaultk8strust.support.CacheDir;
import io.github.vaultk8strust.support.Progress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Prepare an offline (air-gapped) machine: {@code save} writes every image a k3s run needs ({@code docker save},
 * each under the name k3s and Testcontainers ask for) and the local backend's server binaries into a directory;
 * {@code load} loads that directory on the offline machine ({@code docker load}, binaries into the cache).
 *
 * <pre>
 * java -cp &lt;vault-k8s-trust jar and its dependencies&gt; io.github.vaultk8strust.tools.OfflineBundle save DIR
 *     [--k3s-image IMAGE] [--vault-image IMAGE] [--system-images a,b|none] [--no-images] [--no-binaries]
 * java -cp ... io.github.vaultk8strust.tools.OfflineBundle load DIR [--cache-dir DIR] [--no-images]
 * </pre>
 *
 * Exit codes: 0 done, 1 failed (the message says why), 2 bad usage. Ryuk and the file-check image are always
 * saved, so the offline machine may leave Testcontainers' defaults on.
 */
@API(status = EXPERIMENTAL, since = "0.1")
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

    /** Run {@code save} or {@code load}; return the exit code. */
    public static int run(String[] args) {
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
            List<String> systemImages = system == null ? null
                    : system.equals("none") ? List.of() : Arrays.stream(system.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (!options.containsKey("--no-images")) {
                ImageBundle.save(dir, k3s, vault, systemImages);
            }
            if (!options.containsKey("--no-binaries")) {
                BinaryBundle.saveBinaries(dir);
            }
            Progress.say("bundle ready in " + dir + "; on the offline machine: OfflineBundle load " + dir);
        } else {
            if (!options.containsKey("--no-images")) {
                ImageBundle.loadImages(dir);
            }
            Path cache = options.containsKey("--cache-dir") ? Path.of(options.get("--cache-dir"))
                    : CacheDir.defaultDir();
            BinaryBundle.loadBinaries(dir, cache);
        }
        return 0;
    }
}
