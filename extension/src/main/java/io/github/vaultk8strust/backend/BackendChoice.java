package io.github.vaultk8strust.backend;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.core.TrustSettings;
import io.github.vaultk8strust.support.Progress;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The {@code AUTO} backend choice, by need: pods need k3s; otherwise the local backend when its server binaries
 * can be had (it starts in seconds and needs no Docker); otherwise k3s when a Docker engine answers. A pure
 * function: the two probes are passed in and asked lazily, at most once each, only when the answer matters.
 */
public final class BackendChoice {

    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private BackendChoice() {
    }

    /** The backend {@code AUTO} resolves to, and why (one sentence, printable). */
    public record Decision(Backend backend, String reason) {

        public Decision {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(reason, "reason");
        }

        /** Print the decision once per JVM (per test run), however many environments make it. */
        public Decision announceOnce() {
            if (ANNOUNCED.add(backend + ": " + reason)) {
                Progress.say("backend AUTO: " + backend.name().toLowerCase(java.util.Locale.ROOT) + " (" + reason + ")");
            }
            return this;
        }
    }

    /**
     * Decide what {@code AUTO} means for one environment.
     *
     * @param needsPods whether the test class needs pods ({@code @InClusterWorkload}, {@code startWorkload})
     * @param localBinariesObtainable whether etcd, kube-apiserver and vault/bao can be had (explicit settings,
     *        envtest assets, {@code PATH}, cache, download or build allowed); asked only when pods are not needed
     * @param dockerAnswers whether a Docker engine answers; asked only when needed
     * @return {@link Backend#K3S} or {@link Backend#LOCAL}, with the reason
     */
    public static Decision auto(boolean needsPods, BooleanSupplier localBinariesObtainable,
                                BooleanSupplier dockerAnswers) {
        if (needsPods) {
            if (dockerAnswers.getAsBoolean()) {
                return new Decision(Backend.K3S, "the test class needs pods, and a Docker engine answers");
            }
            return new Decision(Backend.LOCAL, "the test class needs pods but no Docker engine answers, so the "
                    + "local backend runs it and tests needing pods follow " + ConfigKeys.K3S_ONLY_KEY
                    + " (skip or fail)");
        }
        if (localBinariesObtainable.getAsBoolean()) {
            return new Decision(Backend.LOCAL, "no pods needed and the local servers can be had; set "
                    + ConfigKeys.BACKEND_KEY + "=k3s for k3s");
        }
        if (dockerAnswers.getAsBoolean()) {
            return new Decision(Backend.K3S, "no pods needed, but the local servers cannot be had here and a Docker "
                    + "engine answers");
        }
        return new Decision(Backend.LOCAL, "the local servers cannot be had and no Docker engine answers; the local "
                + "backend says how to provide its servers");
    }

    /**
     * A cheap answer to "can the local backend's servers be had?" (no download, no build): each server is set
     * explicitly, in {@code KUBEBUILDER_ASSETS}, on the {@code PATH} or in the cache, or else may be downloaded or
     * built ({@code vaultk8s.local.download} / {@code vaultk8s.local.build}, building also needs {@code go}).
     */
    public static boolean localServersObtainable(TrustSettings.LocalOptions local) {
        return localServersObtainable(local, System.getenv());
    }

    static boolean localServersObtainable(TrustSettings.LocalOptions local, Map<String, String> env) {
        if (local.download() || (local.build() && onPath("go", env))) {
            return true;
        }
        for (ServerBinary binary : ServerBinary.values()) {
            boolean found = local.explicitBinaries().containsKey(binary)
                    || Files.isExecutable(ServerBinaries.cachedBinary(binary, local.cacheDir()))
                    || binary.executableNames().stream().anyMatch(n -> onPath(n, env))
                    || (binary.inKubebuilderAssets() && env.get("KUBEBUILDER_ASSETS") != null
                        && Files.isExecutable(Path.of(env.get("KUBEBUILDER_ASSETS"), binary.id())));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean onPath(String name, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }
}
