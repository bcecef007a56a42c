package io.github.vaultk8strust.backend.local;

import static io.github.vaultk8strust.backend.local.BinaryFiles.isExecutableFile;
import static io.github.vaultk8strust.backend.local.BinaryVersions.versionKey;
import static io.github.vaultk8strust.backend.local.BinaryVersions.wrongVersion;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Steps 1 to 3 of {@link ServerBinaries}: the explicit setting, {@code KUBEBUILDER_ASSETS} and {@code PATH}; a
 * binary found there is used for a requested version only when it answers with that version. When none of them
 * has it, the search goes on in the cache ({@link CachedBinaries}). Every place searched adds a line to the report.
 */
final class BinaryLocator {

    private BinaryLocator() {
    }

    /**
     * Fail at once, for all servers together, when an explicit setting points at something unusable or at
     * another version than the one asked for: a mistyped path must not be skipped silently.
     */
    static void checkExplicitSettings(Set<ServerBinary> wanted, BinarySources sources) {
        Map<ServerBinary, List<String>> bad = new EnumMap<>(ServerBinary.class);
        for (ServerBinary binary : wanted) {
            Path path = sources.explicit().get(binary);
            if (path != null) {
                explicitProblem(binary, path)
                        .or(() -> sources.versionAsked(binary) ? wrongVersion(binary, path, sources.version(binary))
                                .map(found -> binary.settingKey() + " / " + binary.envVar() + " points at " + path
                                        + ", which is " + binary.id() + " " + found + ", but " + sources.version(binary)
                                        + " was asked for (" + versionKey(binary) + "). Point the setting at a "
                                        + sources.version(binary) + " binary, or unset it to let vault-k8s-trust use"
                                        + " its cache, download or build that version.")
                                : Optional.empty())
                        .ifPresent(problem -> bad.put(binary, List.of(problem)));
            }
        }
        if (!bad.isEmpty()) {
            String message = bad.values().stream().map(lines -> lines.get(0))
                    .collect(Collectors.joining(System.lineSeparator()));
            throw new MissingServerBinaryException(message, bad);
        }
    }

    private static Optional<String> explicitProblem(ServerBinary binary, Path path) {
        String setting = binary.settingKey() + " / " + binary.envVar() + " points at " + path;
        if (!Files.exists(path)) {
            return Optional.of(setting + ", which does not exist. The path is probably mistyped or the binary"
                    + " was removed; fix the path, or unset the setting to let vault-k8s-trust look in"
                    + " KUBEBUILDER_ASSETS, on PATH and in its cache.");
        }
        if (Files.isDirectory(path)) {
            Optional<Path> inside = binary.executableNames().stream().map(path::resolve)
                    .filter(BinaryFiles::isExecutableFile).findFirst();
            return Optional.of(setting + ", which is a directory; point the setting at the "
                    + binary.executableNamesText() + " executable itself"
                    + inside.map(p -> ", e.g. " + p).orElse("") + ".");
        }
        if (!Files.isExecutable(path)) {
            return Optional.of(setting + ", which is not executable; run chmod +x " + path
                    + " or point the setting at an executable " + binary.executableNamesText() + ".");
        }
        return Optional.empty();
    }

    /**
     * Find one server: explicit setting (already checked), KUBEBUILDER_ASSETS, PATH, then the cache with its
     * download and build; empty when all fail, with every place searched in {@code report}.
     */
    static Optional<Path> find(ServerBinary binary, BinarySources sources, Consumer<String> progress,
            List<String> report) {
        Path explicit = sources.explicit().get(binary);
        if (explicit != null) {
            return Optional.of(explicit.toAbsolutePath()); // already checked by checkExplicitSettings
        }
        report.add("setting " + binary.settingKey() + " / " + binary.envVar() + ": not set");

        if (binary.inKubebuilderAssets()) {
            Optional<Path> assets = sources.kubebuilderAssets();
            if (assets.isEmpty()) {
                report.add("KUBEBUILDER_ASSETS: not set");
            } else {
                Path dir = assets.get();
                Path candidate = dir.resolve(binary.id());
                if (isExecutableFile(candidate)) {
                    Optional<String> other = sources.versionAsked(binary)
                            ? wrongVersion(binary, candidate, sources.version(binary)) : Optional.empty();
                    if (other.isEmpty()) {
                        return Optional.of(candidate.toAbsolutePath());
                    }
                    report.add("KUBEBUILDER_ASSETS (" + dir + "): " + binary.id() + " is " + other.get() + ", not "
                            + sources.version(binary) + "; skipped");
                } else {
                    report.add("KUBEBUILDER_ASSETS (" + dir + "): "
                        + (Files.isDirectory(dir) ? describeAbsent(candidate) : "not a directory"));
                }
            }
        }

        List<String> skipped = new ArrayList<>();
        for (String name : binary.executableNames()) {
            for (Path dir : sources.searchPath()) {
                Path candidate = dir.resolve(name);
                if (isExecutableFile(candidate)) {
                    Optional<String> other = sources.versionAsked(binary)
                            ? wrongVersion(binary, candidate, sources.version(binary)) : Optional.empty();
                    if (other.isEmpty()) {
                        return Optional.of(candidate.toAbsolutePath());
                    }
                    skipped.add(candidate + " is " + other.get());
                }
            }
        }
        String path = sources.searchPath().isEmpty() ? "empty"
                : sources.searchPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        report.add("PATH (" + path + "): " + (skipped.isEmpty() ? "no " + binary.executableNamesText()
                : String.join(", ", skipped) + ", not " + sources.version(binary) + "; skipped"));

        return CachedBinaries.fromCache(binary, sources, progress, report);
    }

    /**
     * Say cheaply, without asking any binary its version, whether a server is at hand: set, in
     * KUBEBUILDER_ASSETS or on PATH (only when no version was asked for), or in the cache.
     */
    static boolean atHand(ServerBinary binary, BinarySources sources) {
        return sources.explicit().containsKey(binary)
                || (binary.inKubebuilderAssets() && !sources.versionAsked(binary) && sources.kubebuilderAssets()
                        .map(dir -> isExecutableFile(dir.resolve(binary.id()))).orElse(false))
                || (!sources.versionAsked(binary) && binary.executableNames().stream().anyMatch(name ->
                        sources.searchPath().stream().anyMatch(dir -> isExecutableFile(dir.resolve(name)))))
                || isExecutableFile(CachedBinaries.path(binary, sources.version(binary), sources.cacheDir()));
    }

    private static String describeAbsent(Path file) {
        if (!Files.exists(file)) {
            return "no " + file.getFileName();
        }
        if (Files.isDirectory(file)) {
            return file + " is a directory";
        }
        return file + " is not executable";
    }
}
