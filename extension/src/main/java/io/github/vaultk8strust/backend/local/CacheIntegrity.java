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
 * checked on a cache hit once per JVM and file version (keyed by size and modification time, so the 100 MB hash
 * is computed once, not per environment). A truncated or damaged cached binary is then found before it is run.
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

    /** Remember that {@code binary}, as it is now, matches its record. */
    static void markVerified(Path binary) {
        try {
            VERIFIED.put(binary, key(binary));
        } catch (IOException e) {
            VERIFIED.remove(binary);
        }
    }

    /** Return whether {@code binary} matches its record, hashing it only if this JVM has not seen this version. */
    static boolean isVerified(Path binary) {
        try {
            if (key(binary).equals(VERIFIED.get(binary))) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
        return verify(binary).isEmpty();
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
                return Optional.empty();
            }
            String expected = Files.readString(record, StandardCharsets.US_ASCII).trim().split("\\s+")[0]
                    .toLowerCase(Locale.ROOT);
            if (expected.equals(actual)) {
                VERIFIED.put(binary, key);
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
