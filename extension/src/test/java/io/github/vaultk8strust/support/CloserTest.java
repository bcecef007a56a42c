package io.github.vaultk8strust.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closing several things: every close runs, in order; the first failure is kept and the rest attached to it. */
class CloserTest {

    private final List<String> closed = new ArrayList<>();

    private AutoCloseable ok(String name) {
        return () -> closed.add(name);
    }

    private AutoCloseable failing(String name, Exception failure) {
        return () -> {
            closed.add(name);
            throw failure;
        };
    }

    @Test
    void closesEveryResourceInOrderSkippingNulls() {
        Closer.closeAll(null, ok("a"), null, ok("b"), ok("c"));

        assertThat(closed).containsExactly("a", "b", "c");
    }

    @Test
    void withoutAPrimaryTheFirstFailureIsThrownWithTheLaterOnesSuppressed() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");

        assertThatThrownBy(() -> Closer.closeAll(null, ok("a"), failing("b", first), failing("c", second), ok("d")))
                .isSameAs(first);
        assertThat(first.getSuppressed()).containsExactly(second);
        assertThat(closed).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aCheckedFailureIsWrappedNamingTheResource() {
        IOException io = new IOException("disk gone");
        AutoCloseable resource = new AutoCloseable() {
            @Override
            public void close() throws IOException {
                throw io;
            }

            @Override
            public String toString() {
                return "the-directory";
            }
        };

        assertThatThrownBy(() -> Closer.closeAll(null, resource)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Closing the-directory failed").hasCause(io);
    }

    @Test
    void withAPrimaryNothingIsThrownAndEveryFailureIsAttachedToIt() {
        RuntimeException startFailed = new RuntimeException("start failed");
        IllegalStateException closeFailed = new IllegalStateException("close failed");
        IOException alsoFailed = new IOException("also failed");

        Closer.closeAll(startFailed, failing("a", closeFailed), ok("b"), failing("c", alsoFailed));

        assertThat(startFailed.getSuppressed()).containsExactly(closeFailed, alsoFailed);
        assertThat(closed).containsExactly("a", "b", "c");
    }
}
