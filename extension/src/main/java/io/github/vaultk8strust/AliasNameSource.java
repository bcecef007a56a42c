package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** Say what a {@code kubernetes} role names the identity alias after (Vault's {@code alias_name_source}). */
@API(status = EXPERIMENTAL, since = "0.1")
public enum AliasNameSource {
    /** The service account's UID (Vault's default): a re-created service account is a new identity. */
    SERVICEACCOUNT_UID,
    /** {@code <namespace>/<name>}: a re-created service account keeps its identity. */
    SERVICEACCOUNT_NAME;

    /** Return Vault's value, {@code serviceaccount_uid} or {@code serviceaccount_name}. */
    public String vaultName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
