package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.DockerClient;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apiguardian.api.API;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Get images into k3s without k3s pulling them: k3s's containerd does not see the host Docker's cache, so each
 * image is pulled once through the host Docker (Testcontainers' {@code ImageNameSubstitutor} and registry mirrors
 * apply), saved with {@code docker save} into a tarball cached by image id, and side-loaded into k3s.
 */
@API(status = INTERNAL, since = "0.1")
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

    /**
     * Return an image's entrypoint as the host Docker has it (after {@link #pull}); {@link
     * K3sContainerSpec#K3S_ENTRYPOINT} when the image declares none.
     */
    public static java.util.List<String> entrypoint(String resolvedImage) {
        String[] entrypoint = DockerClientFactory.instance().client().inspectImageCmd(resolvedImage).exec().getConfig()
                .getEntrypoint();
        return entrypoint == null || entrypoint.length == 0 ? K3sContainerSpec.K3S_ENTRYPOINT
                : java.util.List.of(entrypoint);
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

    /** Return the name the host Docker pulls for an image: after Testcontainers' image substitution (mirrors). */
    public static String resolvedName(String image) {
        return ImageNameSubstitutor.instance().apply(DockerImageName.parse(image)).asCanonicalNameString();
    }

    /**
     * Return the name an image must carry inside k3s: the name as configured, which is what k3s (system images,
     * e.g. its {@code --pause-image} default {@code rancher/mirrored-pause:3.6}) and the generated pods ask for,
     * whatever mirror it was pulled through. {@code docker save} cannot write a tag for an image pinned only by
     * digest and containerd does not keep the registry digest of an imported image, so {@code repo[:tag]@sha256:d}
     * gets the local tag {@code repo:pinned-<first 12 hex digits of d>}.
     */
    public static String sideLoadName(String image) {
        int at = image.indexOf('@');
        if (at < 0) {
            return image;
        }
        String repository = image.substring(0, at);
        String tag = K3sReleases.tagOf(image);
        if (tag != null) {
            repository = repository.substring(0, repository.lastIndexOf(':'));
        }
        String digest = image.substring(at + 1);
        String hex = digest.substring(digest.indexOf(':') + 1);
        return repository + ":pinned-" + hex.substring(0, Math.min(12, hex.length()));
    }

    /**
     * Pull an image (unless the host Docker has it), give it the name k3s asks for ({@link #sideLoadName}: a mirror's
     * name or a digest is re-tagged) and save it as a tarball k3s can import; the tarball is cached by name and
     * image id, so a second run with the same image costs nothing.
     *
     * @return the name k3s knows the image by, and its tarball
     */
    public K3sContainerSpec.SideLoad pullAndSave(String image) {
        String resolved = pull(image);
        DockerClient docker = DockerClientFactory.instance().client();
        String target = sideLoadName(image);
        String id = docker.inspectImageCmd(resolved).exec().getId();
        if (!DockerImageName.parse(target).asCanonicalNameString().equals(DockerImageName.parse(resolved)
                .asCanonicalNameString())) {
            DockerImageName t = DockerImageName.parse(target);
            Progress.say("tagging " + resolved + " as " + target + " (the name k3s asks for)");
            docker.tagImageCmd(id, t.getUnversionedPart(), t.getVersionPart()).withForce().exec();
        }
        String shortId = id.substring(id.indexOf(':') + 1, Math.min(id.length(), id.indexOf(':') + 1 + 16));
        String fileName = K3sContainerSpec.SideLoad.fileName(target);
        Path tarball = cacheDir.resolve(fileName.substring(0, fileName.length() - 4) + "-" + shortId + ".tar");
        if (!Files.isRegularFile(tarball)) {
            Progress.say("saving image " + target + " for k3s (once; cached in " + cacheDir + ")");
            save(docker, target, tarball);
            pruneSuperseded(tarball, SUPERSEDED_AFTER);
        }
        return K3sContainerSpec.SideLoad.of(target, tarball);
    }

    /** How long a superseded tarball is kept (another JVM may still be copying it into its node). */
    static final java.time.Duration SUPERSEDED_AFTER = java.time.Duration.ofMinutes(10);

    /**
     * Delete the tarballs of the same image name saved under another image id (the image was rebuilt or re-pulled),
     * once they are older than {@code grace}, so the cache holds one tarball per image name instead of one per
     * build. Best effort: a file that cannot be deleted stays.
     *
     * @return the tarballs deleted
     */
    static java.util.List<Path> pruneSuperseded(Path kept, java.time.Duration grace) {
        String name = kept.getFileName().toString();
        // <name>-<16 hex digits of the image id>.tar
        String prefix = name.substring(0, name.length() - ".tar".length() - 16);
        java.time.Instant cutoff = java.time.Instant.now().minus(grace);
        java.util.List<Path> deleted = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(kept.getParent())) {
            for (Path file : files.toList()) {
                String other = file.getFileName().toString();
                if (file.equals(kept) || !other.startsWith(prefix) || !other.endsWith(".tar")
                        || !other.substring(prefix.length(), other.length() - 4).matches("[0-9a-f]{16}")) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                        deleted.add(file);
                    }
                } catch (IOException ignored) {
                    // Best effort: it is retried the next time this image is saved.
                }
            }
        } catch (IOException ignored) {
            // Best effort, as above.
        }
        return deleted;
    }

    /** Save one image (by a name with a tag, never a digest) to a tarball, atomically. */
    static void save(DockerClient docker, String image, Path tarball) {
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
            throw new VaultK8sTrustException("Cannot save image " + image + " to " + tarball + " (docker save): "
                    + DockerProbe.daemonMessage(e) + ". Check free disk space in " + tarball.getParent() + " (set vaultk8s.cache.dir to move it).", e);
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
        return DockerProbe.daemonMessage(e);
    }
}
