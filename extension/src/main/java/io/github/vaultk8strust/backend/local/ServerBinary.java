package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Name a server program that the local backend runs, with the version the library is pinned to.
 *
 * <p>Each constant knows the executable names to look for (in order of preference), the setting
 * key that points at an explicit binary, and the environment variable that does the same.
 */
@API(status = INTERNAL, since = "0.1")
public enum ServerBinary {
    /** The etcd key-value store behind kube-apiserver. */
    ETCD("etcd", "v3.6.14", List.of("etcd")),
    /** The Kubernetes API server, the OIDC issuer Vault trusts. */
    KUBE_APISERVER("kube-apiserver", "v1.34.10", List.of("kube-apiserver")),
    /** HashiCorp Vault; an OpenBao {@code bao} binary speaks the same API and is preferred when both are present. */
    VAULT("vault", "v1.21.0", List.of("bao", "vault"));

    private final String id;
    private final String version;
    private final List<String> executableNames;

    ServerBinary(String id, String version, List<String> executableNames) {
        this.id = id;
        this.version = version;
        this.executableNames = executableNames;
    }

    /**
     * Return the short name of this server, e.g. {@code kube-apiserver}; it is also the file name
     * of the cached binary and of the Go wrapper module.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Return the pinned upstream version, with its leading {@code v}, e.g. {@code v1.34.10}.
     *
     * @return the pinned version
     */
    public String version() {
        return version;
    }

    /**
     * Return the executable names to look for on {@code PATH}, most preferred first.
     *
     * @return an immutable list of file names
     */
    public List<String> executableNames() {
        return executableNames;
    }

    /**
     * Return the configuration key that names an explicit binary, e.g. {@code vaultk8s.local.etcd}.
     *
     * @return the setting key
     */
    public String settingKey() {
        return switch (this) {
            case ETCD -> ConfigKeys.LOCAL_ETCD_KEY;
            case KUBE_APISERVER -> ConfigKeys.LOCAL_KUBE_APISERVER_KEY;
            case VAULT -> ConfigKeys.LOCAL_VAULT_KEY;
        };
    }

    /**
     * Return the environment variable that names an explicit binary, e.g.
     * {@code VAULTK8S_LOCAL_KUBE_APISERVER}: the setting key upper-cased with {@code .} and
     * {@code -} turned into {@code _}.
     *
     * @return the environment variable name
     */
    public String envVar() {
        return ConfigKeys.environmentVariable(settingKey());
    }

    /**
     * Tell whether an envtest asset directory ({@code KUBEBUILDER_ASSETS}) ships this server; it
     * holds etcd and kube-apiserver, never Vault.
     *
     * @return {@code true} for etcd and kube-apiserver
     */
    public boolean inKubebuilderAssets() {
        return this != VAULT;
    }

    /**
     * Describe the executable names for messages, e.g. {@code bao or vault}.
     *
     * @return the names joined with {@code " or "}
     */
    String executableNamesText() {
        return String.join(" or ", executableNames);
    }
}
