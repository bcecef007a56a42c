package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.spi.Availability;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendFeature;
import io.github.vaultk8strust.spi.BackendProvider;
import io.github.vaultk8strust.spi.BackendRequest;
import io.github.vaultk8strust.spi.PreparedBackend;
import io.github.vaultk8strust.support.Progress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The local backend: real {@code etcd}, {@code kube-apiserver} and {@code vault} (or {@code bao}) processes on
 * 127.0.0.1. No Docker, no pods; AUTO's first choice when its binaries can be had.
 */
@API(status = INTERNAL, since = "0.1")
public final class LocalBackendProvider implements BackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<BackendFeature> features() {
        return Set.of();
    }

    @Override
    public int autoRank() {
        return 10;
    }

    @Override
    public Availability probe(BackendConfig config) {
        LocalOptions options = LocalOptions.from(config);
        BinarySources sources = BinarySources.fromEnvironment(options.explicitBinaries(), options.cacheDir(),
                options.download(), options.build());
        return ServerBinaries.canObtain(EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER, ServerBinary.VAULT),
                sources);
    }

    @Override
    public Map<String, String> shape(BackendConfig config) {
        LocalOptions options = LocalOptions.from(config);
        Map<String, String> shape = new TreeMap<>();
        options.explicitBinaries().forEach((binary, path) -> shape.put(binary.settingKey(), path.toString()));
        return shape;
    }

    @Override
    public PreparedBackend prepare(BackendRequest request) {
        LocalOptions options = LocalOptions.from(request.config());
        BinarySources sources = BinarySources.fromEnvironment(options.explicitBinaries(), options.cacheDir(),
                options.download(), options.build());
        Map<ServerBinary, Path> binaries = ServerBinaries.resolveAll(
                EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER, ServerBinary.VAULT), sources, Progress::say);
        return deadline -> LocalBackend.start(binaries, request.vaultMode(), deadline);
    }
}
