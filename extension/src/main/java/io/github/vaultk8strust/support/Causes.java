package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apiguardian.api.API;

/** Exceptions in one line, for messages that must carry a failure's own words. */
@API(status = INTERNAL, since = "0.1")
public final class Causes {

    private Causes() {
    }

    /** Join the distinct messages of an exception and its causes (at most five), outermost first. */
    public static String oneLine(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
            parts.add(t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName()
                    : t.getMessage().strip());
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join("; caused by: ", parts);
    }
}
