package io.github.vaultk8strust.backend.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Put a downloaded, checksum-verified release into the cache: the file itself, or the server's entry from a
 * {@code .tar.gz}, {@code .tgz} or {@code .zip} archive.
 */
final class BinaryArchives {

    private BinaryArchives() {
    }

    /** Unpack (if need be) {@code archive} next to {@code target} and move the binary into place. */
    static void install(DownloadSpec spec, Path archive, Path target) throws IOException {
        Path tmp = BinaryFiles.temporarySibling(target);
        try {
            String entry = spec.entryInArchive();
            String name = spec.archive().getPath().toLowerCase(Locale.ROOT);
            if (entry == null) {
                Files.copy(archive, tmp);
            } else if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                extractFromTarGz(archive, entry, tmp, spec.archive());
            } else if (name.endsWith(".zip")) {
                extractFromZip(archive, entry, tmp, spec.archive());
            } else {
                throw new IOException("cannot unpack " + spec.archive()
                        + ": only .tar.gz, .tgz and .zip archives are supported");
            }
            BinaryFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void extractFromTarGz(Path archive, String entry, Path out, URI source) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile() && sameEntry(e.getName(), entry)) {
                    Files.copy(tar, out);
                    return;
                }
            }
        }
        throw new IOException(source + " has no file " + entry);
    }

    private static void extractFromZip(Path archive, String entry, Path out, URI source) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.isDirectory() && sameEntry(e.getName(), entry)) {
                    Files.copy(zip, out);
                    return;
                }
            }
        }
        throw new IOException(source + " has no file " + entry);
    }

    private static boolean sameEntry(String name, String wanted) {
        return (name.startsWith("./") ? name.substring(2) : name).equals(wanted);
    }
}
