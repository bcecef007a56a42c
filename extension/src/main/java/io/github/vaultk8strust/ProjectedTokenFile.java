package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.time.Instant;
import org.apiguardian.api.API;

/**
 * A service-account token kept in a file the way the kubelet keeps a projected token: written at once, then
 * rewritten atomically (a new file moved over the old one) with a fresh token before 80 % of the current one's
 * lifetime has passed, on a daemon thread. Application code that reads a token path works unchanged. Closing it
 * stops the refreshing and deletes the file (and the pod object, when it created one); the environment closes it too.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ProjectedTokenFile extends AutoCloseable {

    /** Return the file the token is written to. */
    Path path();

    /** Return the token currently in the file. */
    ServiceAccountJwt current();

    /** Return how many times the file was written, the first write included. */
    int writes();

    /** Return when the token is rewritten next (80 % of the current token's lifetime, or earlier). */
    Instant nextRefresh();

    /** Mint a fresh token and rewrite the file now, atomically; the schedule restarts from the new token. */
    ServiceAccountJwt refresh();

    /** Stop refreshing and delete the file; idempotent. */
    @Override
    void close();
}
