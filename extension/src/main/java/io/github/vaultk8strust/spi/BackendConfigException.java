package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import org.apiguardian.api.API;

/** A backend option has a value the backend cannot use; the message names the key, the value and what is accepted. */
@API(status = EXPERIMENTAL, since = "0.1")
public class BackendConfigException extends VaultK8sTrustConfigurationException {

    private static final long serialVersionUID = 1L;

    /** Create the exception with a message naming key, value and what is accepted. */
    public BackendConfigException(String message) {
        super(message);
    }
}
