package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
/** Close several things, keeping the first failure and attaching the others to it, so no close is skipped or lost. */
@API(status = INTERNAL, since = "0.1")
public final class Closer {

    private Closer() {
    }

    /**
     * Close each non-null resource in order. With {@code primary} non-null (a start that failed), close failures are
     * added to it as suppressed and nothing is thrown; otherwise the first close failure is thrown with the later ones
     * suppressed.
     */
    public static void closeAll(Throwable primary, AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException("Closing " + resource
                            + " failed: " + e, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
