package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The binaries half of an offline bundle ({@link io.github.vaultk8strust.tools.OfflineBundle}): the local backend's
 * servers, copied into {@code DIR/bin} in the cache's layout, and back into the cache on the offline machine.
 */
@API(status = INTERNAL, since = "0.1")
public final class BinaryBundle {

    private BinaryBundle() {
    }

    /** Resolve (find, download or build) every local-backend server and copy it into {@code DIR/bin} in cache layout. */
    public static void saveBinaries(Path dir) {
        Path cache = BinarySources.defaultCacheDir();
        Map<ServerBinary, Path> found = ServerBinaries.resolveAll(EnumSet.allOf(ServerBinary.class),
                BinarySources.fromEnvironment(Map.of(), cache, true, true), Progress::say);
        for (Map.Entry<ServerBinary, Path> e : found.entrySet()) {
            Path relative = cache.relativize(ServerBinaries.cachedBinary(e.getKey(), cache));
            Path target = dir.resolve(relative);
            copyExecutable(e.getValue(), target);
            Progress.say("saved " + e.getKey().id() + " (" + e.getValue() + ") as " + target);
        }
    }

    /** Copy {@code DIR/bin} into the cache directory, where the local backend looks (step 4 of its search). */
    public static void loadBinaries(Path dir, Path cache) {
        Path bin = dir.resolve("bin");
        if (!Files.isDirectory(bin)) {
            Progress.say("no server binaries in " + dir + " (saved with --no-binaries?)");
            return;
        }
        try (Stream<Path> files = Files.walk(bin)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = cache.resolve(dir.relativize(file));
                copyExecutable(file, target);
                Progress.say("installed " + target);
            }
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot copy binaries from " + bin + " to " + cache + ": " + e, e);
        }
    }

    private static void copyExecutable(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot copy " + from + " to " + to + ": " + e, e);
        }
    }
}
