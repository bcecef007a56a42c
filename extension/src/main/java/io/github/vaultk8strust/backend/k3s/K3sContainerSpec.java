package io.github.vaultk8strust.backend.k3s;

import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.testcontainers.containers.GenericContainer;
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
 */
public record K3sContainerSpec(String image, List<SideLoad> sideLoads, Duration startupTimeout) {

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

    /**
     * The images k3s itself runs (sandbox, DNS, storage provisioner and its helper, metrics) in the k3s release
     * line of {@code ConfigKeys.DEFAULT_K3S_IMAGE}, from k3s's {@code scripts/airgap/image-list.txt}; Traefik
     * (disabled) and the Helm and ServiceLB helpers (unused) are left out. A wrong tag costs one useless
     * side-load, never a failure: k3s pulls what it misses.
     */
    public static final List<String> DEFAULT_SYSTEM_IMAGES = List.of(
            "rancher/mirrored-pause:3.6",
            "rancher/mirrored-coredns-coredns:1.13.1",
            "rancher/local-path-provisioner:v0.0.32",
            "rancher/mirrored-library-busybox:1.37.0",
            "rancher/mirrored-metrics-server:v0.8.0");

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
    }

    /** Return the image as Testcontainers sees it: compatible with {@code rancher/k3s} whatever its name. */
    public DockerImageName dockerImageName() {
        return DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s");
    }

    /**
     * Return the k3s command line. {@code withCommand} replaces K3sContainer's whole command, so its
     * {@code --disable=traefik} and {@code --tls-san} come back; anonymous auth is on because Vault reads the
     * issuer's discovery document and keys without credentials (k3s turns it off by default).
     */
    public List<String> command(String host) {
        return List.of("server", "--disable=traefik", "--tls-san=" + host, "--kube-apiserver-arg=anonymous-auth=true");
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
        return container;
    }
}
