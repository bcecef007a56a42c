package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.ExecVantage;
import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.support.Deadline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * Vault (or OpenBao) deployed in the cluster from the walkthrough's resources ({@link VaultManifests}), reached by
 * the test JVM through the {@code vault-nodeport} Service mapped on the k3s container.
 */
@API(status = INTERNAL, since = "0.1")
public final class InClusterVault {

    private static final Duration PROBE_EXEC_TIMEOUT = Duration.ofSeconds(20);

    private final K3sCluster cluster;
    private final String image;
    private final String devRootToken;
    private final String address;
    private final List<HasMetadata> created = new ArrayList<>();

    private InClusterVault(K3sCluster cluster, String image, String devRootToken) {
        this.cluster = cluster;
        this.image = image;
        this.devRootToken = devRootToken;
        this.address = "http://" + cluster.container().getHost() + ":"
                + cluster.container().getMappedPort(K3sContainerSpec.VAULT_NODE_PORT);
    }

    /** Create the Vault resources; {@link #awaitReady} waits for them. Partially created resources are deleted. */
    public static InClusterVault deploy(K3sCluster cluster, String image, VaultMode mode) {
        String devRootToken = null;
        if (mode == VaultMode.DEV) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            devRootToken = "dev-" + HexFormat.of().formatHex(random);
        }
        InClusterVault vault = new InClusterVault(cluster, image, devRootToken);
        try {
            for (HasMetadata resource : VaultManifests.vault(image, mode, devRootToken)) {
                try {
                    vault.created.add(cluster.kube().resource(resource).create());
                } catch (KubernetesClientException e) {
                    throw new VaultK8sTrustException("k3s refused " + resource.getKind() + " "
                            + resource.getMetadata().getName() + ": " + e.getMessage(), e);
                }
            }
        } catch (RuntimeException e) {
            try {
                vault.delete();
            } catch (RuntimeException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw e;
        }
        return vault;
    }

    /** Wait until the Vault pod is ready and Vault answers on the node port, within the deadline. */
    public void awaitReady(Deadline deadline) {
        try {
            cluster.kube().pods().inNamespace(VaultManifests.NAMESPACE).withName(VaultManifests.POD)
                    .waitUntilCondition(p -> p != null && Readiness.isPodReady(p),
                            Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientException e) {
            throw new VaultK8sTrustException("The Vault pod " + VaultManifests.NAMESPACE + "/" + VaultManifests.POD
                    + " (image " + image + ") did not become ready within the start-up budget of "
                    + deadline.budget().toSeconds() + " s. Raise it with startupTimeout or "
                    + "vaultk8s.startup.timeout if the node is just slow.\n"
                    + cluster.podDiagnostics(VaultManifests.NAMESPACE, VaultManifests.POD,
                            Set.of(VaultManifests.POD, "vault-data-vault-0", "vault"), "vault", devRootToken), e);
        }
        awaitHttp(deadline);
    }

    private void awaitHttp(Deadline deadline) {
        // The pod is ready; the node port may take a moment longer to be programmed.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create(address + "/v1/sys/health?uninitcode=200&sealedcode=200&standbyok=true");
        try {
            io.github.vaultk8strust.support.Readiness.await(deadline, "Vault at " + health, () -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3))
                        .build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? null : "HTTP " + r.statusCode();
            });
        } catch (io.github.vaultk8strust.support.Readiness.NotReady e) {
            throw new VaultK8sTrustException("The Vault pod is ready but " + health + " (NodePort "
                    + K3sContainerSpec.VAULT_NODE_PORT + " on the k3s container) does not answer: " + e.lastProblem()
                    + ".\nVault log:\n" + logTail(), e);
        }
    }

    /** Return the last lines of Vault's log, masked. */
    public String logTail() {
        return cluster.containerLog(VaultManifests.NAMESPACE, VaultManifests.POD, "vault", devRootToken);
    }

    /** Delete the resources created, and the claim the StatefulSet made. */
    public void delete() {
        for (int i = created.size() - 1; i >= 0; i--) {
            cluster.kube().resource(created.get(i)).withGracePeriod(0).delete();
        }
        created.clear();
        // The StatefulSet controller created the claim from its template; it carries the pod's labels.
        cluster.kube().persistentVolumeClaims().inNamespace(VaultManifests.NAMESPACE).withLabel("app", "vault")
                .delete();
    }

    /**
     * Return the vantage of the Vault pod: probes run in its container through the API server's exec, so that a
     * failed discovery fetch is explained from where Vault runs (cluster DNS, the kubernetes Service) instead of from
     * the test JVM, which can resolve neither.
     */
    public VaultVantage vantage() {
        return new ExecVantage("the Vault pod " + VaultManifests.NAMESPACE + "/" + VaultManifests.POD + " (image "
                + image + ", in the k3s cluster; probed through the API server's exec)",
                command -> PodExec.run(cluster.kube(), VaultManifests.NAMESPACE, VaultManifests.POD, "vault",
                        PROBE_EXEC_TIMEOUT, command));
    }

    /** Return the address the test JVM reaches Vault at. */
    public String address() {
        return address;
    }

    /** Return the image deployed (the name k3s knows it by). */
    public String image() {
        return image;
    }

    /** Return the dev-mode root token, if Vault runs in dev mode. */
    public Optional<String> devRootToken() {
        return Optional.ofNullable(devRootToken);
    }

    String devRootTokenOrNull() {
        return devRootToken;
    }
}
