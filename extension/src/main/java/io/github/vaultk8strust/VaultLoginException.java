package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/** Signal that Vault rejected a {@code auth/<path>/login} with a service-account token. */
@API(status = EXPERIMENTAL, since = "0.1")
public class VaultLoginException extends VaultK8sTrustException {

    private static final long serialVersionUID = 1L;

    private final String role;
    private final int httpStatus;
    private final List<String> vaultErrors;

    private final List<String> mismatches;

    /** Create the exception from Vault's answer. */
    public VaultLoginException(String message, String role, int httpStatus, List<String> vaultErrors, Throwable cause) {
        this(message, role, httpStatus, vaultErrors, List.of(), cause);
    }

    /** Create the exception from Vault's answer and the mismatches found between token and role. */
    public VaultLoginException(String message, String role, int httpStatus, List<String> vaultErrors,
                               List<String> mismatches, Throwable cause) {
        super(message, cause);
        this.role = role;
        this.httpStatus = httpStatus;
        this.vaultErrors = List.copyOf(vaultErrors);
        this.mismatches = List.copyOf(mismatches);
    }

    /** Return the role the login asked for. */
    public String role() {
        return role;
    }

    /** Return Vault's HTTP status (400 for a rejected token, 0 when Vault could not be reached). */
    public int httpStatus() {
        return httpStatus;
    }

    /** Return Vault's error strings, e.g. {@code error validating token: invalid audience (aud) claim ...}. */
    public List<String> vaultErrors() {
        return vaultErrors;
    }

    /**
     * Return what differs between the token and the role, e.g. {@code aud [not-vault] ≠ bound_audiences [vault-dev]}
     * or {@code claim /kubernetes.io/namespace = default does not match bound_claims [payments-*] (glob)}; computed
     * on this side from the token's claims, the role as Vault reports it and the cluster's published keys. Empty
     * when nothing was found locally: Vault's reason ({@link #vaultErrors()}) is always the authority.
     */
    public List<String> mismatches() {
        return mismatches;
    }
}
