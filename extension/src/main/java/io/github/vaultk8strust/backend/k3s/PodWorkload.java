package io.github.vaultk8strust.backend.k3s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running workload pod: commands go through the API server's exec subresource, as {@code kubectl exec} does. */
final class PodWorkload implements Workload {

    private static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofMinutes(2);

    private final KubernetesClient kube;
    private final WorkloadSpec spec;
    private final String podName;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    PodWorkload(KubernetesClient kube, WorkloadSpec spec, String podName, Runnable onClose) {
        this.kube = kube;
        this.spec = spec;
        this.podName = podName;
        this.onClose = onClose;
    }

    @Override
    public String podName() {
        return podName;
    }

    @Override
    public String namespace() {
        return spec.namespace();
    }

    @Override
    public WorkloadSpec spec() {
        return spec;
    }

    @Override
    public ExecResult exec(String... command) {
        return exec(DEFAULT_EXEC_TIMEOUT, command);
    }

    @Override
    public ExecResult exec(Duration timeout, String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command, e.g. exec(\"vault\", \"status\")");
        }
        if (closed.get()) {
            throw new IllegalStateException("Workload " + podName + " is closed (its pod was deleted)");
        }
        return PodExec.run(kube, spec.namespace(), podName, spec.name(), timeout, List.of(command));
    }

    @Override
    public ServiceAccountJwt projectedToken() {
        ExecResult cat = exec("cat", spec.tokenFile());
        if (!cat.succeeded()) {
            throw new VaultK8sTrustException("Cannot read the projected token " + spec.tokenFile() + " in pod "
                    + podName + ": " + cat);
        }
        return ServiceAccountJwt.parse(cat.stdout());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                kube.pods().inNamespace(spec.namespace()).withName(podName).withGracePeriod(0).delete();
            } finally {
                onClose.run();
            }
        }
    }

    @Override
    public String toString() {
        return "Workload[" + spec.namespace() + "/" + podName + " as " + spec.serviceAccount() + "]";
    }
}
