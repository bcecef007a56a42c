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

    /** Return the names of the configured JWT roles. */
    Set<String> roles();

    /**
     * Return the configured role with this name, as it was written to Vault.
     *
     * @throws IllegalArgumentException when no role has this name (the message lists the configured roles)
     */
    RoleSpec role(String name);

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
     * Log in through {@code auth/<authPath>/login} ({@code vault write auth/jwt/login role=<role> jwt=<token>}).
     *
     * @throws VaultLoginException when Vault rejects the token, with Vault's reasons
     */
    VaultSession login(String role, String jwt);

    /**
     * Log in with a fresh token for the service account and audience the role binds.
     *
     * @throws VaultLoginException when Vault rejects the token
     * @throws IllegalArgumentException when the role is unknown or binds no service account
     */
    VaultSession login(String role);

    /**
     * Start a pod inside the cluster that runs under a service account with a projected token, and wait until it
     * is ready; the caller closes it (which deletes the pod), or it is deleted when the environment stops. Only the
     * {@link Backend#K3S} backend runs pods: on {@link Backend#LOCAL} this aborts the calling test (reported
     * skipped, with the reason), or throws {@link VaultK8sTrustException} when {@link ConfigKeys#K3S_ONLY_KEY}
     * is {@code fail}.
     *
     * <pre>{@code
     * try (Workload pod = environment.startWorkload(WorkloadSpec.seed())) {
     *     ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev", "jwt=@/service-account/token");
     * }
     * }</pre>
     *
     * @throws VaultK8sTrustException when the pod cannot be created or does not become ready in the start-up budget
     */
    Workload startWorkload(WorkloadSpec spec);
}
