package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version asked for explicitly never silently runs another binary: found binaries are version-checked, the cache
 * folder and the build use that version's wrapper module and version stamp.
 */
class VersionedBinariesTest {

    @TempDir
    Path tmp;
    private final List<String> progress = new ArrayList<>();

    private Path fakeServer(String dir, String name, String versionLine) throws IOException {
        Path file = Files.createDirectories(tmp.resolve(dir)).resolve(name);
        Files.writeString(file, "#!/bin/sh\necho '" + versionLine + "'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private BinarySources sources(Map<ServerBinary, Path> explicit, List<Path> path, Map<ServerBinary, String> versions) {
        return new BinarySources(explicit, Optional.empty(), path, tmp.resolve("cache"), false, Map.of(), false,
                Optional.empty(), versions);
    }

    @Test
    void aPathBinaryOfTheAskedVersionIsUsed() throws IOException {
        Path onPath = fakeServer("bin", "kube-apiserver", "Kubernetes v1.33.13");

        assertThat(ServerBinaries.resolve(ServerBinary.KUBE_APISERVER, sources(Map.of(), List.of(onPath.getParent()),
                Map.of(ServerBinary.KUBE_APISERVER, "v1.33.13")), progress::add)).isEqualTo(onPath);
    }

    @Test
    void aPathBinaryOfAnotherVersionIsSkippedAndTheReportSaysSo() throws IOException {
        Path onPath = fakeServer("bin", "kube-apiserver", "Kubernetes v1.34.10");

        assertThatThrownBy(() -> ServerBinaries.resolve(ServerBinary.KUBE_APISERVER, sources(Map.of(),
                List.of(onPath.getParent()), Map.of(ServerBinary.KUBE_APISERVER, "v1.33.13")), progress::add))
                .isInstanceOf(MissingServerBinaryException.class)
                .hasMessageContaining("could not find kube-apiserver v1.33.13")
                .hasMessageContaining(onPath + " is v1.34.10, not v1.33.13; skipped")
                .hasMessageContaining("cache " + ServerBinaries.cachedBinary(ServerBinary.KUBE_APISERVER, "v1.33.13",
                        tmp.resolve("cache")) + ": empty")
                .hasMessageContaining("a kube-apiserver v1.33.13 binary");
    }

    @Test
    void withoutAVersionAskedAnyPathBinaryIsUsedAsBefore() throws IOException {
        Path onPath = fakeServer("bin", "kube-apiserver", "Kubernetes v1.30.0");

        assertThat(ServerBinaries.resolve(ServerBinary.KUBE_APISERVER, sources(Map.of(), List.of(onPath.getParent()),
                Map.of()), progress::add)).isEqualTo(onPath);
    }

    @Test
    void anExplicitBinaryOfAnotherVersionFailsNamingBoth() throws IOException {
        Path vault = fakeServer("explicit", "vault", "Vault v1.21.0 ('abc'), built 2025-10-01");

        assertThatThrownBy(() -> ServerBinaries.resolve(ServerBinary.VAULT, sources(Map.of(ServerBinary.VAULT, vault),
                List.of(), Map.of(ServerBinary.VAULT, "v1.19.5")), progress::add))
                .isInstanceOf(MissingServerBinaryException.class)
                .hasMessageContaining("vaultk8s.local.vault / VAULTK8S_LOCAL_VAULT points at " + vault
                        + ", which is vault v1.21.0, but v1.19.5 was asked for (vaultk8s.vault.version)");
        Path bao = fakeServer("explicit-bao", "bao", "OpenBao v2.4.1");
        assertThatThrownBy(() -> ServerBinaries.resolve(ServerBinary.VAULT, sources(Map.of(ServerBinary.VAULT, bao),
                List.of(), Map.of(ServerBinary.VAULT, "v2.4.1")), progress::add))
                .hasMessageContaining("which is vault OpenBao 2.4.1");
    }

    @Test
    void eachKnownVersionHasItsWrapperModuleAndStamp() {
        assertThat(ServerBinaries.moduleFolder(ServerBinary.KUBE_APISERVER, "v1.34.10")).isEqualTo("gomod/kube-apiserver");
        for (String folder : List.of(ServerBinaries.moduleFolder(ServerBinary.KUBE_APISERVER, "v1.33.13"),
                ServerBinaries.moduleFolder(ServerBinary.VAULT, "v1.19.5"))) {
            for (String file : List.of("go.mod", "go.sum", "main.go")) {
                assertThat(ServerBinaries.class.getResource(folder + "/" + file)).as(folder + "/" + file).isNotNull();
            }
        }
        assertThat(String.join(" ", ServerBinaries.goBuildCommand(ServerBinary.KUBE_APISERVER, "v1.33.13",
                Path.of("go"), Path.of("out")))).contains("-X k8s.io/component-base/version.gitVersion=v1.33.13")
                .contains("gitMinor=33");
        assertThat(ServerBinaries.cachedBinary(ServerBinary.VAULT, "v1.19.5", tmp).getParent().getFileName().toString())
                .startsWith("vault-v1.19.5-");
    }
}
