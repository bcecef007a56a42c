package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * One time budget shared by every step of a start-up, so that the sum of the waits never exceeds it. Monotonic: it
 * reads {@link System#nanoTime()}, so a wall-clock change does not stretch or shrink it.
 */
@API(status = INTERNAL, since = "0.1")
public final class Deadline {

    private final long endNanos;
    private final Duration budget;

    private Deadline(long endNanos, Duration budget) {
        this.endNanos = endNanos;
        this.budget = budget;
    }

    /** Start a budget now. */
    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    /** Return the whole budget this deadline was started with. */
    public Duration budget() {
        return budget;
    }

    /** Return what is left of the budget (zero once spent). */
    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** Return whether the budget is spent. */
    public boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + " ms left of " + budget.toMillis() + " ms]";
    }
}
