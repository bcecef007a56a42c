package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.model.Capability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * How the k3s container is configured, as plain data so that it can be checked without a Docker engine: the
 * command line, the exposed ports, the image tarballs copied in before start, and the wait.
 *
 * @param image the k3s image, as configured (Testcontainers applies image substitution when it pulls)
 * @param sideLoads image tarballs to copy into k3s's auto-import directory before start
 * @param startupTimeout how long to wait for the node to be ready
 * @param privileged run privileged (K3sContainer's default); {@code false} grants every capability except
 *        {@code SYS_RESOURCE} with seccomp unconfined instead, for hosts that refuse privileged containers
 * @param networkAlias empty when Vault runs in the cluster (the issuer is k3s's own, {@link #ISSUER}); else the name
 *        the container has on the Docker network it shares with a Vault container, which becomes the issuer's host
 */
@API(status = INTERNAL, since = "0.1")
public record K3sContainerSpec(String image, List<SideLoad> sideLoads, Duration startupTimeout, boolean privileged,
                               String networkAlias) {

    /** The node port of the {@code vault-nodeport} Service, exposed on the container. */
    public static final int VAULT_NODE_PORT = 30820;
    /** The API server port inside the container. */
    public static final int API_SERVER_PORT = 6443;
    /** k3s imports every {@code *.tar} here into its containerd when it starts. */
    public static final String IMAGES_DIR = "/var/lib/rancher/k3s/agent/images/";
    /** The log line after which the node is usable (the wait K3sContainer itself uses). */
    public static final String READY_LOG_REGEX = ".*Node controller sync successful.*";
    /** k3s's issuer: byte for byte what Vault compares with the discovery document (no trailing '/'). */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    /** The k3s container's name on the Docker network it shares with a Vault container (the container placement). */
    public static final String NETWORK_ALIAS = "k3s";

    /** The system images side-loaded by default: those of the default k3s tag ({@link K3sReleases}). */
    public static final List<String> DEFAULT_SYSTEM_IMAGES =
            K3sReleases.systemImages(io.github.vaultk8strust.ConfigKeys.DEFAULT_K3S_IMAGE);

    /** What k3s runs without: nothing of this library uses an ingress, metrics or a service load balancer. */
    public static final String DISABLED_COMPONENTS = "traefik,metrics-server,servicelb";

    /** An image tarball on the host and where it goes in the container. */
    public record SideLoad(String image, Path tarball, String containerPath) {

        /** Place the tarball of {@code image} in k3s's import directory under a name derived from the image. */
        public static SideLoad of(String image, Path tarball) {
            return new SideLoad(image, tarball, IMAGES_DIR + fileName(image));
        }

        /** Return a file name for an image tarball: {@code hashicorp/vault:1.20} gives {@code hashicorp_vault_1.20.tar}. */
        public static String fileName(String image) {
            return image.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_") + ".tar";
        }
    }

    public K3sContainerSpec {
        sideLoads = List.copyOf(sideLoads);
        networkAlias = networkAlias == null ? "" : networkAlias;
    }

    /** A container for Vault in the cluster: k3s's own issuer. */
    public K3sContainerSpec(String image, List<SideLoad> sideLoads, Duration startupTimeout, boolean privileged) {
        this(image, sideLoads, startupTimeout, privileged, "");
    }

    /** A privileged container (K3sContainer's default) for Vault in the cluster. */
    public K3sContainerSpec(String image, List<SideLoad> sideLoads, Duration startupTimeout) {
        this(image, sideLoads, startupTimeout, true);
    }

    /** Return this spec for a container that Vault reaches on a Docker network by {@code alias}. */
    public K3sContainerSpec onNetworkAs(String alias) {
        return new K3sContainerSpec(image, sideLoads, startupTimeout, privileged, alias);
    }

    /**
     * Return the service-account issuer, byte for byte as in tokens and the discovery document (no trailing '/'):
     * k3s's own {@link #ISSUER} for Vault in the cluster, else {@code https://<alias>:6443}, the API server as a
     * container on the shared Docker network reaches it.
     */
    public String issuer() {
        return issuer(networkAlias);
    }

    /** Return the issuer for a network alias, k3s's own {@link #ISSUER} for none (see {@link #issuer()}). */
    public static String issuer(String networkAlias) {
        return networkAlias == null || networkAlias.isEmpty() ? ISSUER
                : "https://" + networkAlias + ":" + API_SERVER_PORT;
    }

    /** Return the JWKS URI announced in the discovery document: under the issuer, so Vault fetches both alike. */
    public String jwksUri() {
        return issuer() + "/openid/v1/jwks";
    }

    /** Return the image as Testcontainers sees it: compatible with {@code rancher/k3s} whatever its name. */
    public DockerImageName dockerImageName() {
        return DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s");
    }

    /**
     * Return the k3s command line. {@code withCommand} replaces K3sContainer's whole command, so its
     * {@code --disable=traefik} (now also metrics-server and servicelb) and {@code --tls-san} come back; anonymous
     * auth is on because Vault reads the issuer's discovery document and keys without credentials (k3s turns it
     * off by default). With a {@link #networkAlias()}, the alias is the issuer's host: the serving certificate covers
     * it ({@code --tls-san}) and the API server announces it as issuer and JWKS URI. A plain
     * {@code --kube-apiserver-arg=key=value} replaces k3s's default for that key (k3s {@code util.GetArgs}; a
     * trailing {@code +} on the key would append instead); k3s sets {@code --api-audiences} on its own
     * ({@code https://kubernetes.default.svc.cluster.local,k3s}), so in-cluster clients keep their audience.
     */
    public List<String> command(String host) {
        List<String> command = new ArrayList<>(List.of("server", "--disable=" + DISABLED_COMPONENTS,
                "--tls-san=" + host));
        if (!networkAlias.isEmpty()) {
            command.add("--tls-san=" + networkAlias);
        }
        command.add("--kube-apiserver-arg=anonymous-auth=true");
        if (!networkAlias.isEmpty()) {
            command.add("--kube-apiserver-arg=service-account-issuer=" + issuer());
            command.add("--kube-apiserver-arg=service-account-jwks-uri=" + jwksUri());
        }
        return List.copyOf(command);
    }

    /** Return what the container is granted, as {@code docker run} flags (for messages and tests). */
    public List<String> securityFlags() {
        return privileged ? List.of("--privileged")
                : List.of("--cap-add=ALL", "--cap-drop=SYS_RESOURCE", "--security-opt", "seccomp=unconfined");
    }

    /** Return the container ports to map on the host: the API server and Vault's node port. */
    public List<Integer> exposedPorts() {
        return List.of(API_SERVER_PORT, VAULT_NODE_PORT);
    }

    /** Create the container (this needs a Docker engine: K3sContainer asks it for the host name). */
    public K3sContainer newContainer() {
        K3sContainer container = new K3sContainer(dockerImageName());
        applyTo(container, container.getHost());
        return container;
    }

    /**
     * Create the container on {@code network} under {@link #networkAlias()} (needs a Docker engine), for the container
     * placement; without an alias, as {@link #newContainer()}.
     */
    public K3sContainer newContainer(Network network) {
        K3sContainer container = newContainer();
        if (!networkAlias.isEmpty()) {
            joinNetwork(container, network);
        }
        return container;
    }

    /** Put a container on the network under {@link #networkAlias()}; split out so that stand-ins can be wired alike. */
    public <C extends GenericContainer<C>> C joinNetwork(C container, Network network) {
        return container.withNetwork(network).withNetworkAliases(networkAlias);
    }

    /** Apply command, ports, side-loads and wait to a container; split out so it can be checked without Docker. */
    public <C extends GenericContainer<C>> C applyTo(C container, String host) {
        container.withCommand(command(host).toArray(String[]::new));
        List<Integer> ports = new ArrayList<>(container.getExposedPorts());
        exposedPorts().stream().filter(p -> !ports.contains(p)).forEach(ports::add);
        container.setExposedPorts(ports);
        for (SideLoad load : sideLoads) {
            container.withCopyFileToContainer(MountableFile.forHostPath(load.tarball(), 0644), load.containerPath());
        }
        container.waitingFor(Wait.forLogMessage(READY_LOG_REGEX, 1).withStartupTimeout(startupTimeout));
        if (!privileged) {
            // Hosts that cannot grant every capability ("unable to apply caps": no CAP_SYS_RESOURCE) still run k3s
            // with all the others and no seccomp filter. The modifier runs after the privileged flag is applied.
            container.withPrivilegedMode(false);
            container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                    .withCapAdd(Capability.ALL)
                    .withCapDrop(Capability.SYS_RESOURCE)
                    .withSecurityOpts(List.of("seccomp=unconfined")));
        }
        return container;
    }
}
