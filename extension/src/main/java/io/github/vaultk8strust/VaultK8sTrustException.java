package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * Signal that a trust environment could not be started or used: a server that died or never
 * became ready, missing binaries, Vault or Kubernetes refusing a step of the trust setup. The message says what
 * happened, the likely cause and the fix, and carries the server's own message and the tail of its log.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class VaultK8sTrustException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Create an exception with a complete, user-facing message. */
    public VaultK8sTrustException(String message) {
        super(message);
    }

    /** Create an exception with a complete, user-facing message and its cause. */
    public VaultK8sTrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
