package io.github.vaultk8strust.backend.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * File and formatting helpers shared by the steps of {@link ServerBinaries}: placing a produced binary into the
 * cache atomically, cleaning up leftovers, and wording durations, sizes and exceptions for progress lines.
 */
final class BinaryFiles {

    /** The most often a slow step (download, build) reports progress. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private BinaryFiles() {
    }

    static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    /** A not-yet-existing file next to {@code target}, so the final move is a same-filesystem rename. */
    static Path temporarySibling(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        // Not created here: go build refuses to overwrite a file it did not produce.
        return target.resolveSibling("." + target.getFileName() + "-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime() + ".tmp");
    }

    /** Make {@code tmp} executable, record its hash and rename it to {@code target} in one atomic step. */
    static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            if (!tmp.toFile().setExecutable(true, false)) {
                throw new IOException("cannot make " + tmp + " executable", e);
            }
        }
        // The record first: a binary in place without its record would be taken for a legacy one and trusted.
        CacheIntegrity.record(tmp, target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        CacheIntegrity.markVerified(target);
    }

    static void deleteRecursively(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (var children = Files.list(path)) {
                    children.forEach(BinaryFiles::deleteRecursively);
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover temporary folder is cleaned up by the next run under the lock.
        }
    }

    static void deleteMatching(Path dir, String glob) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, glob)) {
            for (Path path : stale) {
                deleteRecursively(path);
            }
        } catch (IOException e) {
            // Leftovers only waste disk space; they never break a later download or build.
        }
    }

    /** Name the exception and its root cause; HttpClient's own exceptions often have no message. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 5; depth++) {
            if (!text.toString().contains(cause.toString())) {
                text.append(" (caused by ").append(cause).append(')');
            }
            cause = cause.getCause();
        }
        return text.toString();
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    static String elapsed(long startNanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        return seconds < 60 ? seconds + "s" : (seconds / 60) + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
    }
}
