package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.Seed;
import org.apiguardian.api.API;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultFlavor;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultPlacement;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Give the annotated test class a throwaway Kubernetes cluster and a Vault server that trust each other
 * through OIDC, set up the way {@code vault write auth/jwt/config oidc_discovery_url=<cluster issuer>} does by hand.
 *
 * <p>With no attributes the environment reproduces the classic hand-made walkthrough exactly: the cluster's
 * service-account issuer discovery is readable anonymously, Vault is initialised (5 key shares, threshold 3)
 * and unsealed, KV v2 is mounted at {@code kvv2}, the {@code jwt} auth method trusts the cluster issuer, role
 * {@code k8s-dev} binds {@code system:serviceaccount:default:vault-writer} with audience {@code vault-dev} to
 * policy {@code k8s-dev-writer}, and service account {@code vault-writer} exists in {@code default}.
 *
 * <p>Everything else is additive: {@link #roles()}, {@link #policies()}, {@link #serviceAccounts()} and
 * {@link #namespaces()} add to that scenario; {@link #seedScenario()} {@code = false} starts from an empty trust.
 *
 * <p>Attributes left at their sentinel defaults are read, in this order, from a JUnit configuration parameter
 * (the {@code *_KEY} constants below; {@code junit-platform.properties} or {@code -D}), from an environment
 * variable with the mechanical name ({@code vaultk8s.backend} becomes {@code VAULTK8S_BACKEND}), and finally from
 * the documented default.
 *
 * <p>All test classes of one run whose resolved settings are equal share one environment; it is stopped and
 * deleted when the run ends. May be used as a meta-annotation.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(VaultK8sTrustExtension.class)
@ExtendWith(FeatureUnavailableHandler.class)
@API(status = EXPERIMENTAL, since = "0.1")
public @interface VaultK8sTrust {

    /** Configuration key for {@link #backend()}: {@code auto}, {@code local} or {@code k3s}. */
    String BACKEND_KEY = ConfigKeys.BACKEND_KEY;
    /** Configuration key for {@link #vaultMode()}: {@code init} or {@code dev}. */
    String VAULT_MODE_KEY = ConfigKeys.VAULT_MODE_KEY;
    /** Configuration key for {@link #vaultPlacement()}: {@code in-cluster}, {@code process} or {@code container}. */
    String VAULT_PLACEMENT_KEY = ConfigKeys.VAULT_PLACEMENT_KEY;
    /** Configuration key for the Vault image of the {@code container} placement (default {@code hashicorp/vault:1.21}). */
    String VAULT_CONTAINER_IMAGE_KEY = ConfigKeys.VAULT_CONTAINER_IMAGE_KEY;
    /** Configuration key for {@link #startupTimeout()}, e.g. {@code 120s}, {@code 2m}, {@code PT2M}. */
    String STARTUP_TIMEOUT_KEY = ConfigKeys.STARTUP_TIMEOUT_KEY;
    /** Configuration key for the local backend's etcd binary. */
    String LOCAL_ETCD_KEY = ConfigKeys.LOCAL_ETCD_KEY;
    /** Configuration key for the local backend's kube-apiserver binary. */
    String LOCAL_KUBE_APISERVER_KEY = ConfigKeys.LOCAL_KUBE_APISERVER_KEY;
    /** Configuration key for the local backend's {@code vault} or {@code bao} binary. */
    String LOCAL_VAULT_KEY = ConfigKeys.LOCAL_VAULT_KEY;
    /** Configuration key for the directory where built or downloaded server binaries are cached. */
    String CACHE_DIR_KEY = ConfigKeys.CACHE_DIR_KEY;
    /** Configuration key: {@code false} forbids downloading server binaries from their official release sites. */
    String DOWNLOAD_KEY = ConfigKeys.DOWNLOAD_KEY;
    /** Configuration key: {@code false} forbids building server binaries from pinned Go modules. */
    String BUILD_KEY = ConfigKeys.BUILD_KEY;
    /** Configuration key for {@link #k3sImage()}: the k3s image, e.g. {@code rancher/k3s:v1.34.1-k3s1}. */
    String K3S_IMAGE_KEY = ConfigKeys.K3S_IMAGE_KEY;
    /** Configuration key for {@link #vaultImage()} on the k3s backend, e.g. {@code openbao/openbao:2.4}. */
    String K3S_VAULT_IMAGE_KEY = ConfigKeys.K3S_VAULT_IMAGE_KEY;
    /**
     * Configuration key for the k3s system images (pause, CoreDNS, local-path provisioner, ...) to pull through the
     * host Docker and side-load into k3s, comma separated; {@code none} side-loads none (k3s then pulls them itself).
     * The default matches the default {@link #k3sImage()}.
     */
    String K3S_SYSTEM_IMAGES_KEY = ConfigKeys.K3S_SYSTEM_IMAGES_KEY;
    /**
     * Configuration key: what a k3s-only feature ({@link InClusterWorkload}, {@link TrustEnvironment#startWorkload})
     * does on the local backend: {@code skip} (default: the test is reported skipped with the reason) or
     * {@code fail}.
     */
    String K3S_ONLY_KEY = ConfigKeys.K3S_ONLY_KEY;
    /** Configuration key: keep a failed environment's directory and logs, and print where ({@code true}/{@code false}). */
    String KEEP_ON_FAILURE_KEY = ConfigKeys.KEEP_ON_FAILURE_KEY;
    /** Configuration key for {@link #authMethods()}: {@code jwt}, {@code kubernetes} or {@code jwt,kubernetes}. */
    String AUTH_METHODS_KEY = ConfigKeys.AUTH_METHODS_KEY;
    /** Configuration key for {@link #kubernetesAuthPath()}. */
    String KUBERNETES_AUTH_PATH_KEY = ConfigKeys.KUBERNETES_AUTH_PATH_KEY;
    /** Configuration key for {@link #tokenReviewer()}: {@code reviewer-service-account} or {@code client-token}. */
    String TOKEN_REVIEWER_KEY = ConfigKeys.TOKEN_REVIEWER_KEY;
    /** Configuration key: how many shared environments one run keeps open at most (default 3). */
    String CACHE_MAX_SIZE_KEY = ConfigKeys.CACHE_MAX_SIZE_KEY;

    /** The default k3s image. */
    String DEFAULT_K3S_IMAGE = ConfigKeys.DEFAULT_K3S_IMAGE;
    /** The default Vault image of the k3s backend, the walkthrough's. */
    String DEFAULT_VAULT_IMAGE = ConfigKeys.DEFAULT_VAULT_IMAGE;

    /** The seed's role name, also the default {@link #defaultRole()}. */
    String SEED_ROLE = Seed.ROLE;
    /** The seed's policy name. */
    String SEED_POLICY = Seed.POLICY;
    /** The seed's service account name (in namespace {@code default}). */
    String SEED_SERVICE_ACCOUNT = Seed.SERVICE_ACCOUNT;
    /** The seed's namespace. */
    String SEED_NAMESPACE = Seed.NAMESPACE;
    /** The seed's token audience. */
    String SEED_AUDIENCE = Seed.AUDIENCE;

    /** Choose where the cluster and Vault run; {@link Backend#DEFAULT} defers to {@link #BACKEND_KEY}. */
    Backend backend() default Backend.DEFAULT;

    /** Choose how Vault starts; {@link VaultMode#DEFAULT} defers to {@link #VAULT_MODE_KEY}. */
    VaultMode vaultMode() default VaultMode.DEFAULT;

    /**
     * Choose where Vault runs: {@link VaultPlacement#PROCESS} (local backend), {@link VaultPlacement#CONTAINER} (a
     * Testcontainers {@code VaultContainer} beside the cluster, on either backend; needs Docker) or
     * {@link VaultPlacement#IN_CLUSTER} (k3s backend); {@link VaultPlacement#DEFAULT} defers to {@link #VAULT_PLACEMENT_KEY}, then the backend's
     * default.
     */
    VaultPlacement vaultPlacement() default VaultPlacement.DEFAULT;

    /**
     * Choose the Kubernetes version, e.g. {@code "1.33"} (its newest known patch) or {@code "1.33.13"}; empty defers
     * to {@code vaultk8s.kubernetes.version}, then the library's pin ({@code 1.34.10}). An unknown version fails,
     * listing the known ones. Not allowed together with {@link TrustMatrix}, which sets it per invocation.
     */
    String kubernetesVersion() default "";

    /**
     * Choose the Vault version, e.g. {@code "1.19"} or {@code "1.19.5"}; empty defers to
     * {@code vaultk8s.vault.version}, then the library's pin ({@code 1.21.0}). Not allowed together with
     * {@link TrustMatrix}.
     */
    String vaultVersion() default "";

    /**
     * Choose HashiCorp Vault or OpenBao; {@link VaultFlavor#DEFAULT} defers to {@code vaultk8s.vault.flavor}, then
     * Vault. OpenBao cannot be built by the library: on the local backend put {@code bao} on the {@code PATH} or
     * point {@code vaultk8s.local.vault} at it (releases: https://github.com/openbao/openbao/releases).
     */
    VaultFlavor vaultFlavor() default VaultFlavor.DEFAULT;

    /**
     * Set the start-up budget for all servers together, e.g. {@code "90s"}; empty defers to
     * {@link #STARTUP_TIMEOUT_KEY}, then 120 seconds.
     */
    String startupTimeout() default "";

    /**
     * Set the k3s image of the {@link Backend#K3S} backend (any image compatible with {@code rancher/k3s}); empty
     * defers to {@link #K3S_IMAGE_KEY}, then {@link #DEFAULT_K3S_IMAGE}.
     */
    String k3sImage() default "";

    /**
     * Set the Vault image the {@link Backend#K3S} backend deploys ({@code hashicorp/vault} or {@code openbao/openbao});
     * empty defers to {@link #K3S_VAULT_IMAGE_KEY}, then {@link #DEFAULT_VAULT_IMAGE}.
     */
    String vaultImage() default "";

    /** Include the seed's role {@code k8s-dev}, policy {@code k8s-dev-writer} and service account {@code vault-writer}. */
    boolean seedScenario() default true;

    /** Set the path at which KV version 2 is mounted. */
    String kvPath() default "kvv2";

    /** Set the path at which the {@code jwt} auth method is enabled. */
    String authPath() default "jwt";

    /**
     * Choose the Vault auth methods to enable, each at its own path: {@code JWT} (the walkthrough), {@code KUBERNETES},
     * or both. Empty defers to {@link #AUTH_METHODS_KEY}, then {@code JWT} alone. With {@code KUBERNETES} and
     * {@link #seedScenario()}, the seed's workload also gets a kubernetes role: {@code k8s-dev-kubernetes} beside
     * jwt's {@code k8s-dev}, or {@code k8s-dev} when kubernetes is the only method.
     */
    AuthMethod[] authMethods() default {};

    /**
     * Set the path at which the {@code kubernetes} auth method is enabled; empty defers to
     * {@link #KUBERNETES_AUTH_PATH_KEY}, then {@code kubernetes}. Must differ from {@link #authPath()}.
     */
    String kubernetesAuthPath() default "";

    /**
     * Choose who calls TokenReview for the {@code kubernetes} auth method: a reviewer service account bound to
     * {@code system:auth-delegator} (default) or each client's own token; {@link TokenReviewer#DEFAULT} defers to
     * {@link #TOKEN_REVIEWER_KEY}.
     */
    TokenReviewer tokenReviewer() default TokenReviewer.DEFAULT;

    /** Add roles of the {@code kubernetes} auth method; the service accounts they name are created too. */
    KubernetesRole[] kubernetesRoles() default {};

    /** Set the {@code default_role} of the {@code jwt} auth method; empty means none. */
    String defaultRole() default SEED_ROLE;

    /** Add JWT roles; the service accounts named by their {@code boundSubject} are created too. */
    JwtRole[] roles() default {};

    /** Add Vault ACL policies. */
    VaultPolicy[] policies() default {};

    /** Add service accounts (their namespaces are created when missing). */
    K8sServiceAccount[] serviceAccounts() default {};

    /** Add namespaces. */
    String[] namespaces() default {};

    /**
     * Share the environment with every class of the run whose settings are equal (default), or give this class a
     * private one, started before its first test and closed after its last.
     */
    boolean shared() default true;
}
