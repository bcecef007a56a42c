package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.spi.Availability;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import io.github.vaultk8strust.spi.BackendFeature;
import io.github.vaultk8strust.spi.BackendProvider;
import io.github.vaultk8strust.spi.BackendRequest;
import io.github.vaultk8strust.spi.PreparedBackend;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The k3s backend: Testcontainers' {@code K3sContainer} with Vault deployed inside the cluster (default), or beside it
 * in a {@code VaultContainer} on a shared Docker network ({@link K3sPlacement}). Runs pods; needs a Docker engine
 * that has (or can pull) the images.
 */
@API(status = INTERNAL, since = "0.1")
public final class K3sBackendProvider implements BackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "k3s";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<BackendFeature> features() {
        return Set.of(BackendFeature.PODS);
    }

    @Override
    public int autoRank() {
        return 20;
    }

    @Override
    public Availability probe(BackendConfig config) {
        try {
            K3sPlacement.from(config);
        } catch (BackendConfigException e) {
            // AUTO passes over this backend (process asks for local); named explicitly, shape() fails with the reason.
            return Availability.no("its Vault cannot run there: " + e.getMessage());
        }
        DockerProbe.Answer docker = DockerProbe.probe();
        return docker.available() ? Availability.yes("a Docker engine answers")
                : Availability.no("no Docker engine answers (" + docker.reason() + "; start Docker, or point "
                        + "DOCKER_HOST at one)");
    }

    @Override
    public Map<String, String> shape(BackendConfig config) {
        K3sPlacement placement = K3sPlacement.from(config);
        refuseVersionSettings(config);
        K3sOptions options = K3sOptions.from(config);
        boolean openBao = config.get(ConfigKeys.VAULT_FLAVOR_KEY).filter("openbao"::equals).isPresent();
        if (openBao && placement.container()) {
            throw new BackendConfigException("vaultk8s.vault.flavor = openbao is not applied to Vault in a "
                    + "container: choose the image with " + ConfigKeys.VAULT_CONTAINER_IMAGE_KEY + " instead");
        }
        if (openBao && !options.vaultImage().contains("openbao")) {
            throw new BackendConfigException("vaultk8s.vault.flavor = openbao on the k3s backend: its Vault is the image "
                    + ConfigKeys.K3S_VAULT_IMAGE_KEY + " (now " + options.vaultImage() + "); set it to an OpenBao image, "
                    + "e.g. openbao/openbao:2.4");
        }
        Map<String, String> shape = new TreeMap<>();
        shape.put("k3s-image", options.k3sImage());
        shape.put("vault-image", options.vaultImage());
        shape.put("system-images", String.join(",", options.systemImages()));
        shape.put("privileged", String.valueOf(options.privileged()));
        // In a container, Vault's image is the placement's (it replaces vault-image above).
        shape.putAll(placement.shape());
        // The versions are the images' (the tag's digits); reported by TrustEnvironment.kubernetesVersion()/vaultVersion().
        tagVersion(options.k3sImage()).ifPresent(v -> shape.put("kubernetes-version", v));
        tagVersion(placement.vaultImage(options)).ifPresent(v -> shape.put("vault-version", v));
        return shape;
    }

    /**
     * Version settings are the local backend's: on k3s the versions are the images', and a k3s image is only usable
     * with its own system-image list (README, "Compatibility"). Refuse instead of running other versions than asked.
     */
    private static void refuseVersionSettings(BackendConfig config) {
        for (String key : java.util.List.of(ConfigKeys.KUBERNETES_VERSION_KEY, ConfigKeys.VAULT_VERSION_KEY)) {
            config.get(key).ifPresent(version -> {
                boolean k8s = key.equals(ConfigKeys.KUBERNETES_VERSION_KEY);
                throw new BackendConfigException(key + " = \"" + version + "\" is not applied by the k3s backend: its "
                        + (k8s ? "Kubernetes version is the k3s image's (" + ConfigKeys.K3S_IMAGE_KEY + ", with its "
                        + ConfigKeys.K3S_SYSTEM_IMAGES_KEY + "; default " + ConfigKeys.DEFAULT_K3S_IMAGE + ")"
                        : "Vault version is the Vault image's (" + ConfigKeys.K3S_VAULT_IMAGE_KEY + ", e.g. "
                        + "hashicorp/vault:" + version + ")") + ". Choose the image instead, or run the version "
                        + "matrix on the local backend (backend = Backend.LOCAL).");
            });
        }
    }

    /** {@code rancher/k3s:v1.34.1-k3s1} to {@code 1.34.1}, {@code hashicorp/vault:1.20} to {@code 1.20}. */
    static java.util.Optional<String> tagVersion(String image) {
        int colon = image.lastIndexOf(':');
        if (colon < 0 || image.indexOf('/', colon) >= 0) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v?(\\d+\\.\\d+(\\.\\d+)?)")
                .matcher(image.substring(colon + 1));
        return m.lookingAt() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    @Override
    public PreparedBackend prepare(BackendRequest request) {
        return K3sBackend.prepare(K3sOptions.from(request.config()), K3sPlacement.from(request.config()),
                request.vaultMode(), request.keepOnFailure());
    }
}
