package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.spi.BackendConfig;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Where the local backend runs Vault: a process beside the API server (default), or a Testcontainers
 * {@code VaultContainer} that reaches the API server across the Docker bridge by {@link #issuerHost()}.
 *
 * @param placement {@link VaultPlacement#PROCESS} or {@link VaultPlacement#CONTAINER}
 * @param image the Vault image of the container placement
 * @param issuerHost the name Vault in the container uses for this host: the issuer's host, in the serving
 *                   certificate's SANs, mapped to the Docker host gateway in the container
 * @param issuerHostInCert whether that name is put in the serving certificate (false only to see the diagnosis)
 */
@API(status = INTERNAL, since = "0.1")
public record LocalPlacement(VaultPlacement placement, String image, String issuerHost, boolean issuerHostInCert) {

    /** The placements this backend supports, the default first. */
    static final String SUPPORTED = "process (default), container";

    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Read the placement from the configuration; bad values and unsupported placements throw. */
    public static LocalPlacement from(BackendConfig config) {
        VaultPlacement placement = config.choice(ConfigKeys.VAULT_PLACEMENT_KEY, VaultPlacement.class)
                .orElse(VaultPlacement.PROCESS);
        if (placement == VaultPlacement.IN_CLUSTER) {
            throw config.invalid(ConfigKeys.VAULT_PLACEMENT_KEY, "needs a cluster that runs pods, and the local backend "
                    + "runs none. Valid placements on the local backend: " + SUPPORTED + ". For Vault inside the "
                    + "cluster use the k3s backend (backend = Backend.K3S, " + ConfigKeys.BACKEND_KEY + "=k3s).");
        }
        String image = config.image(ConfigKeys.VAULT_CONTAINER_IMAGE_KEY, ConfigKeys.DEFAULT_VAULT_CONTAINER_IMAGE);
        String host = config.value(ConfigKeys.LOCAL_ISSUER_HOST_KEY).orElse(ConfigKeys.DEFAULT_LOCAL_ISSUER_HOST);
        if (!HOST_NAME.matcher(host).matches() || host.matches("[0-9.]+")) {
            throw config.invalid(ConfigKeys.LOCAL_ISSUER_HOST_KEY, "is not a DNS name; use a lower-case name such as \""
                    + ConfigKeys.DEFAULT_LOCAL_ISSUER_HOST + "\" (Vault in the container resolves it to the Docker "
                    + "host gateway)");
        }
        return new LocalPlacement(placement, image, host, config.flag(ConfigKeys.LOCAL_ISSUER_HOST_IN_CERT_KEY, true));
    }

    /** Return whether Vault runs in a container. */
    public boolean container() {
        return placement == VaultPlacement.CONTAINER;
    }

    /** Return what of this shapes an environment: nothing for the default process placement. */
    Map<String, String> shape() {
        Map<String, String> shape = new TreeMap<>();
        if (container()) {
            shape.put("vault-placement", placement.settingValue());
            shape.put("vault-image", image);
            shape.put("issuer-host", issuerHost);
            if (!issuerHostInCert) {
                shape.put("issuer-host-in-cert", "false");
            }
        }
        return shape;
    }
}
