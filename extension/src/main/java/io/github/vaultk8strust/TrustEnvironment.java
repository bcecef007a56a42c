package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.PrivateKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Describe and use a running {@code @VaultK8sTrust} environment: a Kubernetes cluster and a Vault server that
 * trust each other. Inject it into a test method or constructor by its type.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface TrustEnvironment {

    /**
     * Return a builder that starts an environment without JUnit's annotation (Spring tests, TestNG, {@code main},
     * computed settings); the caller closes what {@link TrustEnvironmentBuilder#start()} returns.
     */
    static TrustEnvironmentBuilder builder() {
        return new TrustEnvironmentBuilder();
    }

    /** Return the backend that runs this environment ({@link Backend#LOCAL} or {@link Backend#K3S}). */
    Backend backend();

    /** Return the name of the backend that runs this environment, e.g. {@code local} (also for third-party backends). */
    String backendName();

    /**
     * Return the Kubernetes version this environment runs, e.g. {@code 1.34.10}: the resolved
     * {@link ConfigKeys#KUBERNETES_VERSION_KEY} ({@code "1.33"} resolves to its newest known patch), else the pin.
     */
    String kubernetesVersion();

    /** Return the Vault version this environment runs, e.g. {@code 1.21.0}: the resolved {@link ConfigKeys#VAULT_VERSION_KEY}, else the pin. */
    String vaultVersion();

    /** Return the cluster's service-account issuer, byte for byte the {@code oidc_discovery_url} Vault trusts. */
    String issuer();

    /** Return the cluster's {@code /.well-known/openid-configuration} document. */
    Map<String, Object> discoveryDocument();

    /** Return the PEM of the CA that signs the API server's serving certificate. */
    String caPem();

    /** Return the API server URL reachable from this JVM. */
    String apiServerUrl();

    /** Return the Vault address reachable from this JVM, e.g. {@code http://127.0.0.1:41234}. */
    String vaultAddress();

    /** Return the KV version 2 mount path, e.g. {@code kvv2}. */
    String kvPath();

    /** Return the {@code jwt} auth method's mount path, e.g. {@code jwt}. */
    String authPath();

    /** Return the enabled auth methods ({@code jwt} alone unless asked otherwise). */
    Set<AuthMethod> authMethods();

    /** Return the {@code kubernetes} auth method's mount path, e.g. {@code kubernetes} (also when it is not enabled). */
    String kubernetesAuthPath();

    /** Return the mount path of an auth method: {@link #authPath()} or {@link #kubernetesAuthPath()}. */
    default String authPath(AuthMethod method) {
        return method == AuthMethod.KUBERNETES ? kubernetesAuthPath() : authPath();
    }

    /** Return the names of the configured roles of every enabled auth method (names are unique across methods). */
    Set<String> roles();

    /**
     * Return the auth method a role belongs to.
     *
     * @throws IllegalArgumentException when no role has this name (the message lists the configured roles)
     */
    AuthMethod authMethod(String role);

    /**
     * Return the configured {@code jwt} role with this name, as it was written to Vault.
     *
     * @throws IllegalArgumentException when no jwt role has this name (the message lists the configured roles, and
     *                                  says so when the name is a kubernetes role)
     */
    RoleSpec role(String name);

    /**
     * Return the configured {@code kubernetes} role with this name, as it was written to Vault.
     *
     * @throws IllegalArgumentException when no kubernetes role has this name
     */
    KubernetesRoleSpec kubernetesRole(String name);

    /**
     * Return the private key the cluster signs service-account tokens with, when the backend can hand it out (the
     * local backend generates it; k3s's is copied out of the container). The verification toolkit forges tokens
     * Kubernetes would never issue with it (expired, not yet valid, another issuer). Never log it.
     */
    Optional<PrivateKey> serviceAccountSigningKey();

    /** Create a new administrator client; the caller closes it. */
    KubernetesClient newKubernetesClient();

    /** Return a session holding the root token (closing it does nothing). */
    VaultSession root();

    /**
     * Mint a token through the TokenRequest API ({@code kubectl create token <sa> --audience=<audience>}), valid
     * for one hour.
     */
    ServiceAccountJwt mintToken(String namespace, String serviceAccount, String audience);

    /** Mint a token with the given lifetime in seconds (Kubernetes refuses less than 600). */
    ServiceAccountJwt mintToken(String namespace, String serviceAccount, String audience, long expirationSeconds);

    /**
     * Mint a token for several audiences, e.g. the role's and the API server's (the issuer, unless the API server
     * runs with other {@code --api-audiences}) for the {@code kubernetes} auth method in
     * {@link TokenReviewer#CLIENT_TOKEN} mode, where Vault calls TokenReview with the login token itself.
     */
    ServiceAccountJwt mintToken(String namespace, String serviceAccount, java.util.List<String> audiences,
                                long expirationSeconds);

    /**
     * Log in through the login path of the role's auth method: {@code auth/<authPath>/login} for a jwt role
     * ({@code vault write auth/jwt/login role=<role> jwt=<token>}), {@code auth/<kubernetesAuthPath>/login} for a
     * kubernetes role.
     *
     * @throws VaultLoginException when Vault rejects the token, with Vault's reasons and, for {@code kubernetes}, the
     *                             API server's TokenReview verdict on the token
     */
    VaultSession login(String role, String jwt);

    /**
     * Log in at the given auth method's login path with any role name, also one this environment did not declare
     * (e.g. a role written through {@link #root()} by the test itself); rejections are explained as for
     * {@link #login(String, String)}.
     *
     * @throws VaultLoginException when Vault rejects the token
     */
    VaultSession login(AuthMethod method, String role, String jwt);

    /**
     * Log in with a fresh token for the service account and audience the role binds (for a kubernetes role: its
     * first name and namespace without globs, and its audience, or {@code vault-dev} when it sets none).
     *
     * @throws VaultLoginException when Vault rejects the token
     * @throws IllegalArgumentException when the role is unknown or binds no service account
     */
    VaultSession login(String role);

    /**
     * Write a service-account token to a file and keep it fresh like the kubelet does for a projected token volume
     * (rewritten atomically before 80 % of its lifetime), for application code that reads a token path. The caller
     * closes the handle; the environment closes any left open when it stops.
     *
     * @throws VaultK8sTrustException when the file cannot be written (the message names the path) or the
     *                                TokenRequest is refused
     */
    ProjectedTokenFile projectToken(TokenFileSpec spec);

    /**
     * Start a pod inside the cluster that runs under a service account with a projected token, and wait until it
     * is ready; the caller closes it (which deletes the pod), or it is deleted when the environment stops. Only the
     * {@link Backend#K3S} backend runs pods: on {@link Backend#LOCAL} this throws
     * {@link FeatureUnavailableException}, which aborts a {@code @VaultK8sTrust} test (reported skipped, with the
     * reason), or a plain {@link VaultK8sTrustException} when {@link ConfigKeys#K3S_ONLY_KEY} is {@code fail}.
     *
     * <pre>{@code
     * try (Workload pod = environment.startWorkload(WorkloadSpec.seed())) {
     *     ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev", "jwt=@/service-account/token");
     * }
     * }</pre>
     *
     * @throws FeatureUnavailableException when the backend runs no pods and {@link ConfigKeys#K3S_ONLY_KEY} is
     *                                     {@code skip}
     * @throws VaultK8sTrustException when the pod cannot be created or does not become ready in the start-up budget
     */
    Workload startWorkload(WorkloadSpec spec);
}
