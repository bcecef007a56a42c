package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Signal that one or more server binaries could not be found or obtained, or that a setting names
 * a binary that cannot be used.
 *
 * <p>The message lists every place searched for each missing server and how to provide it;
 * {@link #searched()} gives the same findings in structured form.
 */
@API(status = INTERNAL, since = "0.1")
public class MissingServerBinaryException extends VaultK8sTrustException {

    private static final long serialVersionUID = 1L;

    /** For each missing server, what was found at each place searched. */
    private final Map<ServerBinary, List<String>> searched;

    /**
     * Create the exception.
     *
     * @param message the full, human-readable explanation
     * @param searched for each missing server, what was found at each place searched, in search order
     */
    MissingServerBinaryException(String message, Map<ServerBinary, List<String>> searched) {
        super(message);
        Map<ServerBinary, List<String>> copy = new EnumMap<>(ServerBinary.class);
        searched.forEach((binary, places) -> copy.put(binary, List.copyOf(places)));
        this.searched = Collections.unmodifiableMap(copy);
    }

    /**
     * Return the servers that could not be provided.
     *
     * @return the missing servers, in declaration order
     */
    public Set<ServerBinary> missing() {
        return searched.keySet();
    }

    /**
     * Return, for each missing server, one line per place searched saying what was found there.
     *
     * @return an unmodifiable map in declaration order
     */
    public Map<ServerBinary, List<String>> searched() {
        return searched;
    }
}
