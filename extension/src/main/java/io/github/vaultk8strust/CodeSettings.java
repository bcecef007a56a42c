package io.github.vaultk8strust;

import java.util.Map;

/**
 * The configuration keys that a {@code @VaultK8sTrust} attribute sets in code, with the builder method of the same
 * name: key to {attribute, the attribute's enum type or null}. Read by {@link RequestOrigin}.
 */
final class CodeSettings {

    static final Map<String, String[]> BY_KEY = Map.ofEntries(
            Map.entry(ConfigKeys.BACKEND_KEY, new String[] {"backend", "Backend"}),
            Map.entry(ConfigKeys.VAULT_MODE_KEY, new String[] {"vaultMode", "VaultMode"}),
            Map.entry(ConfigKeys.VAULT_PLACEMENT_KEY, new String[] {"vaultPlacement", "VaultPlacement"}),
            Map.entry(ConfigKeys.VAULT_FLAVOR_KEY, new String[] {"vaultFlavor", "VaultFlavor"}),
            Map.entry(ConfigKeys.KUBERNETES_VERSION_KEY, new String[] {"kubernetesVersion", null}),
            Map.entry(ConfigKeys.VAULT_VERSION_KEY, new String[] {"vaultVersion", null}),
            Map.entry(ConfigKeys.STARTUP_TIMEOUT_KEY, new String[] {"startupTimeout", null}),
            Map.entry(ConfigKeys.K3S_IMAGE_KEY, new String[] {"k3sImage", null}),
            Map.entry(ConfigKeys.K3S_VAULT_IMAGE_KEY, new String[] {"vaultImage", null}),
            Map.entry(ConfigKeys.AUTH_METHODS_KEY, new String[] {"authMethods", null}),
            Map.entry(ConfigKeys.KUBERNETES_AUTH_PATH_KEY, new String[] {"kubernetesAuthPath", null}),
            Map.entry(ConfigKeys.TOKEN_REVIEWER_KEY, new String[] {"tokenReviewer", "TokenReviewer"}));

    private CodeSettings() {
    }
}
