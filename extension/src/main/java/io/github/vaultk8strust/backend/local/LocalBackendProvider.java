package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.spi.Availability;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import io.github.vaultk8strust.spi.BackendFeature;
import io.github.vaultk8strust.spi.BackendProvider;
import io.github.vaultk8strust.spi.BackendRequest;
import io.github.vaultk8strust.spi.PreparedBackend;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.container.ContainerVault;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.Progress;
import io.github.vaultk8strust.support.ServerVersions;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * The local backend: real {@code etcd}, {@code kube-apiserver} and {@code vault} (or {@code bao}) processes on
 * 127.0.0.1. No pods; AUTO's first choice when its binaries can be had. With {@code vaultk8s.vault.placement=container}
 * Vault runs in a Docker container instead ({@link LocalPlacement}).
 */
@API(status = INTERNAL, since = "0.1")
public final class LocalBackendProvider implements BackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "local";

    private final Supplier<ContainerDocker.Answer> docker;

    /** The provider {@link java.util.ServiceLoader} creates. */
    public LocalBackendProvider() {
        this(ContainerDocker::ping);
    }

    /** A provider asking {@code docker} whether an engine answers (tests). */
    LocalBackendProvider(Supplier<ContainerDocker.Answer> docker) {
        this.docker = docker;
    }

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
        LocalPlacement placement;
        try {
            placement = LocalPlacement.from(config);
        } catch (BackendConfigException e) {
            // AUTO passes over this backend (in-cluster asks for k3s); named explicitly, shape() fails with the reason.
            return Availability.no("its Vault cannot run there: " + e.getMessage());
        }
        LocalOptions options = LocalOptions.from(config);
        if (openBao(config) && !placement.container() && openBaoBinary(options).isEmpty()) {
            return Availability.no(OPENBAO_MISSING);
        }
        BinarySources sources = BinarySources.fromEnvironment(withOpenBao(config, options), versions(config),
                options.cacheDir(), options.download(), options.build());
        return ServerBinaries.canObtain(servers(placement), sources);
    }

    @Override
    public Map<String, String> shape(BackendConfig config) {
        LocalOptions options = LocalOptions.from(config);
        LocalPlacement placement = LocalPlacement.from(config);
        if (placement.container()) {
            // Before anything starts: the container placement without an engine fails here, naming the alternatives.
            ContainerDocker.requireEngine(config, docker.get());
        }
        Map<String, String> shape = new TreeMap<>(placement.shape());
        // The versions are the environment's identity: two classes asking for different ones never share one.
        shape.put("kubernetes-version", config.get(ConfigKeys.KUBERNETES_VERSION_KEY)
                .orElse(ConfigKeys.DEFAULT_KUBERNETES_VERSION));
        if (options.allApiGroups()) {
            shape.put("api-groups", "all");
        }
        shape.put("etcd-version", ServerVersions.etcdFor(shape.get("kubernetes-version")));
        if (openBao(config)) {
            if (placement.container()) {
                throw new BackendConfigException("vaultk8s.vault.flavor = openbao is not applied to Vault in a "
                        + "container: choose the image with " + ConfigKeys.VAULT_CONTAINER_IMAGE_KEY + " instead");
            }
            shape.put("vault-flavor", "openbao");
            shape.put("vault-version", "openbao");
        } else if (placement.container()) {
            config.get(ConfigKeys.VAULT_VERSION_KEY).ifPresent(version -> {
                throw new BackendConfigException(ConfigKeys.VAULT_VERSION_KEY + " = \"" + version + "\" is not applied "
                        + "to Vault in a container (vaultk8s.vault.placement=container): its version is the image's. "
                        + "Leave the Vault version unset and choose the image with " + ConfigKeys.VAULT_CONTAINER_IMAGE_KEY
                        + ", e.g. hashicorp/vault:" + version);
            });
        } else {
            shape.put("vault-version", config.get(ConfigKeys.VAULT_VERSION_KEY)
                    .orElse(ConfigKeys.DEFAULT_VAULT_VERSION));
        }
        options.explicitBinaries().forEach((binary, path) -> {
            if (servers(placement).contains(binary)) {
                shape.put(binary.settingKey(), path.toString());
            }
        });
        return shape;
    }

    @Override
    public PreparedBackend prepare(BackendRequest request) {
        LocalOptions options = LocalOptions.from(request.config());
        LocalPlacement placement = LocalPlacement.from(request.config());
        if (openBao(request.config()) && openBaoBinary(options).isEmpty()) {
            throw new MissingServerBinaryException(OPENBAO_MISSING, Map.of(ServerBinary.VAULT, List.of(
                    "setting " + ServerBinary.VAULT.settingKey() + ": not set", "PATH: no bao")));
        }
        BinarySources sources = BinarySources.fromEnvironment(withOpenBao(request.config(), options),
                versions(request.config()), options.cacheDir(), options.download(), options.build());
        // The one slow key starts now, beside the binaries' lookup (and the servers' launch, if it takes longer).
        java.util.concurrent.CompletableFuture<java.security.KeyPair> serviceAccountKeys = Pki.serviceAccountKeys();
        long started = System.nanoTime();
        Map<ServerBinary, Path> binaries;
        java.time.Duration binariesTime;
        try {
            binaries = ServerBinaries.resolveAll(servers(placement), sources, Progress::say);
            binariesTime = java.time.Duration.ofNanos(System.nanoTime() - started);
            if (placement.container()) {
                // Outside the start-up budget, like the binaries: the image is there, or pulled now.
                ContainerDocker.ensureImage(ContainerVault.imageName(placement.image()));
            }
        } catch (RuntimeException | Error e) {
            // No environment will use the key: let its generation (an openssl process, when on the PATH) end
            // before the failure propagates, so that nothing this call started outlives it.
            settle(serviceAccountKeys);
            throw e;
        }
        return new PreparedBackend() {
            @Override
            public RunningBackend start(Deadline deadline) {
                return start(deadline, backend -> { });
            }

            @Override
            public RunningBackend start(Deadline deadline, Consumer<RunningBackend> vaultReady) {
                return LocalBackend.start(binaries, request.vaultMode(), placement, request.keepOnFailure(),
                        binariesTime, serviceAccountKeys, options.allApiGroups(), vaultReady, deadline);
            }
        };
    }

    /** Wait (at most 35 seconds: openssl's own limit, then the JDK's) for a key generation nobody needs. */
    static void settle(java.util.concurrent.CompletableFuture<?> generation) {
        try {
            generation.handle((result, failure) -> null).get(35, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Nothing to add to the failure being reported.
        }
    }

    static final String OPENBAO_MISSING = "OpenBao (vaultk8s.vault.flavor = openbao) needs a bao binary, and none "
            + "was found (setting " + ConfigKeys.LOCAL_VAULT_KEY + " / VAULTK8S_LOCAL_VAULT not set, no bao on PATH). The "
            + "library cannot build OpenBao (the Go module proxy refuses github.com/openbao/openbao) and downloads only "
            + "HashiCorp releases: download bao from https://github.com/openbao/openbao/releases and put it on the PATH, "
            + "or point " + ConfigKeys.LOCAL_VAULT_KEY + " at it.";

    private static boolean openBao(BackendConfig config) {
        return config.get(ConfigKeys.VAULT_FLAVOR_KEY).filter("openbao"::equals).isPresent();
    }

    /** The bao binary: the explicit vault setting, else {@code bao} on PATH (never a {@code vault}). */
    private static java.util.Optional<Path> openBaoBinary(LocalOptions options) {
        Path explicit = options.explicitBinaries().get(ServerBinary.VAULT);
        if (explicit != null) {
            return java.util.Optional.of(explicit);
        }
        return BinarySources.splitPath(System.getenv("PATH")).stream().map(dir -> dir.resolve("bao"))
                .filter(p -> java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)).findFirst();
    }

    /** With OpenBao, the bao binary becomes the explicit vault binary, so no vault is searched, downloaded or built. */
    private static Map<ServerBinary, Path> withOpenBao(BackendConfig config, LocalOptions options) {
        if (!openBao(config)) {
            return options.explicitBinaries();
        }
        Map<ServerBinary, Path> explicit = new java.util.EnumMap<>(ServerBinary.class);
        explicit.putAll(options.explicitBinaries());
        openBaoBinary(options).ifPresent(bao -> explicit.put(ServerBinary.VAULT, bao));
        return explicit;
    }

    /**
     * The versions asked for explicitly ({@link ConfigKeys#KUBERNETES_VERSION_KEY}, {@link ConfigKeys#VAULT_VERSION_KEY},
     * already resolved by the core): those binaries come from their own cache folder, download or wrapper module, and
     * one found on {@code PATH} is used only if it says it is that version. Unset: the pins, and any binary found.
     */
    static Map<ServerBinary, String> versions(BackendConfig config) {
        Map<ServerBinary, String> versions = new java.util.EnumMap<>(ServerBinary.class);
        config.get(ConfigKeys.KUBERNETES_VERSION_KEY).ifPresent(k8s -> {
            versions.put(ServerBinary.KUBE_APISERVER, "v" + k8s);
            String etcd = "v" + ServerVersions.etcdFor(k8s);
            if (!etcd.equals(ServerBinary.ETCD.version())) {
                versions.put(ServerBinary.ETCD, etcd);
            }
        });
        config.get(ConfigKeys.VAULT_VERSION_KEY).ifPresent(vault -> versions.put(ServerBinary.VAULT, "v" + vault));
        return versions;
    }

    /** The servers this backend runs as processes: Vault too, unless it runs in a container. */
    private static Set<ServerBinary> servers(LocalPlacement placement) {
        return placement.container() ? EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER)
                : EnumSet.of(ServerBinary.ETCD, ServerBinary.KUBE_APISERVER, ServerBinary.VAULT);
    }
}
