package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * Before anything is pulled: list every image a k3s run needs, see which the host Docker already has, and pull the
 * others with a short probe per registry, so that a machine without registry access fails within seconds with one
 * message that lists every missing image and the {@code docker pull} / {@code docker load} commands that fix it,
 * instead of Testcontainers retrying each pull for minutes.
 */
@API(status = INTERNAL, since = "0.1")
public final class ImagePreflight {

    /** Testcontainers 2.0.5's resource reaper ({@code RyukContainer}); not needed with TESTCONTAINERS_RYUK_DISABLED=true. */
    public static final String RYUK_IMAGE = "testcontainers/ryuk:0.14.0";
    /**
     * Testcontainers 2.0.5's "file should be mountable" start-up check ({@code DockerClientFactory.TINY_IMAGE}),
     * triggered by K3sContainer's {@code /sys/fs/cgroup} bind; not needed with {@code checks.disable=true} in
     * {@code ~/.testcontainers.properties} or {@code TESTCONTAINERS_CHECKS_DISABLE=true}.
     */
    public static final String FILE_CHECK_IMAGE = "alpine:3.17";
    /** How long the whole pre-flight may wait for registries that do not answer before it gives up. */
    public static final Duration PROBE_BUDGET = Duration.ofSeconds(25);

    private ImagePreflight() {
    }

    /** One image a run needs, and what for. */
    public record Needed(String image, String purpose) {
    }

    /** One needed image as the host Docker sees it: the name pulled (after substitution) and whether it is there. */
    public record Status(Needed needed, String resolved, boolean local) {
    }

    /**
     * Return every image a k3s run needs, in the order they are used. Pure: the Testcontainers switches are
     * parameters.
     */
    public static List<Needed> neededImages(String k3sImage, String vaultImage, List<String> systemImages,
                                            boolean ryukDisabled, boolean checksDisabled) {
        List<Needed> needed = new ArrayList<>();
        if (!ryukDisabled) {
            needed.add(new Needed(RYUK_IMAGE, "Testcontainers' resource reaper (TESTCONTAINERS_RYUK_DISABLED=true: not needed)"));
        }
        if (!checksDisabled) {
            needed.add(new Needed(FILE_CHECK_IMAGE, "Testcontainers' file-mount start-up check (checks.disable=true: not needed)"));
        }
        needed.add(new Needed(k3sImage, "the k3s node"));
        needed.add(new Needed(vaultImage, "Vault in the cluster (side-loaded)"));
        for (String system : systemImages) {
            needed.add(new Needed(system, "k3s system image (side-loaded)"));
        }
        return List.copyOf(needed);
    }

    /** Return every image a run with these options needs, reading Testcontainers' switches from this machine. */
    public static List<Needed> neededImages(String k3sImage, String vaultImage, List<String> systemImages) {
        return neededImages(k3sImage, vaultImage, systemImages, ryukDisabled(), checksDisabled());
    }

    /** Return whether Testcontainers runs without Ryuk (only the environment variable counts, as in 2.0.5). */
    public static boolean ryukDisabled() {
        return Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"));
    }

    /** Return whether Testcontainers' start-up checks are off. */
    public static boolean checksDisabled() {
        try {
            return TestcontainersConfiguration.getInstance().isDisableChecks();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * See which images the host Docker has, pull the missing ones (a registry that does not answer within
     * {@link #PROBE_BUDGET}, or refuses, is not asked again), and fail with {@link #missingMessage} when any is
     * still missing.
     *
     * @return the statuses, all local
     */
    public static List<Status> ensureLocal(DockerClient docker, List<Needed> needed) {
        List<Status> statuses = inspect(docker, needed);
        long missing = statuses.stream().filter(s -> !s.local()).count();
        Progress.say("k3s backend pre-flight: " + (statuses.size() - missing) + " of " + statuses.size()
                + " images already in the local Docker engine" + (missing == 0 ? "" : "; pulling " + missing));
        long probeEnds = System.nanoTime() + PROBE_BUDGET.toNanos();
        Map<String, String> unreachable = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        List<Status> result = new ArrayList<>();
        for (Status status : statuses) {
            if (status.local()) {
                result.add(status);
                continue;
            }
            String registry = registryOf(status.resolved());
            if (unreachable.containsKey(registry)) {
                result.add(status);
                continue;
            }
            String failure = pull(docker, status.resolved(), probeEnds);
            if (failure == null) {
                result.add(new Status(status.needed(), status.resolved(), true));
            } else {
                failures.put(status.resolved(), failure);
                if (!failure.contains("not found") && !failure.contains("manifest unknown")
                        && !failure.contains("denied")) {
                    unreachable.put(registry, failure);
                }
                result.add(status);
            }
        }
        if (result.stream().anyMatch(s -> !s.local())) {
            throw new VaultK8sTrustException(missingMessage(result, failures));
        }
        return result;
    }

    /** Return which needed images the host Docker has, by the name it would pull. */
    public static List<Status> inspect(DockerClient docker, List<Needed> needed) {
        List<Status> statuses = new ArrayList<>();
        for (Needed n : needed) {
            String resolved = K3sImages.resolvedName(n.image());
            statuses.add(new Status(n, resolved, present(docker, resolved)));
        }
        return statuses;
    }

    private static boolean present(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Pull one image; return null when it arrived, else the daemon's reason. Gives up when the registry sent no
     * progress at all by {@code probeEndsNanos}; once layers arrive it waits for the pull to finish.
     */
    private static String pull(DockerClient docker, String image, long probeEndsNanos) {
        DockerImageName name = DockerImageName.parse(image);
        AtomicInteger progress = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(PullResponseItem item) {
                if (item.getErrorDetail() != null) {
                    error.compareAndSet(null, new IllegalStateException(item.getErrorDetail().getMessage()));
                } else {
                    progress.incrementAndGet();
                }
            }

            @Override
            public void onError(Throwable throwable) {
                error.compareAndSet(null, throwable);
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        };
        Progress.say("pulling " + image);
        // Closing the callback when the probe ends stops a pull that never answers.
        try (var pull = docker.pullImageCmd(name.getUnversionedPart()).withTag(name.getVersionPart())
                .exec(callback)) {
            while (!done.await(200, TimeUnit.MILLISECONDS)) {
                if (progress.get() == 0 && System.nanoTime() > probeEndsNanos && pull != null) {
                    return "no answer from " + registryOf(image) + " within " + PROBE_BUDGET.toSeconds() + " s";
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (java.io.IOException | RuntimeException e) {
            error.compareAndSet(null, e);
        }
        if (error.get() != null) {
            return DockerProbe.daemonMessage(error.get());
        }
        return present(docker, image) ? null : "the daemon reported success, but the image is not there";
    }

    /** Return the registry host of an image name ({@code docker.io} when it names none). */
    static String registryOf(String image) {
        String registry = DockerImageName.parse(image).getRegistry();
        return registry == null || registry.isEmpty() ? "docker.io" : registry;
    }

    /** Describe missing images: each with its status, the daemon's reasons, and the commands that fix it. Pure. */
    static String missingMessage(List<Status> statuses, Map<String, String> failures) {
        List<Status> missing = statuses.stream().filter(s -> !s.local()).toList();
        StringBuilder text = new StringBuilder("k3s backend: ").append(missing.size()).append(" of ")
                .append(statuses.size()).append(" images this run needs are not in the local Docker engine and "
                        + "could not be pulled. Nothing was started.\n");
        Set<String> reasons = new LinkedHashSet<>();
        failures.forEach((image, reason) -> reasons.add(registryOf(image) + ": " + reason));
        if (!reasons.isEmpty()) {
            text.append("The Docker daemon said:\n");
            reasons.forEach(r -> text.append("  ").append(r).append('\n'));
        }
        text.append("Images (+ in the local engine, - missing):\n");
        for (Status s : statuses) {
            text.append("  ").append(s.local() ? "+ " : "- ").append(s.resolved());
            if (!s.resolved().equals(s.needed().image())) {
                text.append(" (for ").append(s.needed().image()).append(')');
            }
            text.append("  -- ").append(s.needed().purpose()).append('\n');
        }
        text.append("Fix it with one of:\n  1. where the registry is reachable from this Docker engine:\n");
        for (Status s : missing) {
            text.append("       docker pull ").append(s.resolved()).append('\n');
        }
        text.append("  2. on a machine that can pull, save them, copy the files here and load them:\n");
        for (Status s : missing) {
            String file = K3sContainerSpec.SideLoad.fileName(s.resolved());
            text.append("       docker pull ").append(s.resolved()).append(" && docker save -o ").append(file)
                    .append(' ').append(s.resolved()).append("   # then here: docker load -i ").append(file)
                    .append('\n');
        }
        text.append("     or the whole bundle (images and local-backend binaries): java -cp <vault-k8s-trust and "
                + "its dependencies> ").append("io.github.vaultk8strust.tools.OfflineBundle").append(" save <dir>, then here `... ")
                .append("OfflineBundle").append(" load <dir>` (README, \"Offline machines\").\n");
        text.append("  3. need fewer images: TESTCONTAINERS_RYUK_DISABLED=true (no Ryuk), checks.disable=true in "
                + "~/.testcontainers.properties (no alpine check), ").append(ConfigKeys.K3S_SYSTEM_IMAGES_KEY)
                .append("=none (k3s pulls its own, which needs a registry too), or the local backend (")
                .append(ConfigKeys.BACKEND_KEY).append("=local: no Docker at all).");
        return text.toString();
    }
}
