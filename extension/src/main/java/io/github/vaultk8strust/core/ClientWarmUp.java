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
