package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.spi.Availability;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendFeature;
import io.github.vaultk8strust.spi.BackendProvider;
import io.github.vaultk8strust.spi.BackendRequest;
import io.github.vaultk8strust.spi.PreparedBackend;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The k3s backend: Testcontainers' {@code K3sContainer} with Vault deployed inside the cluster. Runs pods; needs a
 * Docker engine that has (or can pull) the images.
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
        DockerProbe.Answer docker = DockerProbe.probe();
        return docker.available() ? Availability.yes("a Docker engine answers")
                : Availability.no("no Docker engine answers (" + docker.reason() + "; start Docker, or point "
                        + "DOCKER_HOST at one)");
    }

    @Override
    public Map<String, String> shape(BackendConfig config) {
        K3sOptions options = K3sOptions.from(config);
        Map<String, String> shape = new TreeMap<>();
        shape.put("k3s-image", options.k3sImage());
        shape.put("vault-image", options.vaultImage());
        shape.put("system-images", String.join(",", options.systemImages()));
        shape.put("privileged", String.valueOf(options.privileged()));
        return shape;
    }

    @Override
    public PreparedBackend prepare(BackendRequest request) {
        return K3sBackend.prepare(K3sOptions.from(request.config()), request.vaultMode());
    }
}
