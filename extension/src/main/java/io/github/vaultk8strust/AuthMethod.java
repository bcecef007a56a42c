package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Name the Vault auth methods a Kubernetes workload logs in with. Each is enabled at its own path; a role belongs to
 * exactly one of them, and role names are unique across both.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum AuthMethod {
    /**
     * Vault's {@code jwt} auth method trusting the cluster's OIDC issuer (the walkthrough, the default): Vault checks
     * the token's signature against the published keys and its claims against the role; it never asks the cluster
     * whether the service account or pod still exists.
     */
    JWT,
    /**
     * Vault's {@code kubernetes} auth method: Vault sends every login token to the API server's TokenReview, so a
     * token of a deleted service account or pod is refused at once; roles bind service account names and
     * namespaces.
     */
    KUBERNETES;

    /** Return Vault's type name, {@code jwt} or {@code kubernetes}, also the default mount path. */
    public String vaultType() {
        return name().toLowerCase(Locale.ROOT);
    }
}
