package io.github.vaultk8strust.backend.local;

import io.github.vaultk8strust.ConfigKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The single "not found anywhere" message of {@link ServerBinaries}: every missing server with every place
 * searched, then each way to provide it (setting, KUBEBUILDER_ASSETS, PATH, download, build) with the exact
 * setting or command, so one failed run tells the user everything needed to fix it.
 */
final class BinaryReport {

    private BinaryReport() {
    }

    /**
     * Word the exception message for servers found nowhere.
     *
     * @param missing each missing server with the places searched, in search order
     * @param sources the sources searched, for versions, switches and the cache folder
     */
    static String notFoundMessage(Map<ServerBinary, List<String>> missing, BinarySources sources) {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder("vault-k8s-trust could not find ")
                .append(missing.keySet().stream().map(b -> b.id() + " " + sources.version(b)).collect(Collectors.joining(", ")))
                .append(" for the local backend.").append(nl);
        missing.forEach((binary, places) -> {
            text.append(binary.id()).append(' ').append(sources.version(binary)).append(", searched:").append(nl);
            places.forEach(place -> text.append("  - ").append(place.replace(nl, nl + "      ")).append(nl));
        });
        text.append("Provide each one in any of these ways:").append(nl);
        for (ServerBinary binary : missing.keySet()) {
            text.append("  - set ").append(binary.settingKey()).append(" or the environment variable ")
                    .append(binary.envVar()).append(" to ").append(wantedBinary(binary, sources)).append(nl);
        }
        boolean envtestHelps = missing.keySet().stream().anyMatch(ServerBinary::inKubebuilderAssets);
        if (envtestHelps) {
            String minor = minorLine(ServerBinary.KUBE_APISERVER, sources).substring(1);
            text.append("  - point KUBEBUILDER_ASSETS at an envtest asset directory holding etcd and kube-apiserver, e.g. ")
                    .append("KUBEBUILDER_ASSETS=\"$(setup-envtest use ").append(minor).append(" -p path)\"").append(nl);
        }
        text.append("  - put ").append(missing.keySet().stream().map(ServerBinary::executableNamesText)
                .collect(Collectors.joining(", "))).append(" on PATH").append(nl);
        Path binDir = sources.cacheDir().toAbsolutePath().resolve("bin");
        List<ServerBinary> downloadable = missing.keySet().stream().filter(sources.downloads()::containsKey).toList();
        if (!sources.download() && !downloadable.isEmpty()) {
            text.append("  - allow downloading the official ")
                    .append(downloadable.stream().map(ServerBinary::id).collect(Collectors.joining(", ")))
                    .append(downloadable.size() == 1 ? " release" : " releases").append(" (switched off now): set ")
                    .append(switchOn(ConfigKeys.DOWNLOAD_KEY)).append("; vault-k8s-trust then downloads them once")
                    .append(" into ").append(binDir).append(", checked against their published SHA-256").append(nl);
        }
        text.append("  - ").append(sources.build() ? "install"
                        : "allow building from Go modules (switched off now: set " + switchOn(ConfigKeys.BUILD_KEY)
                                + ") with")
                .append(" Go 1.26 or later on PATH (https://go.dev/dl/): vault-k8s-trust then builds the pinned versions once")
                .append(" into ").append(binDir).append(" and reuses them (a cold build on 2 cores takes about 6–7 minutes")
                .append(" for kube-apiserver and 13–17 for vault)").append(nl);
        return text.toString();
    }

    /** Say how to set a boolean setting to true, e.g. {@code vaultk8s.local.build=true or VAULTK8S_LOCAL_BUILD=true}. */
    private static String switchOn(String key) {
        String envVar = key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        return key + "=true or the environment variable " + envVar + "=true";
    }

    private static String wantedBinary(ServerBinary binary, BinarySources sources) {
        return switch (binary) {
            case ETCD -> "an etcd " + minorLine(binary, sources) + " binary";
            case KUBE_APISERVER -> "a kube-apiserver " + minorLine(binary, sources) + " binary";
            case VAULT -> "a vault " + minorLine(binary, sources) + (sources.versionAsked(binary) ? " binary"
                    : " or OpenBao bao binary");
        };
    }

    /** The version line users should look for, e.g. {@code v1.34.x}. */
    private static String minorLine(ServerBinary binary, BinarySources sources) {
        if (sources.versionAsked(binary)) {
            return sources.version(binary);
        }
        String version = binary.version();
        return version.substring(0, version.lastIndexOf('.')) + ".x";
    }
}
