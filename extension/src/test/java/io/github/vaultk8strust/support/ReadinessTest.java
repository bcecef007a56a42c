package io.github.vaultk8strust.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one way the library waits: poll until ready, treat most failures as "not yet", stop on the library's own. */
class ReadinessTest {

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void returnsOnceTheCheckAnswersNull() {
        Readiness.await(Deadline.in(Duration.ofMinutes(1)), "etcd", () -> calls.incrementAndGet() < 3
                ? "HTTP 503" : null);

        assertThat(calls).hasValue(3);
    }

    @Test
    void exceptionsMeanNotYet() {
        Readiness.await(Deadline.in(Duration.ofMinutes(1)), "vault", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new ConnectException("Connection refused");
            }
            return null;
        });

        assertThat(calls).hasValue(3);
    }

    @Test
    void theLibrarysOwnExceptionStopsTheWaitAtOnce() {
        VaultK8sTrustException died = new VaultK8sTrustException("etcd exited with code 1");

        assertThatThrownBy(() -> Readiness.await(Deadline.in(Duration.ofMinutes(1)), "etcd", () -> {
            calls.incrementAndGet();
            throw died;
        })).isSameAs(died);
        assertThat(calls).hasValue(1);
    }

    @Test
    void runningOutOfTimeNamesWhatAndTheLastAnswer() {
        assertThatThrownBy(() -> Readiness.await(Deadline.in(Duration.ofMillis(300)), "kube-apiserver answering "
                + "GET /readyz", () -> "HTTP 500 [etcd failed]"))
                .isInstanceOfSatisfying(Readiness.NotReady.class, e -> assertThat(e.lastProblem())
                        .isEqualTo("HTTP 500 [etcd failed]"))
                .hasMessage("kube-apiserver answering GET /readyz was not ready within the start-up budget of 0 s; "
                        + "last check: HTTP 500 [etcd failed]");
    }

    @Test
    void aLastExceptionIsDescribedByItsTypeAndMessageUnwrappingUncheckedIo() {
        assertThatThrownBy(() -> Readiness.await(Deadline.in(Duration.ofMillis(300)), "vault", () -> {
            throw new UncheckedIOException(new IOException("connection reset"));
        })).isInstanceOfSatisfying(Readiness.NotReady.class, e -> assertThat(e.lastProblem())
                .isEqualTo("IOException: connection reset"));
    }

    @Test
    void anInterruptStopsTheWaitAndKeepsTheFlag() {
        try {
            assertThatThrownBy(() -> Readiness.await(Deadline.in(Duration.ofMinutes(1)), "etcd", () -> {
                throw new InterruptedException();
            })).isInstanceOf(VaultK8sTrustException.class).hasMessage("Interrupted while waiting for etcd");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
