package io.github.vaultk8strust.core;

import io.github.vaultk8strust.ProjectedTokenFile;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A token file kept fresh like the kubelet keeps a projected service-account token: each write is a new file in the
 * same directory moved over the old one (readers see the old token or the new one, never half of one), and the next
 * write is scheduled before 80 % of the current token's lifetime has passed. A failed refresh is retried (every tenth
 * of the remaining lifetime, at least a second apart) and never removes the last good token.
 */
final class KubeletTokenFile implements ProjectedTokenFile {

    /** The kubelet rewrites a projected token once it is older than 80 % of its lifetime; this stays before that. */
    static final double REFRESH_FRACTION = 0.8;

    private final Path path;
    private final boolean temporaryDirectory;
    private final Supplier<ServiceAccountJwt> mint;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Runnable onClose;
    private ServiceAccountJwt current;
    private Instant nextRefresh;
    private int writes;
    private ScheduledFuture<?> scheduled;
    private boolean closed;
    private RuntimeException lastFailure;

    /**
     * Mint and write the first token, then schedule the refreshes.
     *
     * @param temporaryDirectory whether {@code path}'s directory was created for it, and is deleted with it
     * @throws VaultK8sTrustException when the file cannot be written, naming the path
     */
    KubeletTokenFile(Path path, boolean temporaryDirectory, Supplier<ServiceAccountJwt> mint,
                     ScheduledExecutorService scheduler, Clock clock, Runnable onClose) {
        this.path = path.toAbsolutePath();
        this.temporaryDirectory = temporaryDirectory;
        this.mint = mint;
        this.scheduler = scheduler;
        this.clock = clock;
        this.onClose = onClose;
        refresh();
    }

    /** When to rewrite a token received at {@code received}: before 80 % of its lifetime (a second early, at least). */
    static Instant refreshTime(ServiceAccountJwt token, Instant received) {
        Instant issued = token.issuedAt() != null ? token.issuedAt() : received;
        Duration lifetime = Duration.between(issued, token.expiresAt());
        if (lifetime.isNegative() || lifetime.isZero()) {
            return received;
        }
        Duration early = Duration.ofMillis(Math.max(1000, lifetime.toMillis() / 100));
        Duration wait = Duration.ofMillis((long) (lifetime.toMillis() * REFRESH_FRACTION)).minus(early);
        return received.plus(wait.isNegative() ? Duration.ZERO : wait);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public synchronized ServiceAccountJwt current() {
        return current;
    }

    @Override
    public synchronized int writes() {
        return writes;
    }

    @Override
    public synchronized Instant nextRefresh() {
        return nextRefresh;
    }

    /** Return the last refresh failure, if the last attempt failed. */
    synchronized RuntimeException lastFailure() {
        return lastFailure;
    }

    @Override
    public synchronized ServiceAccountJwt refresh() {
        if (closed) {
            throw new IllegalStateException("The token file " + path + " is closed");
        }
        ServiceAccountJwt token = mint.get();
        Instant received = clock.instant();
        write(token.raw());
        current = token;
        writes++;
        lastFailure = null;
        schedule(refreshTime(token, received));
        return token;
    }

    private void scheduledRefresh() {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                refresh();
            } catch (RuntimeException e) {
                lastFailure = e;
                Instant expires = current == null ? clock.instant() : current.expiresAt();
                long remaining = Math.max(0, Duration.between(clock.instant(), expires).toMillis());
                Progress.say("token file " + path + ": refresh failed (" + e.getMessage() + "); retrying, the "
                        + "current token expires at " + expires);
                schedule(clock.instant().plusMillis(Math.max(1000, remaining / 10)));
            }
        }
    }

    private void schedule(Instant when) {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        nextRefresh = when;
        long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
        scheduled = scheduler.schedule(this::scheduledRefresh, delay, TimeUnit.MILLISECONDS);
    }

    private void write(String token) {
        Path directory = path.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + path.getFileName() + ".", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the directory's defaults apply.
            }
            Files.writeString(temporary, token, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Best effort.
                }
            }
            String reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.toString();
            throw new VaultK8sTrustException("Cannot write the service-account token file " + path + ": " + reason
                    + (e instanceof FileSystemException fs && fs.getFile() != null && !Path.of(fs.getFile())
                    .toAbsolutePath().equals(path) ? " (at " + fs.getFile() + ")" : "")
                    + ". Choose a path this JVM can write, or leave the path out for a temporary file.", e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
        try {
            Files.deleteIfExists(path);
            if (temporaryDirectory) {
                Files.deleteIfExists(path.getParent());
            }
        } catch (IOException e) {
            Progress.say("could not delete the token file " + path + ": " + e.getMessage());
        } finally {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "ProjectedTokenFile[" + path + ", writes " + writes() + ", next refresh " + nextRefresh() + "]";
    }
}
