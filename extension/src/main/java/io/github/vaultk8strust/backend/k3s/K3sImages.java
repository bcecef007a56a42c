package io.github.vaultk8strust.backend.k3s;

import com.github.dockerjava.api.DockerClient;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.utility.DockerImageName;

/**
 * Get images into k3s without k3s pulling them: k3s's containerd does not see the host Docker's cache, so each
 * image is pulled once through the host Docker (Testcontainers' {@code ImageNameSubstitutor} and registry mirrors
 * apply), saved with {@code docker save} into a tarball cached by image id, and side-loaded into k3s.
 */
public final class K3sImages {

    private final Path cacheDir;

    /** Keep tarballs under {@code <cacheDir>/k3s-images}. */
    public K3sImages(Path cacheDir) {
        this.cacheDir = cacheDir.resolve("k3s-images");
    }

    /**
     * Pull an image through the host Docker unless it is there, and return the name it was resolved to (after
     * image substitution); this is the name k3s must use.
     *
     * @throws VaultK8sTrustException naming the image and registry when the pull fails
     */
    public String pull(String image) {
        DockerImageName name = DockerImageName.parse(image);
        try {
            return new RemoteDockerImage(name).get();
        } catch (RuntimeException e) {
            throw new VaultK8sTrustException(pullFailure(image, e), e);
        }
    }

    /** Describe a failed pull: the image, the registry it comes from, and what to try. */
    static String pullFailure(String image, Throwable cause) {
        return "Cannot pull image " + image + " from " + registry(image) + " through the host Docker engine: "
                + rootMessage(cause) + ". Check the name and tag, that this host reaches the registry (or that the image "
                + "is already in the local Docker cache: `docker pull " + image + "`), and registry credentials. "
                + "Behind a mirror, configure Testcontainers' image substitution (hub.image.name.prefix in "
                + "~/.testcontainers.properties or TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX).";
    }

    /** Return the registry an image name points at; Docker Hub when it names none. */
    static String registry(String image) {
        String registry = DockerImageName.parse(image).getRegistry();
        return registry == null || registry.isEmpty() ? "registry docker.io (Docker Hub)" : "registry " + registry;
    }

    /**
     * Pull an image and save it as a tarball k3s can import; the tarball is cached by image id, so a second run
     * with the same image costs nothing.
     *
     * @return the resolved image name and its tarball
     */
    public K3sContainerSpec.SideLoad pullAndSave(String image) {
        String resolved = pull(image);
        DockerClient docker = DockerClientFactory.instance().client();
        String id = docker.inspectImageCmd(resolved).exec().getId();
        String shortId = id.substring(id.indexOf(':') + 1, Math.min(id.length(), id.indexOf(':') + 1 + 16));
        String fileName = K3sContainerSpec.SideLoad.fileName(resolved);
        Path tarball = cacheDir.resolve(fileName.substring(0, fileName.length() - 4) + "-" + shortId + ".tar");
        if (!Files.isRegularFile(tarball)) {
            Progress.say("saving image " + resolved + " for k3s (once; cached in " + cacheDir + ")");
            save(docker, resolved, tarball);
        }
        return K3sContainerSpec.SideLoad.of(resolved, tarball);
    }

    private static void save(DockerClient docker, String image, Path tarball) {
        DockerImageName name = DockerImageName.parse(image);
        Path partial = null;
        try {
            Files.createDirectories(tarball.getParent());
            partial = Files.createTempFile(tarball.getParent(), ".saving-", ".tar");
            try (InputStream in = docker.saveImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart()).exec()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            throw new VaultK8sTrustException("Cannot save image " + image + " to " + tarball + " (docker save): " + e
                    + ". Check free disk space in " + tarball.getParent() + " (set vaultk8s.cache.dir to move it).", e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // Best effort: a leftover partial file is never used (it is not named like a tarball).
                }
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (cause: " + t + ")";
    }
}
