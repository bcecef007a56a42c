package io.github.vaultk8strust.backend.local;

import java.nio.file.Files;

/** Test access to the PATH the local backend searches. */
public final class BinarySourcesAccess {

    private BinarySourcesAccess() {
    }

    /** Return whether no executable {@code bao} is on this process's PATH. */
    public static boolean noBaoOnPath() {
        return BinarySources.splitPath(System.getenv("PATH")).stream().map(d -> d.resolve("bao"))
                .noneMatch(p -> Files.isRegularFile(p) && Files.isExecutable(p));
    }
}
