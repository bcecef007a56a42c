package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The run's environment cache, with stand-in environments that only record whether they were closed. */
class EnvironmentCacheTest {

    private final List<FakeEnvironment> started = new ArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();

    private static final class FakeEnvironment implements AutoCloseable {
        final String name;
        boolean closed;

        FakeEnvironment(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static TrustSettings settings(String kvPath, Duration timeout) {
        return TrustSettings.builder("local").startupTimeout(timeout).kvPath(kvPath).build();
    }

    private static TrustSettings settings(String kvPath) {
        return settings(kvPath, Duration.ofSeconds(120));
    }

    private EnvironmentCache<FakeEnvironment> cache(int maxSize) {
        return new EnvironmentCache<>(maxSize, s -> {
            starts.incrementAndGet();
            FakeEnvironment environment = new FakeEnvironment(s.kvPath());
            started.add(environment);
            return environment;
        });
    }

    @Test
    void equalSettingsShareOneEnvironmentAndTheTimeoutDoesNotSplitIt() {
        EnvironmentCache<FakeEnvironment> cache = cache(3);

        FakeEnvironment first = cache.acquire(settings("a")).environment();
        FakeEnvironment second = cache.acquire(settings("a", Duration.ofMinutes(9))).environment();

        assertThat(second).isSameAs(first);
        assertThat(starts).hasValue(1);
        assertThat(cache.summary()).startsWith("environments this run: 1 started, 1 reused, 0 evicted, 0 failed");
    }

    @Test
    void theLeastRecentlyUsedIdleEnvironmentIsClosedWhenTheBoundIsReached() {
        EnvironmentCache<FakeEnvironment> cache = cache(2);
        cache.acquire(settings("a")).close();
        cache.acquire(settings("b")).close();
        cache.acquire(settings("a")).close(); // a is now more recent than b

        cache.acquire(settings("c"));

        assertThat(started).extracting(e -> e.name + (e.closed ? " closed" : " open"))
                .containsExactly("a open", "b closed", "c open");
        assertThat(cache.summary()).contains("3 started, 1 reused, 1 evicted");
    }

    @Test
    void anEnvironmentInUseIsNeverEvicted() {
        EnvironmentCache<FakeEnvironment> cache = cache(1);
        EnvironmentCache.Lease<FakeEnvironment> held = cache.acquire(settings("a"));

        cache.acquire(settings("b"));

        assertThat(held.environment().closed).isFalse();
        assertThat(started).hasSize(2).noneMatch(e -> e.closed);
    }

    @Test
    void aFailedStartIsRememberedNotRetried() {
        EnvironmentCache<FakeEnvironment> cache = new EnvironmentCache<>(3, s -> {
            starts.incrementAndGet();
            throw new VaultK8sTrustException("etcd exited with code 1");
        });

        assertThatThrownBy(() -> cache.acquire(settings("a"))).hasMessage("etcd exited with code 1");
        assertThatThrownBy(() -> cache.acquire(settings("a"))).isInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("failed to start earlier in this run, so it is not started again")
                .hasMessageContaining("etcd exited with code 1")
                .hasRootCauseMessage("etcd exited with code 1");
        assertThat(starts).hasValue(1);
        assertThat(cache.summary()).contains("0 started, 0 reused, 0 evicted, 1 failed");
    }

    @Test
    void closingTheCacheClosesEveryEnvironment() {
        EnvironmentCache<FakeEnvironment> cache = cache(3);
        cache.acquire(settings("a"));
        cache.acquire(settings("b")).close();

        cache.close();

        assertThat(started).allMatch(e -> e.closed);
        assertThatThrownBy(() -> cache.acquire(settings("c"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPrivateEnvironmentIsNeverSharedAndClosesWithItsLease() {
        EnvironmentCache<FakeEnvironment> cache = cache(3);

        EnvironmentCache.Lease<FakeEnvironment> one = cache.acquirePrivate(settings("a"));
        EnvironmentCache.Lease<FakeEnvironment> two = cache.acquirePrivate(settings("a"));
        one.close();

        assertThat(one.environment()).isNotSameAs(two.environment());
        assertThat(one.environment().closed).isTrue();
        assertThat(two.environment().closed).isFalse();
        assertThat(cache.summary()).contains("2 private (shared = false)");
    }

    @Test
    void theBoundMustBePositive() {
        assertThatThrownBy(() -> cache(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
