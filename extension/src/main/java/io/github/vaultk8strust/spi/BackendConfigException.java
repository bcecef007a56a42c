package io.github.vaultk8strust.spi;

import io.github.vaultk8strust.VaultK8sTrustConfigurationException;

/** A backend option has a value the backend cannot use; the message names the key, the value and what is accepted. */
public class BackendConfigException extends VaultK8sTrustConfigurationException {

    private static final long serialVersionUID = 1L;

    /** Create the exception with a message naming key, value and what is accepted. */
    public BackendConfigException(String message) {
        super(message);
    }
}
