package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.testcontainers.utility.DockerImageName;

/**
 * The one place that knows which system images each supported k3s tag runs: k3s's own containerd pulls them (it
 * does not see the host Docker's cache), so an offline run must side-load exactly these names and tags. The list
 * changes with every k3s tag; a test ties it to {@link ConfigKeys#DEFAULT_K3S_IMAGE}.
 *
 * <p>Only what runs with {@code --disable=traefik,metrics-server,servicelb}: the sandbox (pause, k3s's
 * {@code --pause-image} default), CoreDNS, the local-path provisioner and its helper (busybox). Traefik,
 * metrics-server, the ServiceLB helper (klipper-lb) and the Helm job image (klipper-helm, only used for the
 * bundled Traefik chart) are disabled or unused. Source: k3s-io/k3s {@code scripts/airgap/image-list.txt} and the
 * release notes of each tag.
 */
@API(status = INTERNAL, since = "0.1")
public final class K3sReleases {

    private K3sReleases() {
    }

    /** System images per k3s image tag (Docker tags spell k3s's {@code +} as {@code -}). */
    private static final Map<String, List<String>> SYSTEM_IMAGES = Map.of(
            // v1.34.1+k3s1: CoreDNS 1.12.3, local-path-provisioner v0.0.32, busybox 1.36.1, pause 3.6.
            // (CoreDNS 1.13.1 arrived in v1.34.2+k3s1, busybox 1.37.0 later.)
            "v1.34.1-k3s1", List.of(
                    "rancher/mirrored-pause:3.6",
                    "rancher/mirrored-coredns-coredns:1.12.3",
                    "rancher/local-path-provisioner:v0.0.32",
                    "rancher/mirrored-library-busybox:1.36.1"));

    /** Return the k3s tags whose system images this library knows. */
    public static java.util.Set<String> knownTags() {
        return SYSTEM_IMAGES.keySet();
    }

    /**
     * Return the system images of the k3s image's tag, if this library knows that tag. The registry and repository
     * are ignored (a mirror of {@code rancher/k3s} runs the same images); an image pinned only by digest has no tag
     * and gives empty.
     */
    public static Optional<List<String>> knownSystemImages(String k3sImage) {
        DockerImageName name = DockerImageName.parse(k3sImage);
        String version = name.getVersionPart();
        if (version == null || version.startsWith("sha256:")) {
            String tag = tagOf(k3sImage);
            return tag == null ? Optional.empty() : Optional.ofNullable(SYSTEM_IMAGES.get(tag));
        }
        return Optional.ofNullable(SYSTEM_IMAGES.get(version.replace('+', '-')));
    }

    /** Return the system images to side-load by default for this k3s image: the known list, or none. */
    public static List<String> systemImages(String k3sImage) {
        return knownSystemImages(k3sImage).orElse(List.of());
    }

    /** Return the tag of {@code repo:tag@sha256:...} or {@code repo:tag}; null for none. */
    static String tagOf(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(colon + 1).replace('+', '-') : null;
    }
}
