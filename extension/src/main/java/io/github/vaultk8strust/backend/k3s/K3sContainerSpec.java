package io.github.vaultk8strust.backend.k3s;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
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
 * @param entrypoint the image's entrypoint ({@link #K3S_ENTRYPOINT} for {@code rancher/k3s}): a non-privileged node
 *        runs {@link #NODE_PROLOGUE} first, then this
 */
@API(status = INTERNAL, since = "0.1")
public record K3sContainerSpec(String image, List<SideLoad> sideLoads, Duration startupTimeout, boolean privileged,
                               String networkAlias, List<String> entrypoint) {

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

    /** The entrypoint of the {@code rancher/k3s} image. */
    public static final List<String> K3S_ENTRYPOINT = List.of("/bin/k3s");

    /**
     * What a non-privileged node runs before the image's entrypoint (as {@code sh -c}, the entrypoint and command as
     * its arguments): Docker mounts a non-privileged container's cgroups and {@code /proc/sys} read-only, and k3s's
     * kubelet must create its pods' cgroups and set kernel parameters. Capability {@code SYS_ADMIN} lets the node
     * make them writable for itself (only its own cgroups: its cgroup namespace is private). Needs only {@code sh} and
     * {@code mount}, which the k3s image has.
     */
    public static final String NODE_PROLOGUE = "while read -r _ m t _; do case \"$t:$m\" in cgroup*:*|*:/proc/sys) "
            + "mount -o remount,bind,rw \"$m\" || { echo \"vault-k8s-trust: cannot make $m writable in the k3s "
            + "container (it needs capability SYS_ADMIN and no AppArmor mount rule)\" >&2; exit 1; };; esac; "
            + "done < /proc/mounts; exec \"$@\"";
    /** The name the prologue's shell runs under ({@code $0}), so that it is recognisable in {@code ps}. */
    static final String PROLOGUE_NAME = "vault-k8s-trust-node-prologue";

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
        entrypoint = entrypoint == null || entrypoint.isEmpty() ? K3S_ENTRYPOINT : List.copyOf(entrypoint);
    }

    /** A container for Vault in the cluster: k3s's own issuer, k3s's entrypoint. */
    public K3sContainerSpec(String image, List<SideLoad> sideLoads, Duration startupTimeout, boolean privileged) {
        this(image, sideLoads, startupTimeout, privileged, "", K3S_ENTRYPOINT);
    }

    /** A privileged container (K3sContainer's default) for Vault in the cluster. */
    public K3sContainerSpec(String image, List<SideLoad> sideLoads, Duration startupTimeout) {
        this(image, sideLoads, startupTimeout, true);
    }

    /** Return this spec for a container that Vault reaches on a Docker network by {@code alias}. */
    public K3sContainerSpec onNetworkAs(String alias) {
        return new K3sContainerSpec(image, sideLoads, startupTimeout, privileged, alias, entrypoint);
    }

    /** Return this spec for an image whose entrypoint is {@code entrypoint} (read from the image by the backend). */
    public K3sContainerSpec withEntrypoint(List<String> entrypoint) {
        return new K3sContainerSpec(image, sideLoads, startupTimeout, privileged, networkAlias, entrypoint);
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
     * off by default). The issuer and the JWKS URI are always pinned ({@link #issuer()}, {@link #jwksUri()}). With a
     * {@link #networkAlias()}, the alias is the issuer's host: the serving certificate covers it ({@code --tls-san}). A plain
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
        // Pinned whatever the placement: k3s's kube-apiserver listens behind its supervisor and would derive the
        // discovery document's jwks_uri from its own external address, which Vault's pod may not reach.
        command.add("--kube-apiserver-arg=service-account-issuer=" + issuer());
        command.add("--kube-apiserver-arg=service-account-jwks-uri=" + jwksUri());
        return List.copyOf(command);
    }

    /**
     * Return what the container is granted, as {@code docker run} flags (for messages and tests). Either way its cgroup
     * namespace is private, so that the kubelet's pod cgroups live under the container's own cgroup: two nodes on one
     * host never see (nor clean up) each other's pods, and the pods' cgroups go with the container.
     */
    public List<String> securityFlags() {
        return privileged ? List.of("--privileged", "--cgroupns=private")
                : List.of("--cap-add=ALL", "--cap-drop=SYS_RESOURCE", "--security-opt", "seccomp=unconfined",
                        "--security-opt", "apparmor=unconfined", "--device=/dev/kmsg", "--cgroupns=private",
                        "--entrypoint=sh -c <prologue: cgroups and /proc/sys writable> " + String.join(" ", entrypoint));
    }

    /** Return the entrypoint of a non-privileged node: the prologue's shell, then the image's own entrypoint. */
    public List<String> nonPrivilegedEntrypoint() {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", NODE_PROLOGUE, PROLOGUE_NAME));
        command.addAll(entrypoint);
        return List.copyOf(command);
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
        // K3sContainer shares the host's cgroup namespace and binds the host's /sys/fs/cgroup read-write: every node's
        // kubelet would then manage the same /kubepods and may clean up another node's pods. A private namespace gives
        // each node its own (the modifier runs after K3sContainer's own, which sets "host").
        container.setBinds(container.getBinds().stream()
                .filter(b -> !b.getVolume().getPath().equals("/sys/fs/cgroup")).toList());
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCgroupnsMode("private"));
        if (!privileged) {
            // Hosts that cannot grant every capability ("unable to apply caps": no CAP_SYS_RESOURCE) still run the
            // node with all the others, no seccomp or AppArmor filter, /dev/kmsg (the kubelet's OOM watcher reads it),
            // and the prologue that makes its cgroups and /proc/sys writable, as they are in a privileged container.
            container.withPrivilegedMode(false);
            List<String> nodeEntrypoint = nonPrivilegedEntrypoint();
            container.withCreateContainerCmdModifier(cmd -> {
                cmd.withEntrypoint(nodeEntrypoint);
                cmd.getHostConfig()
                        .withCapAdd(Capability.ALL)
                        .withCapDrop(Capability.SYS_RESOURCE)
                        .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                        .withDevices(List.of(new Device("r", "/dev/kmsg", "/dev/kmsg")));
            });
        }
        return container;
    }
}
