package io.github.vaultk8strust.backend.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 records of cached binaries: written when a binary is installed ({@code <binary>.sha256} beside it),
 * checked on a cache hit once per file version (keyed by size and modification time, so the 100 MB hash is computed
 * once, not per environment). A truncated or damaged cached binary is then found before it is run.
 * <p>A successful check is also remembered across JVMs, in a stamp beside the binary ({@code <binary>.verified}:
 * the hash it matched, with the file's size, modification and change times, device and inode): hashing the three
 * servers (about 470 MB) took about a second of CPU at the start of every test JVM, in the critical path. A stamp
 * counts only while all of those still match and the record still holds the same hash; a binary truncated,
 * rewritten, replaced or re-recorded since fails the comparison and is hashed again. What the stamp cannot see is
 * damage that changes neither the size nor any time nor the inode (a flipped bit on disk), which the kernel's own
 * checks are for.
 */
final class CacheIntegrity {

    private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

    private CacheIntegrity() {
    }

    /** Return the record file of {@code binary}. */
    static Path recordOf(Path binary) {
        return binary.resolveSibling(binary.getFileName() + ".sha256");
    }

    /** Write the record for {@code file}, about to be moved to {@code target}. */
    static void record(Path file, Path target) throws IOException {
        Path record = recordOf(target);
        Path tmp = record.resolveSibling("." + record.getFileName() + "-" + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, sha256(file) + "  " + target.getFileName() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forget what this JVM checked, as a new JVM starts (for tests of the stamp). */
    static void forgetInThisJvm(Path binary) {
        VERIFIED.remove(binary);
    }

    /** Return the stamp file that remembers a successful check across JVMs. */
    static Path stampOf(Path binary) {
        return binary.resolveSibling(binary.getFileName() + ".verified");
    }

    /** Remember that {@code binary}, as it is now, matches its record. */
    static void markVerified(Path binary) {
        try {
            VERIFIED.put(binary, key(binary));
            recordedHash(binary).ifPresent(hash -> writeStamp(binary, hash));
        } catch (IOException e) {
            VERIFIED.remove(binary);
        }
    }

    /**
     * Return whether {@code binary} matches its record, hashing it only if neither this JVM nor a valid stamp has
     * seen this version.
     */
    static boolean isVerified(Path binary) {
        try {
            String key = key(binary);
            if (key.equals(VERIFIED.get(binary))) {
                return true;
            }
            if (stampMatches(binary)) {
                VERIFIED.put(binary, key);
                return true;
            }
        } catch (IOException e) {
            return false;
        }
        return verify(binary).isEmpty();
    }

    /** Return whether the stamp names the record's hash and the file exactly as it is now. */
    static boolean stampMatches(Path binary) {
        try {
            Path stamp = stampOf(binary);
            if (!Files.isRegularFile(stamp)) {
                return false;
            }
            Optional<String> identity = identity(binary);
            Optional<String> hash = recordedHash(binary);
            return identity.isPresent() && hash.isPresent() && Files.readString(stamp, StandardCharsets.US_ASCII)
                    .strip().equals(hash.get() + " " + identity.get());
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<String> recordedHash(Path binary) throws IOException {
        Path record = recordOf(binary);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        String hash = Files.readString(record, StandardCharsets.US_ASCII).trim().split("\\s+")[0]
                .toLowerCase(Locale.ROOT);
        return hash.matches("[0-9a-f]{64}") ? Optional.of(hash) : Optional.empty();
    }

    /**
     * The file's identity for the stamp: size, modification and change times (nanoseconds where the file system
     * keeps them), device and inode; empty where the file system has no such attributes (then nothing is stamped).
     */
    private static Optional<String> identity(Path binary) {
        try {
            Map<String, Object> unix = Files.readAttributes(binary, "unix:size,lastModifiedTime,ctime,dev,ino");
            return Optional.of("size=" + unix.get("size") + " mtime=" + nanos(unix.get("lastModifiedTime"))
                    + " ctime=" + nanos(unix.get("ctime")) + " dev=" + unix.get("dev") + " ino=" + unix.get("ino"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String nanos(Object time) {
        java.nio.file.attribute.FileTime fileTime = (java.nio.file.attribute.FileTime) time;
        Instant instant = fileTime.toInstant();
        return instant.getEpochSecond() + "." + String.format(Locale.ROOT, "%09d", instant.getNano());
    }

    /** Write the stamp (atomically); a read-only cache simply gets none and hashes again next time. */
    private static void writeStamp(Path binary, String hash) {
        Optional<String> identity = identity(binary);
        if (identity.isEmpty()) {
            return;
        }
        Path stamp = stampOf(binary);
        Path tmp = stamp.resolveSibling("." + stamp.getFileName() + "-" + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(tmp, hash + " " + identity.get() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, stamp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Nothing more to do: without a stamp the next JVM hashes again.
            }
        }
    }

    /**
     * Check {@code binary} against its record and describe a mismatch. A binary without a record (cached by an
     * older version of the library) gets one now.
     */
    static Optional<String> verify(Path binary) {
        try {
            String key = key(binary);
            if (key.equals(VERIFIED.get(binary))) {
                return Optional.empty();
            }
            String actual = sha256(binary);
            Path record = recordOf(binary);
            if (!Files.isRegularFile(record)) {
                try {
                    Files.writeString(record, actual + "  " + binary.getFileName() + "\n", StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    // A read-only cache: nothing to compare with, nothing to record; use the binary as found.
                }
                VERIFIED.put(binary, key);
                writeStamp(binary, actual);
                return Optional.empty();
            }
            String expected = Files.readString(record, StandardCharsets.US_ASCII).trim().split("\\s+")[0]
                    .toLowerCase(Locale.ROOT);
            if (expected.equals(actual)) {
                VERIFIED.put(binary, key);
                writeStamp(binary, actual);
                return Optional.empty();
            }
            return Optional.of("does not match its SHA-256 record " + record + " (recorded " + expected + ", now "
                    + actual + ", " + Files.size(binary) + " bytes): it is truncated or damaged");
        } catch (IOException | UncheckedIOException e) {
            return Optional.of("cannot be checked against its SHA-256 record: " + e);
        }
    }

    /** Move a damaged binary and its record out of the way; return where the binary went. */
    static Path setAside(Path binary) {
        VERIFIED.remove(binary);
        Path aside = binary.resolveSibling(binary.getFileName() + ".corrupt-" + Instant.now().toEpochMilli());
        try {
            Files.move(binary, aside, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(recordOf(binary));
            Files.deleteIfExists(stampOf(binary));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot set the damaged cached binary " + binary + " aside; delete it by hand",
                    e);
        }
        return aside;
    }

    private static String key(Path binary) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(binary, BasicFileAttributes.class);
        return attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
