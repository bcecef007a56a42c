package io.github.vaultk8strust.backend.local;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checksum half of {@link BinaryDownload}: read the expected SHA-256 from a release's published checksum file
 * and refuse an archive whose hash differs. A mismatch is final, never retried: the bytes are corrupt or altered.
 */
final class ReleaseChecksums {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private ReleaseChecksums() {
    }

    /**
     * Find the expected SHA-256 in a checksum file: either the whole file is the hash, or it has
     * {@code <hash>  <name>} lines (sha256sum format, with {@code *} marking binary mode).
     */
    static String expectedSha256(String checksumFile, DownloadSpec spec) throws IOException {
        if (spec.checksumEntry() == null) {
            String[] tokens = checksumFile.trim().split("\\s+");
            if (tokens.length > 0 && SHA256_HEX.matcher(tokens[0]).matches()) {
                return tokens[0].toLowerCase(Locale.ROOT);
            }
            throw new IOException(spec.checksums() + " does not hold a SHA-256 hash");
        }
        for (String line : checksumFile.lines().collect(Collectors.toList())) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2 && SHA256_HEX.matcher(parts[0]).matches()) {
                String name = parts[1].startsWith("*") ? parts[1].substring(1) : parts[1];
                if (name.equals(spec.checksumEntry()) || name.equals("./" + spec.checksumEntry())) {
                    return parts[0].toLowerCase(Locale.ROOT);
                }
            }
        }
        throw new IOException(spec.checksums() + " lists no SHA-256 for " + spec.checksumEntry());
    }

    /** Fail, naming both hashes and where the expected one came from, when the download's hash differs. */
    static void requireMatch(DownloadSpec spec, String expected, String actual) throws IOException {
        if (!actual.equalsIgnoreCase(expected)) {
            throw new IOException("SHA-256 mismatch for " + spec.archive() + ": expected " + expected + " (from "
                    + spec.checksums() + "), actual " + actual + ". The download is corrupt or was altered"
                    + " on the way, so it was discarded; retry, or provide the binary another way.");
        }
    }
}
