package io.github.vaultk8strust.backend.local;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.support.Causes;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.utility.DockerImageName;

/**
 * What the local backend's container placement asks of Docker: does an engine answer (cheaply, without
 * Testcontainers' Ryuk or checks), where is the host gateway of its default bridge, and is the Vault image there.
 */
final class ContainerDocker {

    private ContainerDocker() {
    }

    /** Whether an engine answers, and if not why. */
    record Answer(boolean available, String reason) {
    }

    /** Ping the engine Testcontainers would use (DOCKER_HOST, ~/.testcontainers.properties, the default socket). */
    static Answer ping() {
        try (DockerClient client = rawClient()) {
            client.pingCmd().exec();
            return new Answer(true, "a Docker engine answers");
        } catch (IllegalStateException e) {
            // Testcontainers' own answer for "no strategy found an engine".
            return new Answer(false, "no Docker engine answers (Testcontainers: " + Causes.oneLine(e) + ")");
        } catch (IOException | RuntimeException | LinkageError e) {
            return new Answer(false, "the Docker engine does not answer a ping: " + Causes.oneLine(e));
        }
    }

    /**
     * Fail, before anything starts, when the container placement has no engine; name what the user wrote and the
     * alternatives.
     */
    static void requireEngine(BackendConfig config, Answer answer) {
        if (!answer.available()) {
            throw config.invalid(ConfigKeys.VAULT_PLACEMENT_KEY, "runs Vault in a Docker container, and "
                    + answer.reason() + ". Start Docker or point DOCKER_HOST at one; or run Vault as a local process "
                    + "instead: vaultPlacement = VaultPlacement.PROCESS (" + ConfigKeys.VAULT_PLACEMENT_KEY
                    + "=process, the local backend's default); or Vault inside a cluster: backend = Backend.K3S with "
                    + "VaultPlacement.IN_CLUSTER (needs Docker too).");
        }
    }

    static DockerClient rawClient() {
        return DockerClientProviderStrategy.getClientForConfig(DockerClientFactory.instance().getTransportConfig());
    }

    /**
     * Return the gateway address of the engine's default bridge network: what {@code host-gateway} means in a
     * container's hosts file (dockerd's default host-gateway IP is the default bridge's own address), and so where the
     * API server must listen for Vault in a container to reach it. It must be an address of this machine (a local
     * engine).
     *
     * <p>Engines do not all report it: Docker 20.10 (Debian's {@code docker.io} 20.10.24) lists the bridge's IPAM config
     * with a subnet but no gateway when the bridge interface already existed. Then the bridge interface's own IPv4
     * address inside that subnet is used ({@code com.docker.network.bridge.name}, by default {@code docker0}), and
     * failing that the subnet's first address, which is where Docker puts the gateway.
     */
    static InetAddress bridgeGateway() {
        try (DockerClient client = rawClient()) {
            Network bridge = client.inspectNetworkCmd().withNetworkId("bridge").exec();
            List<Network.Ipam.Config> configs = Optional.ofNullable(bridge.getIpam()).map(Network.Ipam::getConfig)
                    .orElse(List.of());
            Optional<String> reported = configs.stream().map(Network.Ipam.Config::getGateway)
                    .filter(g -> g != null && !g.isBlank() && !g.contains(":")).findFirst();
            Optional<String> subnet = configs.stream().map(Network.Ipam.Config::getSubnet)
                    .filter(n -> n != null && n.contains("/") && !n.contains(":")).findFirst();
            String interfaceName = Optional.ofNullable(bridge.getOptions())
                    .map(o -> o.get("com.docker.network.bridge.name")).filter(n -> !n.isBlank()).orElse("docker0");
            InetAddress address = reported.isPresent() ? InetAddress.getByName(reported.get())
                    : subnet.flatMap(n -> interfaceAddressIn(interfaceName, n))
                            .or(() -> subnet.map(ContainerDocker::firstAddress))
                            .orElseThrow(() -> new VaultK8sTrustException("The Docker engine's default bridge network "
                                    + "reports neither an IPv4 gateway nor an IPv4 subnet (IPAM: " + configs + "); the "
                                    + "container placement maps the issuer host to the bridge's gateway "
                                    + "(host-gateway). Check `docker network inspect bridge`."));
            String gateway = address.getHostAddress();
            if (NetworkInterface.getByInetAddress(address) == null) {
                throw new VaultK8sTrustException("The Docker bridge gateway " + gateway + " is not an address of this "
                        + "machine: the Docker engine runs elsewhere (a remote DOCKER_HOST, a VM). The local backend's "
                        + "container placement needs a local engine, so that Vault in the container reaches the API "
                        + "server on this host; use " + ConfigKeys.VAULT_PLACEMENT_KEY + "=process, or the k3s backend.");
            }
            return address;
        } catch (NotFoundException e) {
            throw new VaultK8sTrustException("The Docker engine has no default \"bridge\" network (started with "
                    + "--bridge=none?); the container placement needs it to reach this host.", e);
        } catch (UnknownHostException | SocketException e) {
            throw new VaultK8sTrustException("Cannot use the Docker bridge gateway: " + e, e);
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot ask the Docker engine for its bridge network: " + e, e);
        }
    }

    /** The IPv4 address of the named interface that lies in {@code cidr}, if this machine has that interface. */
    static Optional<InetAddress> interfaceAddressIn(String interfaceName, String cidr) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null) {
                return Optional.empty();
            }
            return nic.inetAddresses().filter(a -> a instanceof Inet4Address && inSubnet(a, cidr)).findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    /** Whether an IPv4 address lies in an IPv4 CIDR such as {@code 172.17.0.0/16}. */
    static boolean inSubnet(InetAddress address, String cidr) {
        int slash = cidr.indexOf('/');
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (toInt(address) & mask) == (toInt(parse(cidr.substring(0, slash))) & mask);
    }

    /** The first host address of an IPv4 CIDR: {@code 172.17.0.0/16} to {@code 172.17.0.1}. */
    static InetAddress firstAddress(String cidr) {
        int slash = cidr.indexOf('/');
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        int first = (toInt(parse(cidr.substring(0, slash))) & mask) + 1;
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (first >>> 24), (byte) (first >>> 16),
                    (byte) (first >>> 8), (byte) first});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }

    private static InetAddress parse(String ipv4) {
        try {
            return InetAddress.getByName(ipv4);
        } catch (UnknownHostException e) {
            throw new VaultK8sTrustException("The Docker bridge's subnet " + ipv4 + " is not an IPv4 address", e);
        }
    }

    private static int toInt(InetAddress address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** Make sure the image is there, pulling it (Testcontainers' substitution and auth apply) if not. */
    static void ensureImage(DockerImageName image) {
        try (DockerClient client = rawClient()) {
            client.inspectImageCmd(image.asCanonicalNameString()).exec();
            return;
        } catch (NotFoundException e) {
            // pull below
        } catch (IOException e) {
            throw new VaultK8sTrustException("Cannot ask the Docker engine for image " + image + ": " + e, e);
        }
        try {
            new RemoteDockerImage(image).get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new VaultK8sTrustException("The Vault image " + image.asCanonicalNameString() + " is not in the "
                    + "Docker engine and could not be pulled (" + Causes.oneLine(e) + "). Pull or load it (docker pull "
                    + image.asCanonicalNameString() + ", or docker load -i on a machine without a registry), or name "
                    + "another with " + ConfigKeys.VAULT_CONTAINER_IMAGE_KEY + ".", e);
        }
    }

}
