package io.github.vaultk8strust;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;

/**
 * Describe and use a running {@link VaultK8sTrust} environment: a Kubernetes cluster and a Vault server that
 * trust each other. Inject it into a test method or constructor by its type.
 */
public interface TrustEnvironment {

    /** Return the backend that runs this environment ({@link Backend#LOCAL} or {@link Backend#K3S}). */
    Backend backend();

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
}
