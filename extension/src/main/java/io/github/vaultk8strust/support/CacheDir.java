package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import java.nio.file.Path;
import java.util.Optional;
import org.apiguardian.api.API;

/** Where the library caches server binaries and images: {@link ConfigKeys#CACHE_DIR_KEY}, else the XDG cache. */
@API(status = INTERNAL, since = "0.1")
public final class CacheDir {

    private CacheDir() {
    }

    /** Return the cache directory configured ({@link ConfigKeys#CACHE_DIR_KEY}), or the default one. */
    public static Path resolve(Optional<String> configured) {
        return configured.filter(v -> !v.isBlank()).map(Path::of)
                .orElseGet(CacheDir::defaultDir).toAbsolutePath();
    }

    /** Return {@code $XDG_CACHE_HOME/vault-k8s-trust}, or {@code ~/.cache/vault-k8s-trust}. */
    public static Path defaultDir() {
        // A relative XDG_CACHE_HOME is invalid per the XDG spec: ignore it rather than cache relative to the cwd.
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("vault-k8s-trust");
    }
}
