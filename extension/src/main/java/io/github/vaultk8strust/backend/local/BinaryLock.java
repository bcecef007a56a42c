package io.github.vaultk8strust.backend.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The exclusive lock around producing one server binary in the cache, held across threads and JVMs, so parallel
 * test runs share one download or build instead of racing for the same target.
 */
final class BinaryLock {

    /**
     * Per-JVM locks keyed by lock file: {@link FileChannel#lock()} only excludes other processes,
     * and a second thread of the same JVM would get an {@code OverlappingFileLockException}.
     */
    private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private BinaryLock() {
    }

    /** The work done while holding the lock. */
    @FunctionalInterface
    interface LockedAction {
        Optional<Path> run() throws InterruptedException;
    }

    /**
     * Run {@code action} holding first this JVM's lock, then the file lock on {@code lockFile}, saying on
     * {@code progress} when it has to wait for another thread or process.
     *
     * @throws java.nio.channels.ClosedByInterruptException if interrupted while blocked on the file lock
     */
    static Optional<Path> underLock(ServerBinary binary, String version, Path lockFile, Consumer<String> progress,
            LockedAction action) throws IOException, InterruptedException {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, key -> new ReentrantLock());
        if (!jvmLock.tryLock()) {
            progress.accept("waiting for another thread that is obtaining " + binary.id() + " " + version);
            jvmLock.lockInterruptibly();
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                long start = System.nanoTime();
                progress.accept("waiting for another process that is downloading or building " + binary.id() + " "
                        + version + " (holds " + lockFile + ")");
                lock = channel.lock();
                progress.accept("the other process released " + lockFile + " after " + BinaryFiles.elapsed(start));
            }
            try {
                return action.run();
            } finally {
                lock.release();
            }
        } finally {
            jvmLock.unlock();
        }
    }
}
