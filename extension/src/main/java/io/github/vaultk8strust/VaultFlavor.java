package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** Name which Vault an environment runs: HashiCorp Vault, or OpenBao, which speaks the same API. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum VaultFlavor {
    /** Defer to {@link ConfigKeys#VAULT_FLAVOR_KEY}, then {@link #VAULT}. */
    DEFAULT,
    /** HashiCorp Vault (BUSL-1.1), the walkthrough's. */
    VAULT,
    /**
     * OpenBao (MPL-2.0). On the local backend its {@code bao} binary must be provided ({@code PATH} or
     * {@code vaultk8s.local.vault}): the Go module proxy refuses OpenBao's modules, so the library cannot build it,
     * and it downloads only HashiCorp releases. On k3s: the image {@code vaultk8s.k3s.vault-image}.
     */
    OPENBAO;

    /** Return the value this flavor has as a setting: {@code vault} or {@code openbao}. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
