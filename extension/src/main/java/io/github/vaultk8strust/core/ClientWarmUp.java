package io.github.vaultk8strust.core;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load and initialise the client classes the trust setup needs (fabric8's client and model, Jackson, nimbus-jose-jwt)
 * on a background thread while the servers boot, once per JVM. In a fresh test JVM that class loading otherwise
 * runs after the servers are up, in the critical path; here it overlaps with waiting for kube-apiserver. Nothing is
 * contacted, and a failure only means the work happens later, as before.
 */
final class ClientWarmUp {

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private ClientWarmUp() {
    }

    static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(ClientWarmUp::run, "vault-k8s-trust-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /**
     * Warm {@code kube} up against the cluster while its API server boots: on a thread of its own, wait until the API
     * server answers {@code GET /version}, then make the same call through {@code kube}, so that its connection, TLS
     * session and request path are ready when the trust setup's cluster steps begin. Only a head start: every failure
     * is ignored. Return what stops the warm-up and waits until its thread has ended.
     */
    static Runnable cluster(KubernetesClient kube, io.github.vaultk8strust.spi.Cluster cluster,
                            io.github.vaultk8strust.support.Deadline deadline) {
        AtomicBoolean stop = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            try {
                io.github.vaultk8strust.support.BlockingHttp http = io.github.vaultk8strust.support.BlockingHttp.tls(
                        io.github.vaultk8strust.support.Tls.trusting(cluster.caPem()), java.time.Duration.ofSeconds(1));
                java.net.URI version = java.net.URI.create(cluster.apiServerUrl() + "/version");
                while (!stop.get() && !deadline.expired()) {
                    try {
                        if (http.send("GET", version, Map.of(), null, java.time.Duration.ofSeconds(1)).status() == 200) {
                            kube.getKubernetesVersion();
                            return;
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        // Not listening yet.
                    }
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | LinkageError e) {
                // Only a head start.
            }
        }, "vault-k8s-trust-warm-up-cluster");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            stop.set(true);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void run() {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withAutoConfigure(false).build())
                .build()) {
            Serialization.asJson(new TokenRequestBuilder().withNewSpec().withAudiences("warm-up").endSpec().build());
            client.getConfiguration();
            VaultApi.JSON.writeValueAsString(Map.of("warm", "up"));
            com.nimbusds.jwt.JWTParser.class.getName();
            new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("warm-up").build().toString();
        } catch (Exception | LinkageError e) {
            // Only a head start: whatever failed here is loaded when first used, as without the warm-up.
        }
    }
}
