package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import io.github.vaultk8strust.support.CacheDir;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The k3s backend's images and cache.
 *
 * @param k3sImage the k3s image, as given (Testcontainers' image substitution applies when pulling)
 * @param vaultImage the Vault or OpenBao image deployed in the cluster
 * @param systemImages k3s's own images to side-load; empty for none
 * @param cacheDir where saved images are kept
 * @param privileged whether the k3s container runs privileged (else: every capability but SYS_RESOURCE)
 */
@API(status = INTERNAL, since = "0.1")
public record K3sOptions(String k3sImage, String vaultImage, List<String> systemImages, Path cacheDir,
                         boolean privileged) {


    public K3sOptions {
        systemImages = List.copyOf(systemImages);
    }

    /** Read the options from the configuration; bad values throw {@link BackendConfigException}. */
    public static K3sOptions from(BackendConfig config) {
        String k3sImage = config.image(ConfigKeys.K3S_IMAGE_KEY, ConfigKeys.DEFAULT_K3S_IMAGE);
        String vaultImage = config.image(ConfigKeys.K3S_VAULT_IMAGE_KEY, ConfigKeys.DEFAULT_VAULT_IMAGE);
        List<String> systemImages = config.value(ConfigKeys.K3S_SYSTEM_IMAGES_KEY)
                .map(v -> v.equalsIgnoreCase("none") ? List.<String>of()
                        : config.list(ConfigKeys.K3S_SYSTEM_IMAGES_KEY).stream()
                                .map(i -> config.checkImage(ConfigKeys.K3S_SYSTEM_IMAGES_KEY, i, "rancher/mirrored-pause:3.6"))
                                .toList())
                .orElseGet(() -> K3sReleases.systemImages(k3sImage));
        return new K3sOptions(k3sImage, vaultImage, systemImages,
                CacheDir.resolve(config.get(ConfigKeys.CACHE_DIR_KEY)), config.flag(ConfigKeys.K3S_PRIVILEGED_KEY, true));
    }

    /** Return these options with another Vault image (the container placement's, which workload pods use too). */
    public K3sOptions withVaultImage(String image) {
        return new K3sOptions(k3sImage, image, systemImages, cacheDir, privileged);
    }
}
