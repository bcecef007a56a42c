package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * A setting has a value that cannot work: the message names where it was given (annotation attribute, builder
 * method or configuration key), the value, and what is accepted. Thrown before anything starts.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class VaultK8sTrustConfigurationException extends VaultK8sTrustException {

    private static final long serialVersionUID = 1L;

    /** Create the exception with a message naming the setting, the value and what is accepted. */
    public VaultK8sTrustConfigurationException(String message) {
        super(message);
    }

    /** Create the exception with a message and the cause. */
    public VaultK8sTrustConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
