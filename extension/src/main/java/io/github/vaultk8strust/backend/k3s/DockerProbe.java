package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;

/**
 * Ask whether a Docker engine answers, without letting Testcontainers start anything: Testcontainers'
 * {@code DockerClientFactory.client()} also starts Ryuk (pulling {@code testcontainers/ryuk} if missing) and runs
 * its start-up checks, and only an {@link IllegalStateException} from it means "no Docker"; anything else is a
 * real failure of an engine that answers, and its message is kept.
 */
@API(status = INTERNAL, since = "0.1")
public final class DockerProbe {

    private DockerProbe() {
    }

    /** The answer: an engine answers, or it does not and why. */
    public record Answer(boolean available, String reason) {
    }

    /**
     * Return whether a Docker engine answers, by finding Testcontainers' client strategy (environment,
     * {@code DOCKER_HOST}, {@code ~/.testcontainers.properties}, the default socket) and pinging it. Starts no
     * container and pulls nothing (Ryuk is not started).
     */
    public static Answer probe() {
        return classify(() -> {
            try (DockerClient client = rawClient()) {
                client.pingCmd().exec();
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
    }

    /** Return whether a Docker engine answers (see {@link #probe()}). */
    public static boolean dockerAvailable() {
        return probe().available();
    }

    /** Classify what a probe threw: only an {@link IllegalStateException} (no client strategy) means "no Docker". */
    static Answer classify(Supplier<?> attempt) {
        try {
            attempt.get();
            return new Answer(true, "a Docker engine answers");
        } catch (IllegalStateException e) {
            return new Answer(false, "no Docker engine answers (Testcontainers: " + daemonMessage(e) + ")");
        } catch (RuntimeException | LinkageError e) {
            return new Answer(false, "the Docker engine does not answer a ping: " + daemonMessage(e));
        }
    }

    /**
     * Return a Docker client for the engine Testcontainers would use, without Testcontainers' Ryuk and start-up
     * checks. Close it after use.
     *
     * @throws IllegalStateException when no Docker engine is found (Testcontainers' own exception)
     */
    public static DockerClient rawClient() {
        return DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
    }

    /**
     * Return Testcontainers' full client (which starts Ryuk and runs the start-up checks), turning a failure into a
     * message that keeps the real cause: "no Docker" only for an {@link IllegalStateException}; a Ryuk that cannot
     * start (its image missing offline, or a host refusing its privileged container) says so.
     */
    public static DockerClient testcontainersClient() {
        try {
            return DockerClientFactory.instance().client();
        } catch (IllegalStateException e) {
            throw new VaultK8sTrustException(noDockerMessage() + " (Testcontainers: " + daemonMessage(e) + ")", e);
        } catch (RuntimeException e) {
            throw new VaultK8sTrustException(clientFailureMessage(e), e);
        }
    }

    /** Describe a failure of Testcontainers' client set-up on an engine that answers. */
    static String clientFailureMessage(Throwable e) {
        String message = daemonMessage(e);
        StringBuilder text = new StringBuilder("A Docker engine answers, but Testcontainers could not set it up: ")
                .append(message).append('.');
        if (message.toLowerCase(java.util.Locale.ROOT).contains("ryuk") || ryukInStack(e)) {
            text.append(" Testcontainers' resource reaper (Ryuk, image ").append(ImagePreflight.RYUK_IMAGE)
                    .append(") did not start. Offline, `docker load` it from a bundle (see the README, \"Offline\"),")
                    .append(" or run without it: TESTCONTAINERS_RYUK_DISABLED=true (then a JVM killed hard leaves")
                    .append(" its containers behind). If the host refuses privileged containers, also set")
                    .append(" ryuk.container.privileged=false in ~/.testcontainers.properties.");
        }
        return text.toString();
    }

    private static boolean ryukInStack(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().contains("Ryuk") || frame.getClassName().contains("ResourceReaper")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Return the message for "k3s requested, no Docker": what happened and the three ways to switch. Said once. */
    public static String noDockerMessage() {
        return "The k3s backend needs a Docker engine, and Testcontainers found none: start Docker, or point "
                + "DOCKER_HOST or ~/.testcontainers.properties at one. To run on the local backend instead (real etcd, "
                + "kube-apiserver and Vault processes, no pods), use @VaultK8sTrust(backend = Backend.LOCAL), -D"
                + ConfigKeys.BACKEND_KEY + "=local (or in junit-platform.properties), or "
                + ConfigKeys.environmentVariable(ConfigKeys.BACKEND_KEY) + "=local.";
    }

    /**
     * Return the daemon's (or Testcontainers') own words for a failure: every distinct message in the cause chain,
     * outermost first; a docker-java error's HTTP body is the daemon's message.
     */
    public static String daemonMessage(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 6; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                m = t.getClass().getSimpleName();
            } else if (t instanceof DockerException d) {
                m = m.strip() + " (HTTP " + d.getHttpStatus() + ")";
            }
            String stripped = m.strip();
            if (parts.stream().noneMatch(p -> p.contains(stripped))) {
                parts.add(stripped);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join("; caused by: ", parts);
    }
}
