package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way this library waits for something to become ready: poll a check every 50 ms within a start-up
 * {@link Deadline}. A check answers {@code null} when ready, or why not yet; any exception it throws also means "not
 * yet" (a refused connection, a 503), except a {@link VaultK8sTrustException}, which stops the wait at once (a server
 * that died). Time-outs carry the last answer, in one message shape.
 */
@API(status = INTERNAL, since = "0.1")
public final class Readiness {

    private static final Duration POLL = Duration.ofMillis(50);

    private Readiness() {
    }

    /** Say whether something is ready: {@code null} when it is, otherwise why not yet. */
    @FunctionalInterface
    public interface Check {
        /** Return {@code null} when ready, otherwise the reason it is not yet. */
        String problem() throws Exception;
    }

    /** The wait ran out of time; {@link #lastProblem()} is the check's last answer. */
    public static final class NotReady extends VaultK8sTrustException {

        private static final long serialVersionUID = 1L;
        private final String lastProblem;

        NotReady(String message, String lastProblem, Throwable cause) {
            super(message, cause);
            this.lastProblem = lastProblem;
        }

        /** Return the check's last answer (or the last exception, described). */
        public String lastProblem() {
            return lastProblem;
        }
    }

    /**
     * Wait until the check answers {@code null}.
     *
     * @throws NotReady when the deadline passes: "{@code <what>} was not ready within the start-up budget of N s;
     *     last check: ..."
     * @throws VaultK8sTrustException what the check threw to stop the wait
     */
    public static void await(Deadline deadline, String what, Check check) {
        AtomicReference<String> last = new AtomicReference<>("not checked yet");
        try {
            Awaitility.await(what).atMost(deadline.remaining().plusMillis(1)).pollDelay(Duration.ZERO)
                    .pollInterval(POLL).pollInSameThread().until(() -> {
                        String problem;
                        try {
                            problem = check.problem();
                        } catch (VaultK8sTrustException e) {
                            throw e;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new VaultK8sTrustException("Interrupted while waiting for " + what, e);
                        } catch (Exception e) {
                            problem = describe(e);
                        }
                        last.set(problem);
                        return problem == null;
                    });
        } catch (ConditionTimeoutException e) {
            throw new NotReady(what + " was not ready within the start-up budget of " + deadline.budget().toSeconds()
                    + " s; last check: " + last.get(), last.get(), e);
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null && (e instanceof java.io.UncheckedIOException) ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
