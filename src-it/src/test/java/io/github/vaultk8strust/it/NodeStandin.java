package io.github.vaultk8strust.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import io.github.vaultk8strust.backend.k3s.DockerProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The node stand-in: a STAND-IN for a k3s node, NOT k3s, built by {@code .ci/build-node-standin} from upstream parts
 * (Debian's containerd, runc and CNI plugins; kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and
 * kube-proxy v1.34 and etcd from Go modules; CoreDNS and the local-path provisioner). The k3s backend starts it through
 * its normal code path (Testcontainers' K3sContainer, the k3s command line, side-loaded images, the kubeconfig), so
 * that everything but the k3s binary itself runs for real on a machine without a registry. docs/k3s.md lists how it
 * differs from k3s.
 */
final class NodeStandin {

    /** The node image (.ci/build-node-standin). */
    static final String NODE_IMAGE = "vault-k8s-trust/k8s-node-standin:v1.34.10";
    /**
     * Its system images, side-loaded by the backend as k3s's would be ({@code vaultk8s.k3s.system-images}): the pod
     * sandbox, CoreDNS, the local-path provisioner and its helper.
     */
    static final List<String> SYSTEM_IMAGES = List.of("vault-k8s-trust/pause-standin:3.10.1",
            "vault-k8s-trust/coredns-standin:1.12.3", "vault-k8s-trust/local-path-provisioner-standin:v0.0.30",
            "vault-k8s-trust/busybox-standin:1");
    /** Why a stand-in test is skipped: said by every class that runs on the stand-in. */
    static final String NOT_BUILT = "needs a Docker engine with the node stand-in images: run .ci/build-node-standin "
            + "(.ci/run does, and fails if these tests are skipped)";

    private NodeStandin() {
    }

    /** Return whether a Docker engine answers and has the node stand-in and its system images. */
    static boolean built() {
        if (!DockerProbe.dockerAvailable()) {
            return false;
        }
        try (DockerClient docker = DockerProbe.rawClient()) {
            List<String> images = new ArrayList<>(SYSTEM_IMAGES);
            images.add(NODE_IMAGE);
            for (String image : images) {
                docker.inspectImageCmd(image).exec();
            }
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Return a builder for the k3s backend on the stand-in: its node image and system images, Vault from the stand-in
     * image holding the real Vault binary ({@link VaultStandinImage}), which workload pods use too, and the
     * non-privileged node (this project's machines cannot run privileged containers).
     */
    static TrustEnvironmentBuilder builder() {
        VaultStandinImage.ensure();
        return TrustEnvironment.builder().backend(Backend.K3S)
                .setting(ConfigKeys.K3S_IMAGE_KEY, NODE_IMAGE)
                .setting(ConfigKeys.K3S_SYSTEM_IMAGES_KEY, String.join(",", SYSTEM_IMAGES))
                .setting(ConfigKeys.K3S_VAULT_IMAGE_KEY, VaultStandinImage.IMAGE)
                .setting(ConfigKeys.VAULT_CONTAINER_IMAGE_KEY, VaultStandinImage.IMAGE)
                .setting(ConfigKeys.K3S_PRIVILEGED_KEY, "false");
    }
}
