package io.github.vaultk8strust;

import java.util.List;

/** Signal that Vault rejected a {@code auth/<path>/login} with a service-account token. */
public class VaultLoginException extends VaultK8sTrustException {

    private static final long serialVersionUID = 1L;

    private final String role;
    private final int httpStatus;
    private final List<String> vaultErrors;

    /** Create the exception from Vault's answer. */
    public VaultLoginException(String message, String role, int httpStatus, List<String> vaultErrors, Throwable cause) {
        super(message, cause);
        this.role = role;
        this.httpStatus = httpStatus;
        this.vaultErrors = List.copyOf(vaultErrors);
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
}
