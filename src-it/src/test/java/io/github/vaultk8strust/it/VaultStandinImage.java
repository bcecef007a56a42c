package io.github.vaultk8strust.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.backend.k3s.DockerProbe;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.ServerBinaries;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.support.CacheDir;
import io.github.vaultk8strust.support.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The Vault image of this build's container-placement tests: {@value #IMAGE}, a stand-in for {@code hashicorp/vault}
 * holding the REAL Vault binary the local backend builds (or finds) and an entrypoint that behaves like the official
 * image's ({@code .ci/vault-standin-entrypoint.sh}). No registry is needed: on a clean machine the binary is built by
 * the test run itself, so the image is built here, lazily, on {@code vault-k8s-trust/busybox-standin:1} (from
 * {@code .ci/build-standin-images}, which {@code .ci/run} runs first), unless {@code .ci/build-standin-images <vault>}
 * already built it. Register it before {@code @VaultK8sTrust} ({@code @ExtendWith} on the class or a superclass).
 */
public final class VaultStandinImage implements BeforeAllCallback {

    /** The image, as set for {@code vaultk8s.vault.container-image} in src-it's junit-platform.properties. */
    public static final String IMAGE = "vault-k8s-trust/vault-standin:" + ServerBinary.VAULT.version().replaceFirst("^v", "");
    static final String BASE = "vault-k8s-trust/busybox-standin:1";
    /** The label every Vault container of the container placement carries. */
    static final String LABEL = "io.github.vaultk8strust";

    private static volatile boolean ready;

    /** Return whether a Docker engine answers (the gate of every container-placement test). */
    public static boolean dockerAnswers() {
        return DockerProbe.dockerAvailable();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ensure();
    }

    /** Build the image unless the engine has it. */
    static synchronized void ensure() {
        if (ready) {
            return;
        }
        try (DockerClient docker = DockerProbe.rawClient()) {
            if (has(docker, IMAGE)) {
                ready = true;
                return;
            }
            if (!has(docker, BASE)) {
                throw new IllegalStateException("A Docker engine answers but has neither " + IMAGE + " nor its base "
                        + BASE + ": run .ci/build-standin-images (no registry needed). Not skipped: these tests must "
                        + "run wherever Docker does.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path vault = ServerBinaries.resolve(ServerBinary.VAULT, BinarySources.fromEnvironment(Map.of(),
                CacheDir.resolve(Optional.ofNullable(System.getProperty(ConfigKeys.CACHE_DIR_KEY))), true, true),
                Progress::say);
        Path entrypoint = Path.of("..", ".ci", "vault-standin-entrypoint.sh").toAbsolutePath().normalize();
        if (!Files.isRegularFile(entrypoint)) {
            throw new IllegalStateException("No " + entrypoint + ": run the tests from the src-it module of a checkout");
        }
        Progress.say("building " + IMAGE + " from " + vault + " (once per Docker engine)");
        new ImageFromDockerfile(IMAGE, false)
                .withFileFromPath("vault", vault)
                .withFileFromPath("docker-entrypoint.sh", entrypoint)
                // Written out: DockerfileBuilder would give a one-word ENTRYPOINT the shell form, dropping the CMD.
                // WORKDIR creates the directories the official image has, without RUN.
                .withFileFromString("Dockerfile", """
                        FROM %s
                        COPY vault /bin/vault
                        COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
                        WORKDIR /vault/logs
                        WORKDIR /vault/file
                        WORKDIR /vault/config
                        WORKDIR /
                        ENV HOME=/root
                        EXPOSE 8200
                        ENTRYPOINT ["docker-entrypoint.sh"]
                        CMD ["server", "-dev"]
                        """.formatted(BASE))
                .get();
        ready = true;
    }

    private static boolean has(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Return the Vault containers of the container placement that exist now, running or not. */
    static List<Container> vaultContainers() {
        try (DockerClient docker = DockerProbe.rawClient()) {
            return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "vault")).exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
