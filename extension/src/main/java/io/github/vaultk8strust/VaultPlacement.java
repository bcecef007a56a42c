package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Name where the Vault server of an environment runs, relative to the cluster. Each backend supports some
 * placements and has its own default: the local backend {@link #PROCESS} (or {@link #CONTAINER}), the k3s backend
 * {@link #IN_CLUSTER} (or {@link #CONTAINER}). The issuer Vault fetches must be reachable from there, by the name in the tokens, with a
 * certificate whose SANs cover that name: each placement sets the issuer accordingly (see the README, "Where Vault
 * runs").
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum VaultPlacement {
    /** Defer to the configuration parameter {@link ConfigKeys#VAULT_PLACEMENT_KEY}, then the backend's default. */
    DEFAULT,
    /** Vault runs inside the cluster (the walkthrough's StatefulSet); k3s backend only. */
    IN_CLUSTER,
    /** Vault runs as a process on this machine, beside the API server; local backend only. */
    PROCESS,
    /**
     * Vault runs in a Docker container beside the cluster (Testcontainers' {@code VaultContainer}), reaching the
     * issuer across a network boundary; needs a Docker engine. Local backend: the issuer is
     * {@code https://host.docker.internal:<port>}; k3s backend: Vault and k3s share a Docker network and the issuer
     * is {@code https://k3s:6443}, k3s's alias there.
     */
    CONTAINER;

    /** Return the value this placement has as a setting, e.g. {@code in-cluster}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Return the placement a setting names ({@code in-cluster}, {@code process}, {@code container}; case and
     * {@code -}/{@code _} do not matter), or empty when it names none.
     */
    public static Optional<VaultPlacement> fromSetting(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(p -> p != DEFAULT && p.settingValue().equals(v)).findFirst();
    }
}
