package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.ConfigKeys;
import org.junit.jupiter.api.Test;

/** The system images side-loaded are those of the pinned k3s tag. */
class K3sReleasesTest {

    @Test
    void theDefaultK3sTagHasItsOwnSystemImageList() {
        assertThat(ConfigKeys.DEFAULT_K3S_IMAGE).isEqualTo("rancher/k3s:v1.34.1-k3s1");
        assertThat(K3sReleases.knownSystemImages(ConfigKeys.DEFAULT_K3S_IMAGE)).as(
                "bumping DEFAULT_K3S_IMAGE needs that tag's system images in K3sReleases "
                        + "(k3s-io/k3s scripts/airgap/image-list.txt of the tag)").isPresent();
        assertThat(K3sContainerSpec.DEFAULT_SYSTEM_IMAGES)
                .isEqualTo(K3sReleases.systemImages(ConfigKeys.DEFAULT_K3S_IMAGE));
    }

    @Test
    void v1341k3s1RunsCoreDns1123AndBusybox1361() {
        // k3s v1.34.1+k3s1 release notes: CoreDNS 1.12.3, local-path-provisioner v0.0.32; its helper busybox
        // 1.36.1; k3s's --pause-image default rancher/mirrored-pause:3.6. CoreDNS 1.13.1 came with v1.34.2+k3s1.
        assertThat(K3sReleases.systemImages("rancher/k3s:v1.34.1-k3s1")).containsExactly(
                "rancher/mirrored-pause:3.6",
                "rancher/mirrored-coredns-coredns:1.12.3",
                "rancher/local-path-provisioner:v0.0.32",
                "rancher/mirrored-library-busybox:1.36.1");
    }

    @Test
    void onlyComponentsThatRunAreListed() {
        assertThat(K3sContainerSpec.DISABLED_COMPONENTS).isEqualTo("traefik,metrics-server,servicelb");
        assertThat(K3sContainerSpec.DEFAULT_SYSTEM_IMAGES).noneMatch(i -> i.contains("traefik")
                || i.contains("metrics-server") || i.contains("klipper"));
    }

    @Test
    void aMirrorOfTheSameTagRunsTheSameImagesAndUnknownTagsNone() {
        assertThat(K3sReleases.systemImages("mirror.example.com/rancher/k3s:v1.34.1+k3s1"))
                .isEqualTo(K3sReleases.systemImages("rancher/k3s:v1.34.1-k3s1"));
        assertThat(K3sReleases.systemImages("rancher/k3s:v1.34.1-k3s1@sha256:0123"))
                .isEqualTo(K3sReleases.systemImages("rancher/k3s:v1.34.1-k3s1"));
        assertThat(K3sReleases.knownSystemImages("rancher/k3s:v1.99.0-k3s1")).isEmpty();
        assertThat(K3sReleases.systemImages("rancher/k3s@sha256:0123")).isEmpty();
    }
}
