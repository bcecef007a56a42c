package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * Name the configuration keys every environment setting can be given under, and their defaults. A setting not given
 * in code (annotation attribute or builder call) is read, first found wins, from a configuration parameter (JUnit's
 * {@code junit-platform.properties} or {@code -D}; outside JUnit, a system property), then from an environment
 * variable with the mechanical name ({@code vaultk8s.backend} becomes {@code VAULTK8S_BACKEND}), then the default.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ConfigKeys {

    private ConfigKeys() {
    }

    /** Configuration key for {@code backend}: {@code auto}, {@code local} or {@code k3s}. */
    public static final String BACKEND_KEY = "vaultk8s.backend";
    /** Configuration key for {@code vaultMode}: {@code init} or {@code dev}. */
    public static final String VAULT_MODE_KEY = "vaultk8s.vault.mode";
    /**
     * Configuration key for {@code vaultPlacement}: where Vault runs, {@code in-cluster} (k3s only), {@code process}
     * (local only) or {@code container} (a Testcontainers {@code VaultContainer} beside the cluster). Default: the
     * backend's ({@code process} for local, {@code in-cluster} for k3s).
     */
    public static final String VAULT_PLACEMENT_KEY = "vaultk8s.vault.placement";
    /**
     * Configuration key for the image of Vault in the {@code container} placement: {@code hashicorp/vault} or an image
     * that behaves like it (its entrypoint, {@code VAULT_LOCAL_CONFIG}, {@code /vault/file}); default
     * {@value #DEFAULT_VAULT_CONTAINER_IMAGE}. On the k3s backend workload pods default to it too.
     */
    public static final String VAULT_CONTAINER_IMAGE_KEY = "vaultk8s.vault.container-image";
    /**
     * Configuration key: the host name Vault in a container uses to reach the local backend's API server, and so the
     * host of the issuer; default {@value #DEFAULT_LOCAL_ISSUER_HOST} (mapped to the Docker host gateway).
     */
    public static final String LOCAL_ISSUER_HOST_KEY = "vaultk8s.local.issuer-host";
    /**
     * Configuration key: {@code false} leaves the issuer host out of the API server certificate's SANs, so that Vault
     * in a container cannot verify the issuer; only for seeing the diagnosis. Default {@code true}.
     */
    public static final String LOCAL_ISSUER_HOST_IN_CERT_KEY = "vaultk8s.local.issuer-host-in-cert";
    /** Configuration key for {@code startupTimeout}, e.g. {@code 120s}, {@code 2m}, {@code PT2M}. */
    public static final String STARTUP_TIMEOUT_KEY = "vaultk8s.startup.timeout";
    /**
     * Configuration key for {@code kubernetesVersion}: the Kubernetes (kube-apiserver) version, full ({@code 1.33.13})
     * or a minor ({@code 1.33}, the newest known patch); default {@value #DEFAULT_KUBERNETES_VERSION}. The known
     * versions are listed in the README's compatibility table.
     */
    public static final String KUBERNETES_VERSION_KEY = "vaultk8s.kubernetes.version";
    /**
     * Configuration key for {@code vaultVersion}: the Vault version, full ({@code 1.19.5}) or a minor ({@code 1.19});
     * default {@value #DEFAULT_VAULT_VERSION}.
     */
    public static final String VAULT_VERSION_KEY = "vaultk8s.vault.version";
    /**
     * Configuration key for {@code vaultFlavor}: {@code vault} (default) or {@code openbao} ({@link VaultFlavor});
     * OpenBao's {@code bao} must be provided on the local backend.
     */
    public static final String VAULT_FLAVOR_KEY = "vaultk8s.vault.flavor";
    /** The default of {@link #KUBERNETES_VERSION_KEY}: the kube-apiserver the library pins. */
    public static final String DEFAULT_KUBERNETES_VERSION = "1.34.10";
    /** The default of {@link #VAULT_VERSION_KEY}: the Vault the library pins. */
    public static final String DEFAULT_VAULT_VERSION = "1.21.0";
    /** Configuration key for the local backend's etcd binary. */
    public static final String LOCAL_ETCD_KEY = "vaultk8s.local.etcd";
    /** Configuration key for the local backend's kube-apiserver binary. */
    public static final String LOCAL_KUBE_APISERVER_KEY = "vaultk8s.local.kube-apiserver";
    /** Configuration key for the local backend's {@code vault} or {@code bao} binary. */
    public static final String LOCAL_VAULT_KEY = "vaultk8s.local.vault";
    /** Configuration key for the directory where built or downloaded server binaries are cached. */
    public static final String CACHE_DIR_KEY = "vaultk8s.cache.dir";
    /** Configuration key: {@code false} forbids downloading server binaries from their official release sites. */
    public static final String DOWNLOAD_KEY = "vaultk8s.local.download";
    /** Configuration key: {@code false} forbids building server binaries from pinned Go modules. */
    public static final String BUILD_KEY = "vaultk8s.local.build";
    /**
     * Configuration key: {@code true} makes the local kube-apiserver serve every API group it serves by default
     * ({@code batch}, {@code policy}, {@code autoscaling}, ...) instead of only the groups trust tests use, for tests
     * that create objects of those groups; it costs some memory. Default {@code false}.
     */
    public static final String LOCAL_ALL_API_GROUPS_KEY = "vaultk8s.local.all-api-groups";
    /** Configuration key for {@code k3sImage}: the k3s image, e.g. {@code rancher/k3s:v1.34.1-k3s1}. */
    public static final String K3S_IMAGE_KEY = "vaultk8s.k3s.image";
    /** Configuration key for {@code vaultImage} on the k3s backend, e.g. {@code openbao/openbao:2.4}. */
    public static final String K3S_VAULT_IMAGE_KEY = "vaultk8s.k3s.vault-image";
    /**
     * Configuration key for the k3s system images (pause, CoreDNS, local-path provisioner, ...) to pull through the
     * host Docker and side-load into k3s, comma separated; {@code none} side-loads none (k3s then pulls them itself).
     * The default matches the default {@code k3sImage}.
     */
    public static final String K3S_SYSTEM_IMAGES_KEY = "vaultk8s.k3s.system-images";
    /**
     * Configuration key: what a k3s-only feature ({@code @InClusterWorkload}, {@link TrustEnvironment#startWorkload})
     * does on the local backend: {@code skip} (default: the test is reported skipped with the reason) or
     * {@code fail}.
     */
    public static final String K3S_ONLY_KEY = "vaultk8s.k3s-only";
    /**
     * Configuration key: {@code true} keeps a failed environment's directory and logs (secrets still masked) and
     * prints where it is; default {@code false}.
     */
    public static final String KEEP_ON_FAILURE_KEY = "vaultk8s.keep-on-failure";
    /**
     * Configuration key: how many shared environments one test run keeps at most (default {@value #DEFAULT_CACHE_MAX_SIZE});
     * when a new one is needed, the least recently used one that no running class uses is closed first.
     */
    public static final String CACHE_MAX_SIZE_KEY = "vaultk8s.cache.max-size";
    /**
     * Configuration key {@value}: what a {@code @TrustMatrix} combination that cannot run here (its binaries cannot be
     * had, its backend says no) does: {@code skip} (default: it is reported skipped with the reason) or {@code fail}.
     */
    public static final String MATRIX_UNAVAILABLE_KEY = "vaultk8s.matrix.unavailable";
    /** The default of {@link #CACHE_MAX_SIZE_KEY}: each local environment takes about 500 MiB of memory. */
    public static final String DEFAULT_CACHE_MAX_SIZE = "3";
    /**
     * Configuration key: {@code true} (default) runs the k3s container privileged, as Testcontainers' K3sContainer
     * does; {@code false} grants every capability except {@code SYS_RESOURCE} with seccomp unconfined instead, for
     * hosts that refuse privileged containers ("unable to apply caps").
     */
    public static final String K3S_PRIVILEGED_KEY = "vaultk8s.k3s.privileged";
    /**
     * Configuration key for {@code authMethods}: the Vault auth methods to enable, comma separated: {@code jwt}
     * (default, the walkthrough), {@code kubernetes}, or {@code jwt,kubernetes}.
     */
    public static final String AUTH_METHODS_KEY = "vaultk8s.auth.methods";
    /** Configuration key for {@code kubernetesAuthPath}: where the {@code kubernetes} auth method is enabled. */
    public static final String KUBERNETES_AUTH_PATH_KEY = "vaultk8s.auth.kubernetes.path";
    /** The default of {@link #KUBERNETES_AUTH_PATH_KEY}. */
    public static final String DEFAULT_KUBERNETES_AUTH_PATH = "kubernetes";
    /**
     * Configuration key for {@code tokenReviewer}: who calls TokenReview for the {@code kubernetes} auth method,
     * {@code reviewer-service-account} (default) or {@code client-token} ({@link TokenReviewer}).
     */
    public static final String TOKEN_REVIEWER_KEY = "vaultk8s.auth.kubernetes.token-reviewer";
    /** The default k3s image. */
    public static final String DEFAULT_K3S_IMAGE = "rancher/k3s:v1.34.1-k3s1";
    /** The default Vault image of the k3s backend, the walkthrough's. */
    public static final String DEFAULT_VAULT_IMAGE = "hashicorp/vault:1.20";

    /** The default Vault image of the {@code container} placement: the minor line the local backend builds. */
    public static final String DEFAULT_VAULT_CONTAINER_IMAGE = "hashicorp/vault:1.21";
    /** The default host name of the issuer when Vault runs in a container beside the local backend. */
    public static final String DEFAULT_LOCAL_ISSUER_HOST = "host.docker.internal";

    /** Return the environment-variable name for a configuration key: {@code vaultk8s.backend} to {@code VAULTK8S_BACKEND}. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
