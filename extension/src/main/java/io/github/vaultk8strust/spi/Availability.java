package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * Whether a backend can run on this machine, with the reason either way (shown when AUTO explains its choice, or when
 * a requested backend cannot run).
 *
 * @param available whether it can run
 * @param reason why (not); for an unavailable backend also the fix
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Availability(boolean available, String reason) {

    /** Return an answer that the backend can run, and why. */
    public static Availability yes(String reason) {
        return new Availability(true, reason);
    }

    /** Return an answer that the backend cannot run, why, and how to fix it. */
    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
