package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
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

    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?"
            + "(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Read the placement from the configuration; bad values and unsupported placements throw. */
    public static LocalPlacement from(BackendConfig config) {
        VaultPlacement placement = config.get(ConfigKeys.VAULT_PLACEMENT_KEY).filter(v -> !v.isBlank())
                .map(v -> parse(config, v)).orElse(VaultPlacement.PROCESS);
        String image = config.get(ConfigKeys.VAULT_CONTAINER_IMAGE_KEY).filter(v -> !v.isBlank())
                .orElse(ConfigKeys.DEFAULT_VAULT_CONTAINER_IMAGE);
        if (!IMAGE.matcher(image).matches()) {
            throw new BackendConfigException(config.describe(ConfigKeys.VAULT_CONTAINER_IMAGE_KEY) + " = \"" + image
                    + "\" is not an image name; use [registry/]repository[:tag][@digest], e.g. \""
                    + ConfigKeys.DEFAULT_VAULT_CONTAINER_IMAGE + "\"");
        }
        String host = config.get(ConfigKeys.LOCAL_ISSUER_HOST_KEY).filter(v -> !v.isBlank())
                .orElse(ConfigKeys.DEFAULT_LOCAL_ISSUER_HOST);
        if (!HOST_NAME.matcher(host).matches() || host.matches("[0-9.]+")) {
            throw new BackendConfigException(config.describe(ConfigKeys.LOCAL_ISSUER_HOST_KEY) + " = \"" + host
                    + "\" is not a DNS name; use a lower-case name such as \"" + ConfigKeys.DEFAULT_LOCAL_ISSUER_HOST
                    + "\" (Vault in the container resolves it to the Docker host gateway)");
        }
        boolean inCert = config.get(ConfigKeys.LOCAL_ISSUER_HOST_IN_CERT_KEY).map(v -> {
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw new BackendConfigException(config.describe(ConfigKeys.LOCAL_ISSUER_HOST_IN_CERT_KEY) + " = \"" + v
                    + "\" is not valid; accepted: true, false");
        }).orElse(true);
        return new LocalPlacement(placement, image, host, inCert);
    }

    private static VaultPlacement parse(BackendConfig config, String value) {
        VaultPlacement placement = VaultPlacement.fromSetting(value).orElseThrow(() -> new BackendConfigException(
                config.describe(ConfigKeys.VAULT_PLACEMENT_KEY) + " = \"" + value + "\" is not a placement; accepted: "
                        + "in-cluster, process, container"));
        if (placement == VaultPlacement.IN_CLUSTER) {
            throw new BackendConfigException("Vault placement in-cluster (" + config.describe(
                    ConfigKeys.VAULT_PLACEMENT_KEY) + ", or vaultPlacement = VaultPlacement.IN_CLUSTER) needs a "
                    + "cluster that runs pods, and the local backend runs none. Valid placements on the local backend: "
                    + SUPPORTED + ". For Vault inside the cluster use the k3s backend (backend = Backend.K3S, "
                    + ConfigKeys.BACKEND_KEY + "=k3s).");
        }
        return placement;
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
