package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Describe where to download one server binary and how to check it.
 *
 * @param archive the file to download: a {@code .tar.gz}/{@code .tgz} or {@code .zip} archive, or
 *     the raw binary itself when {@code entryInArchive} is {@code null}
 * @param checksums a SHA-256 checksum file published next to {@code archive}
 * @param checksumEntry the file name as listed in the checksum file ({@code <hash>  <name>} lines),
 *     or {@code null} when the checksum file holds just the hash (as dl.k8s.io's {@code .sha256})
 * @param entryInArchive the path of the binary inside the archive, or {@code null} when
 *     {@code archive} is the raw binary
 */
@API(status = INTERNAL, since = "0.1")
public record DownloadSpec(URI archive, URI checksums, String checksumEntry, String entryInArchive) {

    /**
     * Create a download description; both URIs are required.
     *
     * @param archive the archive or raw binary to download
     * @param checksums the SHA-256 checksum file
     * @param checksumEntry the archive's name in the checksum file, or {@code null} for a bare hash
     * @param entryInArchive the binary's path inside the archive, or {@code null} for a raw binary
     */
    public DownloadSpec {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(checksums, "checksums");
    }

    /**
     * Return the official upstream download of a pinned server for a platform.
     *
     * @param binary the server
     * @param os {@code linux} or {@code darwin} (Go's names)
     * @param arch {@code amd64} or {@code arm64} (Go's names)
     * @return the download, or empty for other platforms and for kube-apiserver on darwin
     *     (Kubernetes publishes no darwin server binaries)
     */
    public static Optional<DownloadSpec> official(ServerBinary binary, String os, String arch) {
        return official(binary, binary.version(), os, arch);
    }

    /**
     * Return the official release download of {@code version} of a server for a platform.
     *
     * @param binary the server
     * @param version the version with its leading {@code v}, e.g. {@code v1.33.13}
     * @param os {@code linux} or {@code darwin}
     * @param arch {@code amd64} or {@code arm64}
     * @return the download, or empty where none is published
     */
    public static Optional<DownloadSpec> official(ServerBinary binary, String version, String os, String arch) {
        if (!(os.equals("linux") || os.equals("darwin")) || !(arch.equals("amd64") || arch.equals("arm64"))) {
            return Optional.empty();
        }
        return switch (binary) {
            case ETCD -> {
                // etcd ships tar.gz for linux and zip for darwin, with the binary under a versioned folder.
                String base = "etcd-" + version + "-" + os + "-" + arch;
                String file = base + (os.equals("darwin") ? ".zip" : ".tar.gz");
                String dir = "https://github.com/etcd-io/etcd/releases/download/" + version + "/";
                yield Optional.of(new DownloadSpec(URI.create(dir + file), URI.create(dir + "SHA256SUMS"),
                        file, base + "/etcd"));
            }
            case KUBE_APISERVER -> {
                if (os.equals("darwin")) {
                    yield Optional.empty();
                }
                String url = "https://dl.k8s.io/release/" + version + "/bin/" + os + "/" + arch + "/kube-apiserver";
                yield Optional.of(new DownloadSpec(URI.create(url), URI.create(url + ".sha256"), null, null));
            }
            case VAULT -> {
                // HashiCorp's release URLs spell the version without the leading "v".
                String bare = version.substring(1);
                String dir = "https://releases.hashicorp.com/vault/" + bare + "/";
                String file = "vault_" + bare + "_" + os + "_" + arch + ".zip";
                yield Optional.of(new DownloadSpec(URI.create(dir + file),
                        URI.create(dir + "vault_" + bare + "_SHA256SUMS"), file, "vault"));
            }
        };
    }

    /**
     * Return the running operating system in Go's naming ({@code linux}, {@code darwin},
     * {@code windows}, or the lower-cased {@code os.name} otherwise).
     *
     * @return the Go-style OS name
     */
    public static String currentOs() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "darwin";
        }
        if (name.startsWith("windows")) {
            return "windows";
        }
        return name.replace(' ', '_');
    }

    /**
     * Return the running CPU architecture in Go's naming ({@code amd64}, {@code arm64}, or the
     * lower-cased {@code os.arch} otherwise).
     *
     * @return the Go-style architecture name
     */
    public static String currentArch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }
}
