package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.DockerClient;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.testcontainers.utility.DockerImageName;

/**
 * The images half of an offline bundle ({@link io.github.vaultk8strust.tools.OfflineBundle}): every image a k3s run
 * needs, saved under the name k3s and Testcontainers ask for, and loaded back on the offline machine.
 */
@API(status = INTERNAL, since = "0.1")
public final class ImageBundle {

    private ImageBundle() {
    }

    /** Save every image a run with these images needs into {@code DIR/images}, pulling what is missing. */
    public static List<Path> save(Path dir, String k3sImage, String vaultImage, List<String> systemImages) {
        List<String> system = systemImages == null ? K3sReleases.systemImages(k3sImage) : systemImages;
        return saveImages(dir, ImagePreflight.neededImages(k3sImage, vaultImage, system, false, false));
    }

    /** Pull what is missing (failing fast offline), re-tag to the requested names, and save one tarball each. */
    static List<Path> saveImages(Path dir, List<ImagePreflight.Needed> needed) {
        List<Path> written = new ArrayList<>();
        try (DockerClient docker = DockerProbe.rawClient()) {
            List<ImagePreflight.Status> statuses = ImagePreflight.ensureLocal(docker, needed);
            Path images = Files.createDirectories(dir.resolve("images"));
            for (ImagePreflight.Status s : statuses) {
                String target = K3sImages.sideLoadName(s.needed().image());
                DockerImageName t = DockerImageName.parse(target);
                if (!target.equals(s.resolved())) {
                    String id = docker.inspectImageCmd(s.resolved()).exec().getId();
                    docker.tagImageCmd(id, t.getUnversionedPart(), t.getVersionPart()).withForce().exec();
                }
                Path tarball = images.resolve(K3sContainerSpec.SideLoad.fileName(target));
                Progress.say("saving " + target + " to " + tarball);
                K3sImages.save(docker, target, tarball);
                written.add(tarball);
            }
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot write the bundle in " + dir + ": " + e, e);
        }
        return written;
    }

    /** {@code docker load} every tarball under {@code DIR/images}. */
    /** Load {@code DIR/images} into the host Docker ({@code docker load}). */
    public static void loadImages(Path dir) {
        Path images = dir.resolve("images");
        if (!Files.isDirectory(images)) {
            throw new VaultK8sTrustException(images + " does not exist: is " + dir + " a bundle written by "
                    + "OfflineBundle save?");
        }
        try (DockerClient docker = DockerProbe.rawClient(); Stream<Path> files = Files.list(images)) {
            for (Path tarball : files.filter(p -> p.toString().endsWith(".tar")).sorted().toList()) {
                Progress.say("docker load " + tarball);
                try (InputStream in = Files.newInputStream(tarball)) {
                    docker.loadImageCmd(in).exec();
                } catch (RuntimeException e) {
                    throw new VaultK8sTrustException("docker load of " + tarball + " failed: "
                            + DockerProbe.daemonMessage(e), e);
                }
            }
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot read the bundle in " + dir + ": " + e, e);
        }
    }
}
