package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.fabric8.kubernetes.client.Config;
import java.security.PrivateKey;
import java.util.Optional;
import org.apiguardian.api.API;

/** What the trust flow needs to know about a running Kubernetes API server; backends answer, the flow asks. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Cluster {

    /** Return the API server URL reachable from this JVM. */
    String apiServerUrl();

    /**
     * Return the API server URL as Vault reaches it, for the {@code kubernetes} auth method's
     * {@code kubernetes_host}: the same as {@link #apiServerUrl()} when Vault runs beside this JVM, the in-cluster
     * address when Vault runs inside the cluster. Served with the certificate {@link #caPem()} signs.
     */
    default String apiServerUrlForVault() {
        return apiServerUrl();
    }

    /** Return the service-account issuer exactly as it appears in the discovery document and in tokens. */
    String issuer();

    /**
     * Return the JWKS URI the API server announces in its discovery document ({@code --service-account-jwks-uri}),
     * where Vault fetches the issuer's keys: under the issuer, so that Vault reaches both the same way. Backends pin
     * it; left to itself, kube-apiserver derives it from its external address, which Vault may not reach.
     */
    default String jwksUri() {
        return issuer() + "/openid/v1/jwks";
    }

    /** Return the PEM of the CA Vault needs to fetch the issuer's discovery document and keys. */
    String caPem();

    /** Return a client configuration authenticated as a cluster administrator. */
    Config adminConfig();

    /**
     * Return the private key the API server signs service-account tokens with, when the backend can hand it out
     * (the local backend generates it; a containerised backend copies it out). Used to forge tokens Kubernetes
     * would never issue, such as expired ones; empty when the backend cannot provide it.
     */
    default Optional<PrivateKey> serviceAccountPrivateKey() {
        return Optional.empty();
    }
}
