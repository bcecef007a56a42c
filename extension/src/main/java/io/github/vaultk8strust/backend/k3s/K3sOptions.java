package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import io.github.vaultk8strust.support.CacheDir;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
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

    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?"
            + "(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");

    public K3sOptions {
        systemImages = List.copyOf(systemImages);
    }

    /** Read the options from the configuration; bad values throw {@link BackendConfigException}. */
    public static K3sOptions from(BackendConfig config) {
        String k3sImage = image(config, ConfigKeys.K3S_IMAGE_KEY, ConfigKeys.DEFAULT_K3S_IMAGE);
        String vaultImage = image(config, ConfigKeys.K3S_VAULT_IMAGE_KEY, ConfigKeys.DEFAULT_VAULT_IMAGE);
        List<String> systemImages = config.get(ConfigKeys.K3S_SYSTEM_IMAGES_KEY)
                .map(v -> v.equalsIgnoreCase("none") ? List.<String>of() : Arrays.stream(v.split(","))
                        .map(String::trim).filter(i -> !i.isEmpty())
                        .map(i -> checkImage(ConfigKeys.K3S_SYSTEM_IMAGES_KEY, i)).toList())
                .orElseGet(() -> K3sReleases.systemImages(k3sImage));
        boolean privileged = config.get(ConfigKeys.K3S_PRIVILEGED_KEY).map(v -> {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new BackendConfigException("Configuration parameter " + ConfigKeys.K3S_PRIVILEGED_KEY
                    + " (or environment variable " + ConfigKeys.environmentVariable(ConfigKeys.K3S_PRIVILEGED_KEY)
                    + ") = \"" + v + "\" is not valid; accepted: true, false");
        }).orElse(true);
        return new K3sOptions(k3sImage, vaultImage, systemImages,
                CacheDir.resolve(config.get(ConfigKeys.CACHE_DIR_KEY)), privileged);
    }

    /** Return these options with another Vault image (the container placement's, which workload pods use too). */
    public K3sOptions withVaultImage(String image) {
        return new K3sOptions(k3sImage, image, systemImages, cacheDir, privileged);
    }

    private static String image(BackendConfig config, String key, String defaultValue) {
        return config.get(key).filter(v -> !v.isBlank()).map(v -> checkImage(key, v)).orElse(defaultValue);
    }

    static String checkImage(String key, String image) {
        if (!IMAGE.matcher(image).matches()) {
            throw new BackendConfigException("Configuration parameter " + key + " (or environment variable "
                    + ConfigKeys.environmentVariable(key) + ") = \"" + image + "\" is not an image name; use "
                    + "[registry/]repository[:tag][@digest], e.g. \"hashicorp/vault:1.20\" or "
                    + "\"mirror.example.com/rancher/k3s:v1.34.1-k3s1\"");
        }
        return image;
    }
}
