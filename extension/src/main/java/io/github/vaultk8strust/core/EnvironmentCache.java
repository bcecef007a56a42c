package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Closer;
import io.github.vaultk8strust.support.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The environments of one test run, shared by everything whose settings have an equal {@link TrustSettings#key()}.
 * Bounded: when a new environment is needed and {@code maxSize} are open, the least recently used ones that nobody
 * holds are closed first. Each environment starts under its own lock, so classes running in parallel wait only for
 * the environment they need. A failed start is remembered: later requests for the same settings fail at once with the
 * original cause. Closing the cache closes every environment and prints one summary line.
 */
@API(status = INTERNAL, since = "0.1")
public final class EnvironmentCache<E extends AutoCloseable> implements AutoCloseable {

    private final int maxSize;
    private final Function<TrustSettings, E> starter;
    // Access order: iteration runs from least to most recently used.
    private final LinkedHashMap<TrustSettings.Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private int started;
    private int reused;
    private int evicted;
    private int failed;
    private int privateStarts;
    private boolean closed;

    /**
     * @param maxSize how many environments may be open at once (at least 1)
     * @param starter starts an environment for settings
     */
    public EnvironmentCache(int maxSize, Function<TrustSettings, E> starter) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        this.maxSize = maxSize;
        this.starter = starter;
    }

    /** A hold on an environment; closing it lets the cache evict the environment again. */
    public interface Lease<E> extends AutoCloseable {

        /** Return the environment. */
        E environment();

        /** Release the hold (a private environment is closed). */
        @Override
        void close();
    }

    /**
     * Return a hold on the shared environment for these settings, starting it (under its own lock) when needed.
     *
     * @throws VaultK8sTrustException when it cannot start, or failed to start earlier in this run
     */
    public Lease<E> acquire(TrustSettings settings) {
        Entry entry;
        List<Entry> victims = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The environment cache of this run is closed");
            }
            entry = entries.get(settings.key());
            if (entry == null) {
                entry = new Entry(settings);
                entries.put(settings.key(), entry);
                victims = evictFor();
            }
            entry.users++;
        }
        closeEvicted(victims);
        try {
            return entry.hold();
        } catch (RuntimeException e) {
            synchronized (this) {
                entry.users--;
            }
            throw e;
        }
    }

    /** Start an environment nobody else shares; the lease closes it. */
    public Lease<E> acquirePrivate(TrustSettings settings) {
        E environment;
        try {
            environment = starter.apply(settings);
        } catch (RuntimeException e) {
            synchronized (this) {
                failed++;
            }
            throw e;
        }
        synchronized (this) {
            privateStarts++;
        }
        return new Lease<>() {
            @Override
            public E environment() {
                return environment;
            }

            @Override
            public void close() {
                Closer.closeAll(null, environment);
            }
        };
    }

    // Called with the monitor held: pick the least recently used idle environments beyond the bound.
    private List<Entry> evictFor() {
        List<Entry> victims = new ArrayList<>();
        long open = entries.values().stream().filter(Entry::holdsServers).count();
        var it = entries.entrySet().iterator();
        while (open > maxSize && it.hasNext()) {
            Map.Entry<TrustSettings.Key, Entry> candidate = it.next();
            Entry e = candidate.getValue();
            if (e.users == 0 && e.holdsServers()) {
                it.remove();
                victims.add(e);
                evicted++;
                open--;
            }
        }
        return victims;
    }

    private void closeEvicted(List<Entry> victims) {
        for (Entry victim : victims) {
            Progress.say("closing the least recently used environment (" + victim.settings.key() + ") to stay within "
                    + maxSize + " open environments (vaultk8s.cache.max-size)");
            victim.closeEnvironment();
        }
    }

    /** Return the one-line summary printed when the run ends. */
    public synchronized String summary() {
        return "environments this run: " + started + " started, " + reused + " reused, " + evicted + " evicted, "
                + failed + " failed" + (privateStarts > 0 ? ", " + privateStarts + " private (shared = false)" : "")
                + " (at most " + maxSize + " open, vaultk8s.cache.max-size)";
    }

    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(entries.values());
            entries.clear();
        }
        try {
            Closer.closeAll(null, all.stream().map(e -> (AutoCloseable) e::closeEnvironment).toArray(AutoCloseable[]::new));
        } finally {
            Progress.say(summary());
        }
    }

    private final class Entry {

        final TrustSettings settings;
        int users; // guarded by the cache's monitor
        private E environment; // guarded by this entry's monitor
        private RuntimeException failure;
        private boolean attempted;

        Entry(TrustSettings settings) {
            this.settings = settings;
        }

        synchronized Lease<E> hold() {
            if (!attempted) {
                attempted = true;
                try {
                    environment = starter.apply(settings);
                    synchronized (EnvironmentCache.this) {
                        started++;
                    }
                } catch (RuntimeException e) {
                    failure = e;
                    synchronized (EnvironmentCache.this) {
                        failed++;
                    }
                    throw e;
                }
            } else if (failure != null) {
                throw new VaultK8sTrustException("The environment for these settings failed to start earlier in this "
                        + "run, so it is not started again. The original failure: " + failure.getMessage(), failure);
            } else {
                synchronized (EnvironmentCache.this) {
                    reused++;
                }
            }
            E held = environment;
            return new Lease<>() {
                private boolean released;

                @Override
                public E environment() {
                    return held;
                }

                @Override
                public void close() {
                    synchronized (EnvironmentCache.this) {
                        if (!released) {
                            released = true;
                            users--;
                        }
                    }
                }
            };
        }

        boolean holdsServers() {
            return !attempted || failure == null;
        }

        synchronized void closeEnvironment() {
            if (environment != null) {
                E e = environment;
                environment = null;
                Closer.closeAll(null, e);
            }
        }
    }
}
