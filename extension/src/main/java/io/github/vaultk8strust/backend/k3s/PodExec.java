package io.github.vaultk8strust.backend.k3s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A command in a pod's container through the API server's exec subresource, as {@code kubectl exec} runs it. */
final class PodExec {

    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    private PodExec() {
    }

    /**
     * Run the command and wait for it, within {@code timeout}.
     *
     * @throws VaultK8sTrustException when it cannot run or does not end in time, naming the pod and the command
     */
    static ExecResult run(KubernetesClient kube, String namespace, String pod, String container, Duration timeout,
                          List<String> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String shown = String.join(" ", command);
        // fabric8 writes the output streams on its own executor but completes exitCode() as soon as the status
        // arrives: the last output may still be queued then. onClose runs on that same executor after every write.
        CompletableFuture<Void> drained = new CompletableFuture<>();
        ExecListener listener = new ExecListener() {
            @Override
            public void onClose(int code, String reason) {
                drained.complete(null);
            }

            @Override
            public void onFailure(Throwable t, Response failureResponse) {
                drained.complete(null);
            }
        };
        try (ExecWatch watch = kube.pods().inNamespace(namespace).withName(pod).inContainer(container)
                .writingOutput(out).writingError(err).usingListener(listener).exec(command.toArray(String[]::new))) {
            Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                drained.get(OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillOpen) {
                // The status came but the socket did not close: what arrived is all there is.
            }
            return new ExecResult(command, code == null ? -1 : code, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            throw new VaultK8sTrustException("`" + shown + "` in pod " + namespace + "/" + pod + " did not end within "
                    + timeout.toSeconds() + " s; pass a longer timeout to exec(timeout, ...) or check that the command "
                    + "does not wait for input.", e);
        } catch (ExecutionException | KubernetesClientException e) {
            throw new VaultK8sTrustException("Cannot run `" + shown + "` in pod " + namespace + "/" + pod + ": "
                    + (e.getCause() != null ? e.getCause() : e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while running `" + shown + "` in pod " + pod, e);
        }
    }
}
