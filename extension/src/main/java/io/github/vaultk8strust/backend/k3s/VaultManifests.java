package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The walkthrough's Kubernetes resources for Vault, built with fabric8 builders: ConfigMap {@code vault-config},
 * Service {@code vault}, StatefulSet {@code vault}, plus what the walkthrough does by hand instead (a NodePort
 * Service so the test JVM reaches Vault, a Secret holding a dev-mode root token) and the {@code vault-client}
 * workload pod.
 *
 * <p>Deliberate differences from the walkthrough, each for a reason: {@code imagePullPolicy: IfNotPresent} (the
 * image is side-loaded; {@code :latest} would otherwise force a pull), a 2 s readiness period (the default 10 s
 * would dominate start-up), and OpenBao images mount at {@code /openbao/...}, where their entrypoint looks.
 */
@API(status = INTERNAL, since = "0.1")
public final class VaultManifests {

    /** Namespace of the Vault resources, the walkthrough's. */
    public static final String NAMESPACE = "default";
    /** The Vault pod: the StatefulSet's only replica. */
    public static final String POD = "vault-0";
    /** The NodePort Service through which the test JVM reaches Vault. */
    public static final String NODE_PORT_SERVICE = "vault-nodeport";
    /** The Secret holding the dev-mode root token. */
    public static final String DEV_TOKEN_SECRET = "vault-dev-root-token";
    /** Label put on everything this library creates, so it can be found and deleted. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final String MANAGER = "vault-k8s-trust";
    private static final int PORT = 8200;

    /** Which server an image runs: it decides paths and environment variable names. */
    public enum Flavor {
        /** {@code hashicorp/vault}: {@code /vault/config}, {@code /vault/file}, {@code VAULT_*}. */
        VAULT("/vault", "VAULT_", "vault"),
        /** {@code openbao/openbao}: {@code /openbao/config}, {@code /openbao/file}, {@code BAO_*} first. */
        OPENBAO("/openbao", "BAO_", "bao");

        private final String root;
        private final String envPrefix;
        private final String cli;

        Flavor(String root, String envPrefix, String cli) {
            this.root = root;
            this.envPrefix = envPrefix;
            this.cli = cli;
        }

        /** Recognise OpenBao images by name; everything else is treated as Vault. */
        public static Flavor of(String image) {
            String repository = image.toLowerCase(Locale.ROOT).replaceAll("[:@].*$", "");
            return repository.contains("openbao") ? OPENBAO : VAULT;
        }

        /** Return where the configuration directory is mounted. */
        public String configDir() {
            return root + "/config";
        }

        /** Return where file storage lives. */
        public String dataDir() {
            return root + "/file";
        }

        /** Return the command-line client's name. */
        public String cli() {
            return cli;
        }
    }

    private VaultManifests() {
    }

    /**
     * Return every resource Vault needs, in the order to create them.
     *
     * @param devRootToken the root token for {@link VaultMode#DEV}; ignored otherwise
     */
    public static List<HasMetadata> vault(String image, VaultMode mode, String devRootToken) {
        List<HasMetadata> resources = new ArrayList<>();
        Flavor flavor = Flavor.of(image);
        if (mode == VaultMode.DEV) {
            resources.add(devRootTokenSecret(devRootToken));
        } else {
            resources.add(configMap(flavor));
        }
        resources.add(service());
        resources.add(nodePortService(K3sContainerSpec.VAULT_NODE_PORT));
        resources.add(statefulSet(image, mode));
        return resources;
    }

    /** Return the walkthrough's ConfigMap {@code vault-config}, its JSON configuration verbatim but for paths. */
    public static ConfigMap configMap(Flavor flavor) {
        String config = """
                {
                  "storage": {
                    "file": {
                      "path": "%s"
                    }
                  },
                  "listener": [
                    {
                      "tcp": {
                        "address": "0.0.0.0:8200",
                        "tls_disable": true
                      }
                    }
                  ],
                  "default_lease_ttl": "168h",
                  "max_lease_ttl": "720h",
                  "ui": true
                }
                """.formatted(flavor.dataDir());
        return new ConfigMapBuilder().withNewMetadata().withName("vault-config").withNamespace(NAMESPACE)
                .withLabels(managed(Map.of())).endMetadata()
                .withData(Map.of("config.json", config)).build();
    }

    /** Return the walkthrough's Service {@code vault} (ClusterIP, port 8200). */
    public static Service service() {
        return new ServiceBuilder().withNewMetadata().withName("vault").withNamespace(NAMESPACE)
                .withLabels(managed(Map.of("app", "vault"))).endMetadata()
                .withNewSpec().addNewPort().withPort(PORT).endPort().withSelector(Map.of("app", "vault"))
                .withType("ClusterIP").endSpec().build();
    }

    /** Return the NodePort Service the test JVM reaches Vault through (the walkthrough port-forwards instead). */
    public static Service nodePortService(int nodePort) {
        return new ServiceBuilder().withNewMetadata().withName(NODE_PORT_SERVICE).withNamespace(NAMESPACE)
                .withLabels(managed(Map.of("app", "vault"))).endMetadata()
                .withNewSpec().addNewPort().withPort(PORT).withTargetPort(new IntOrString(PORT)).withNodePort(nodePort)
                .endPort().withSelector(Map.of("app", "vault")).withType("NodePort").endSpec().build();
    }

    /**
     * Return the Secret with the dev-mode root token; {@code null} builds it without data (to list or validate the
     * shape without a secret).
     */
    public static Secret devRootTokenSecret(String token) {
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(DEV_TOKEN_SECRET).withNamespace(NAMESPACE)
                .withLabels(managed(Map.of())).endMetadata().withType("Opaque");
        if (token != null) {
            secret.withStringData(Map.of("token", token));
        }
        return secret.build();
    }

    /**
     * Return the walkthrough's StatefulSet {@code vault}: one replica, {@code IPC_LOCK}, liveness and readiness on
     * {@code /ui/sys/health}, the configuration mounted from {@code vault-config} and a 5Gi
     * {@code ReadWriteOnce} claim on the default storage class. Dev mode runs {@code server -dev} with the root
     * token from {@link #DEV_TOKEN_SECRET} and neither the configuration (its listener would clash with dev mode's
     * own) nor the claim (dev mode keeps everything in memory).
     */
    public static StatefulSet statefulSet(String image, VaultMode mode) {
        Flavor flavor = Flavor.of(image);
        boolean dev = mode == VaultMode.DEV;
        ContainerBuilder container = new ContainerBuilder().withName("vault").withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withNewSecurityContext().withNewCapabilities().addToAdd("IPC_LOCK").endCapabilities()
                .endSecurityContext()
                .withLivenessProbe(probe(null))
                .withReadinessProbe(probe(2))
                .addNewPort().withContainerPort(PORT).endPort();
        if (dev) {
            container.withArgs("server", "-dev", "-dev-listen-address=0.0.0.0:8200", "-dev-no-store-token")
                    .withEnv(tokenFromSecret("VAULT_DEV_ROOT_TOKEN_ID"), tokenFromSecret("BAO_DEV_ROOT_TOKEN_ID"));
        } else {
            container.withArgs("server")
                    .addToVolumeMounts(new VolumeMountBuilder().withName("vault-data").withMountPath(flavor.dataDir())
                            .build())
                    .addToVolumeMounts(new VolumeMountBuilder().withName("vault-config")
                            .withMountPath(flavor.configDir()).build());
        }
        StatefulSetBuilder builder = new StatefulSetBuilder().withNewMetadata().withName("vault")
                .withNamespace(NAMESPACE).withLabels(managed(Map.of())).endMetadata()
                .withNewSpec().withServiceName("vault").withReplicas(1)
                .withNewSelector().withMatchLabels(Map.of("app", "vault")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "vault")).endMetadata()
                .withNewSpec().withContainers(container.build()).endSpec().endTemplate()
                .endSpec();
        if (!dev) {
            builder.editSpec().editTemplate().editSpec()
                    .addToVolumes(new VolumeBuilder().withName("vault-config").withNewConfigMap()
                            .withName("vault-config").endConfigMap().build())
                    .endSpec().endTemplate()
                    .addToVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata()
                            .withName("vault-data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                            .withNewResources().addToRequests("storage", new Quantity("5Gi")).endResources()
                            .endSpec().build())
                    .endSpec();
        }
        return builder.build();
    }

    private static Probe probe(Integer periodSeconds) {
        return new ProbeBuilder().withFailureThreshold(3).withPeriodSeconds(periodSeconds).withNewHttpGet()
                .withPath("/ui/sys/health").withPort(new IntOrString(PORT)).endHttpGet().build();
    }

    private static EnvVar tokenFromSecret(String name) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(DEV_TOKEN_SECRET).withKey("token").endSecretKeyRef().endValueFrom().build();
    }

    /**
     * Return the walkthrough's {@code vault-client} pod for a workload: {@code sleep infinity} under the spec's
     * service account, {@code VAULT_ADDR} (and {@code BAO_ADDR}) pointing at the {@code vault} Service, and a
     * projected service-account token (audience, {@code expirationSeconds}) at {@code /service-account/token}.
     *
     * @param podName the pod's name (the spec's name plus a suffix)
     * @param image the container image, already resolved
     */
    public static Pod workloadPod(WorkloadSpec spec, String podName, String image) {
        return workloadPod(spec, podName, image, inClusterVaultAddress(spec.namespace()));
    }

    /** Return the address of the in-cluster {@code vault} Service as a pod in {@code namespace} reaches it. */
    public static String inClusterVaultAddress(String namespace) {
        return namespace.equals(NAMESPACE) ? "http://vault:8200/" : "http://vault." + NAMESPACE + ".svc:8200/";
    }

    /**
     * Return the {@code vault-client} pod with {@code VAULT_ADDR}/{@code BAO_ADDR} set to {@code vaultAddress}: the
     * {@code vault} Service, or a Vault outside the cluster (the container placement).
     */
    public static Pod workloadPod(WorkloadSpec spec, String podName, String image, String vaultAddress) {
        return new PodBuilder().withNewMetadata().withName(podName).withNamespace(spec.namespace())
                .withLabels(managed(Map.of("run", spec.name()))).endMetadata()
                .withNewSpec()
                .addNewContainer().withName(spec.name()).withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand("sleep", "infinity")
                .withEnv(new EnvVar("VAULT_ADDR", vaultAddress, null), new EnvVar("BAO_ADDR", vaultAddress, null))
                .addNewVolumeMount().withName("token-vol").withMountPath(spec.tokenMountPath()).withReadOnly(true)
                .endVolumeMount()
                .endContainer()
                .addNewVolume().withName("token-vol").withNewProjected().addNewSource().withNewServiceAccountToken()
                .withAudience(spec.audience()).withExpirationSeconds(spec.expirationSeconds()).withPath("token")
                .endServiceAccountToken().endSource().endProjected().endVolume()
                .withDnsPolicy("ClusterFirst")
                .withRestartPolicy("Always")
                .withServiceAccountName(spec.serviceAccount())
                // The pod is deleted at the end of a test: don't wait 30 s for `sleep` to ignore SIGTERM.
                .withTerminationGracePeriodSeconds(0L)
                .endSpec().build();
    }

    private static Map<String, String> managed(Map<String, String> labels) {
        Map<String, String> all = new java.util.LinkedHashMap<>(labels);
        all.put(MANAGED_BY, MANAGER);
        return all;
    }
}
