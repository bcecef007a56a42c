package io.github.vaultk8strust.support;

import java.time.Duration;
import java.time.Instant;

/** One time budget shared by every step of a start-up, so that the sum of the waits never exceeds it. */
public record Deadline(Instant end, Duration budget) {

    /** Start a budget now. */
    public static Deadline in(Duration budget) {
        return new Deadline(Instant.now().plus(budget), budget);
    }

    /** Return what is left of the budget (zero once spent). */
    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
