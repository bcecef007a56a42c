package io.github.vaultk8strust.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.vaultk8strust.ProjectedTokenFile;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TokenFileSpec;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The environment's token files ({@link io.github.vaultk8strust.TrustEnvironment#projectToken}): one daemon thread
 * refreshes them all; closing this closes every file still open and stops the thread.
 */
final class TokenFiles implements AutoCloseable {

    /** Mints a plain (not pod-bound) token. */
    @FunctionalInterface
    interface Minter {
        ServiceAccountJwt mint(String namespace, String serviceAccount, String audience, long expirationSeconds);
    }

    /** Pods made only to own pod-bound tokens are pinned to this node, which never exists: nothing ever runs them. */
    static final String NOWHERE_NODE = "vault-k8s-trust-nowhere";

    private final KubernetesClient kube;
    private final Minter minter;
    private final Set<ProjectedTokenFile> open = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    TokenFiles(KubernetesClient kube, Minter minter) {
        this.kube = kube;
        this.minter = minter;
    }

    synchronized ProjectedTokenFile project(TokenFileSpec spec) {
        if (closed) {
            throw new IllegalStateException("The environment is closed");
        }
        Path path;
        boolean temporary;
        if (spec.path().isPresent()) {
            path = spec.path().get().toAbsolutePath();
            temporary = false;
            if (Files.isDirectory(path)) {
                throw new VaultK8sTrustException("Cannot write the service-account token file " + path + ": it is a "
                        + "directory; name a file, e.g. " + path.resolve("token"));
            }
        } else {
            try {
                path = Files.createTempDirectory("vault-k8s-trust-token-").resolve("token");
                temporary = true;
            } catch (IOException e) {
                throw new VaultK8sTrustException("Cannot create a temporary directory for a token file: " + e, e);
            }
        }
        Pod createdPod = spec.boundPod().map(name -> ensurePod(spec.namespace(), name, spec.serviceAccount()))
                .orElse(null);
        Supplier<ServiceAccountJwt> mint = spec.boundPod().isPresent()
                ? () -> mintPodBound(spec, pod(spec.namespace(), spec.boundPod().get()))
                : () -> minter.mint(spec.namespace(), spec.serviceAccount(), spec.audience(), spec.expirationSeconds());
        ProjectedTokenFile[] self = new ProjectedTokenFile[1];
        Runnable onClose = () -> {
            if (self[0] != null) {
                open.remove(self[0]);
            }
            if (createdPod != null) {
                try {
                    kube.pods().inNamespace(spec.namespace()).withName(createdPod.getMetadata().getName())
                            .withGracePeriod(0).delete();
                } catch (KubernetesClientException e) {
                    // The cluster may already be gone.
                }
            }
        };
        try {
            self[0] = new KubeletTokenFile(path, temporary, mint, scheduler(), Clock.systemUTC(), onClose);
        } catch (RuntimeException e) {
            onClose.run();
            if (temporary) {
                try {
                    Files.deleteIfExists(path.getParent());
                } catch (IOException ignored) {
                    // Best effort.
                }
            }
            throw e;
        }
        open.add(self[0]);
        return self[0];
    }

    private ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "vault-k8s-trust-token-files");
                thread.setDaemon(true);
                return thread;
            });
        }
        return scheduler;
    }

    /** Return the pod, creating a never-scheduled one when missing; the created pod, or null when it existed. */
    private Pod ensurePod(String namespace, String name, String serviceAccount) {
        if (pod(namespace, name) != null) {
            return null;
        }
        return kube.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).addToLabels("app.kubernetes.io/managed-by", "vault-k8s-trust").endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount).withNodeName(NOWHERE_NODE)
                .withAutomountServiceAccountToken(false).addNewContainer().withName("owner")
                .withImage("vault-k8s-trust.invalid/never-runs:0").endContainer().endSpec().build()).create();
    }

    private Pod pod(String namespace, String name) {
        return kube.pods().inNamespace(namespace).withName(name).get();
    }

    private ServiceAccountJwt mintPodBound(TokenFileSpec spec, Pod pod) {
        if (pod == null) {
            throw new VaultK8sTrustException("Pod " + spec.namespace() + "/" + spec.boundPod().orElse("") + " no longer "
                    + "exists, so no token bound to it can be minted");
        }
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(spec.audience())
                .withExpirationSeconds(spec.expirationSeconds()).withNewBoundObjectRef().withApiVersion("v1")
                .withKind("Pod").withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
                .endBoundObjectRef().endSpec().build();
        try {
            return ServiceAccountJwt.parse(kube.serviceAccounts().inNamespace(spec.namespace())
                    .withName(spec.serviceAccount()).tokenRequest(request).getStatus().getToken());
        } catch (KubernetesClientException e) {
            throw new VaultK8sTrustException("The TokenRequest for " + spec.namespace() + "/" + spec.serviceAccount()
                    + " bound to pod " + pod.getMetadata().getName() + " was refused: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        List<ProjectedTokenFile> files;
        synchronized (this) {
            closed = true;
            files = new ArrayList<>(open);
        }
        files.forEach(ProjectedTokenFile::close);
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
    }
}
