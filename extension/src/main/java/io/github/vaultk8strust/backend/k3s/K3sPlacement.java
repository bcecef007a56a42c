package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.spi.BackendConfigException;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Where the k3s backend runs Vault: inside the cluster (default, the walkthrough's StatefulSet), or in a
 * Testcontainers {@code VaultContainer} on a Docker network shared with the k3s container, which it reaches by the
 * network alias {@link K3sContainerSpec#NETWORK_ALIAS}.
 *
 * @param placement {@link VaultPlacement#IN_CLUSTER} or {@link VaultPlacement#CONTAINER}
 * @param containerImage the Vault image of the container placement ({@link ConfigKeys#VAULT_CONTAINER_IMAGE_KEY});
 *                       workload pods default to it too
 */
@API(status = INTERNAL, since = "0.1")
public record K3sPlacement(VaultPlacement placement, String containerImage) {

    /** The placements this backend supports, the default first. */
    static final String SUPPORTED = "in-cluster (default), container";

    /** Read the placement from the configuration; bad values and placements this backend cannot give throw. */
    public static K3sPlacement from(BackendConfig config) {
        VaultPlacement placement = config.choice(ConfigKeys.VAULT_PLACEMENT_KEY, VaultPlacement.class)
                .orElse(VaultPlacement.IN_CLUSTER);
        if (placement == VaultPlacement.PROCESS) {
            throw new BackendConfigException("Vault placement process is not available on the k3s backend (it "
                    + "starts no server process on this host). Valid placements on the k3s backend: " + SUPPORTED + ". Vault as a process: the local backend "
                    + "(backend = Backend.LOCAL, vaultPlacement = VaultPlacement.PROCESS).");
        }
        String image = config.image(ConfigKeys.VAULT_CONTAINER_IMAGE_KEY, ConfigKeys.DEFAULT_VAULT_CONTAINER_IMAGE);
        return new K3sPlacement(placement, image);
    }

    /** Return whether Vault runs in a container beside k3s. */
    public boolean container() {
        return placement == VaultPlacement.CONTAINER;
    }

    /** Return the image Vault runs from (container) or that is deployed in the cluster (in-cluster, from options). */
    String vaultImage(K3sOptions options) {
        return container() ? containerImage : options.vaultImage();
    }

    /** Return what of this shapes an environment: nothing for the default in-cluster placement. */
    Map<String, String> shape() {
        Map<String, String> shape = new TreeMap<>();
        if (container()) {
            shape.put("vault-placement", placement.settingValue());
            shape.put("vault-image", containerImage);
        }
        return shape;
    }
}
