package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/** What the trust flow needs to know about a running Vault (or OpenBao) server. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface VaultServer {

    /** Return the address reachable from this JVM, e.g. {@code http://127.0.0.1:8200}. */
    String address();

    /** Return the root token of a dev-mode server; empty when the server must be initialised. */
    Optional<String> devRootToken();

    /** Return the last lines of the server's log, secrets masked, for error messages. */
    String logTail();
}
