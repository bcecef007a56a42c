package io.github.vaultk8strust.backend.local;

import static io.github.vaultk8strust.backend.local.BinaryFiles.describe;
import static io.github.vaultk8strust.backend.local.BinaryFiles.isExecutableFile;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Steps 4 to 6 of {@link ServerBinaries}: a verified binary in the cache, else one downloaded ({@link
 * BinaryDownload}) or built ({@link GoBuild}) into it, under the per-server {@link BinaryLock} so parallel JVMs
 * produce it once.
 */
final class CachedBinaries {

    private CachedBinaries() {
    }

    /** Where the cache keeps a version of a server for the running platform, whether or not it is there. */
    static Path path(ServerBinary binary, String version, Path cacheDir) {
        String folder = binary.id() + "-" + version + "-" + DownloadSpec.currentOs() + "-"
                + DownloadSpec.currentArch();
        return cacheDir.toAbsolutePath().resolve("bin").resolve(folder).resolve(binary.id());
    }

    /** Steps 4 to 6: the cache, then download or build into it, under the per-server lock. */
    static Optional<Path> fromCache(ServerBinary binary, BinarySources sources, Consumer<String> progress,
            List<String> report) {
        String version = sources.version(binary);
        Path target = path(binary, version, sources.cacheDir());
        if (isExecutableFile(target) && CacheIntegrity.isVerified(target)) {
            return Optional.of(target);
        }
        Path binDir = target.getParent().getParent();
        Path lockFile = binDir.resolve("." + binary.id() + ".lock");
        boolean canProduce = sources.download() || sources.build();
        if (!canProduce && !Files.exists(lockFile)) {
            // Nothing will be produced and nobody ever produced here: no need to create cache folders.
            report.add("cache " + target + ": " + cacheState(target));
            report.add(downloadOffReason(binary, sources));
            report.add("build from Go modules: switched off");
            return Optional.empty();
        }
        try {
            Files.createDirectories(binDir);
            Path realLock = binDir.toRealPath().resolve(lockFile.getFileName());
            return BinaryLock.underLock(binary, version, realLock, progress,
                    () -> produce(binary, sources, target, progress, report));
        } catch (ClosedByInterruptException e) {
            // Interrupted while blocked in FileChannel.lock(): a cancellation, not a cache problem.
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while waiting for the lock on " + binary.id() + " "
                    + version + " in " + target.getParent(), e);
        } catch (IOException e) {
            report.add("cache " + target.getParent() + ": unusable: " + describe(e)
                    + " (make the cache directory writable, or pick another one)");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while waiting for or producing " + binary.id()
                    + " " + version + " in " + target.getParent(), e);
        }
    }

    private static Optional<Path> produce(ServerBinary binary, BinarySources sources, Path target,
            Consumer<String> progress, List<String> report) throws InterruptedException {
        String version = sources.version(binary);
        // Another process may have finished it while this one waited for the lock; check what is there.
        if (isExecutableFile(target)) {
            Optional<String> problem = CacheIntegrity.verify(target);
            if (problem.isEmpty()) {
                return Optional.of(target);
            }
            Path aside = CacheIntegrity.setAside(target);
            progress.accept("the cached " + binary.id() + " " + target + " " + problem.get() + "; set it aside as "
                    + aside + " and obtaining it again");
            report.add("cache " + target + ": " + problem.get() + " (set aside as " + aside + ")");
        }
        report.add("cache " + target + ": " + cacheState(target));
        deleteStaleTemporaries(binary, sources.cacheDir(), target.getParent());

        DownloadSpec spec = sources.downloads().get(binary);
        if (sources.download() && spec != null) {
            try {
                BinaryDownload.DEFAULT.download(binary, version, spec, target, sources.cacheDir(), progress);
                return Optional.of(target);
            } catch (IOException | RuntimeException e) {
                String why = describe(e);
                report.add("download " + spec.archive() + ": failed: " + why);
                progress.accept("download of " + binary.id() + " " + version + " failed (" + why
                        + "); trying the next source");
            }
        } else {
            report.add(downloadOffReason(binary, sources));
        }

        if (!sources.build()) {
            report.add("build from Go modules: switched off");
            return Optional.empty();
        }
        Optional<Path> go = GoBuild.findGo(sources);
        if (go.isEmpty()) {
            report.add("build from Go modules: no `go` executable "
                    + sources.goExecutable().map(p -> "at " + p).orElse("on PATH"));
            return Optional.empty();
        }
        try {
            GoBuild.build(binary, version, go.get(), target, sources.cacheDir(), progress);
            return Optional.of(target);
        } catch (IOException | RuntimeException e) {
            report.add("build from Go modules with " + go.get() + ": failed: " + describe(e));
            progress.accept("build of " + binary.id() + " " + version + " failed; see "
                    + GoBuild.buildLog(binary, sources.cacheDir()));
            return Optional.empty();
        }
    }

    private static String downloadOffReason(ServerBinary binary, BinarySources sources) {
        if (!sources.download()) {
            return "download: switched off";
        }
        return "download: no official " + binary.id() + " " + sources.version(binary) + " release for "
                + DownloadSpec.currentOs() + "/" + DownloadSpec.currentArch();
    }

    /**
     * Delete leftovers of a download or build killed halfway; safe because they are only ever
     * created under the lock this thread now holds.
     */
    private static void deleteStaleTemporaries(ServerBinary binary, Path cacheDir, Path targetDir) {
        BinaryFiles.deleteMatching(targetDir, "." + binary.id() + "-*.tmp");
        Path tmp = cacheDir.resolve("tmp");
        BinaryFiles.deleteMatching(tmp, binary.id() + "-download-*");
        BinaryFiles.deleteMatching(tmp, "gomod-" + binary.id() + "-*");
    }

    private static String cacheState(Path target) {
        if (!Files.exists(target)) {
            return "empty";
        }
        return Files.isDirectory(target) ? "a directory, not a binary" : "present but not executable";
    }
}
