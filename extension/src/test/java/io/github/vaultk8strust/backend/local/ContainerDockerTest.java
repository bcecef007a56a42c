package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The bridge-gateway arithmetic used when an engine (Docker 20.10) reports a subnet but no gateway. */
class ContainerDockerTest {

    @Test
    void theFirstAddressOfASubnetIsWhereDockerPutsTheGateway() {
        assertThat(ContainerDocker.firstAddress("172.17.0.0/16").getHostAddress()).isEqualTo("172.17.0.1");
        assertThat(ContainerDocker.firstAddress("10.200.3.0/24").getHostAddress()).isEqualTo("10.200.3.1");
        // A subnet written with host bits set still yields the network's first address.
        assertThat(ContainerDocker.firstAddress("192.168.7.9/24").getHostAddress()).isEqualTo("192.168.7.1");
    }

    @Test
    void subnetMembershipFollowsThePrefix() throws UnknownHostException {
        assertThat(ContainerDocker.inSubnet(InetAddress.getByName("172.17.0.1"), "172.17.0.0/16")).isTrue();
        assertThat(ContainerDocker.inSubnet(InetAddress.getByName("172.17.255.254"), "172.17.0.0/16")).isTrue();
        assertThat(ContainerDocker.inSubnet(InetAddress.getByName("172.18.0.1"), "172.17.0.0/16")).isFalse();
        assertThat(ContainerDocker.inSubnet(InetAddress.getByName("10.0.0.1"), "0.0.0.0/0")).isTrue();
    }

    @Test
    void anInterfaceThatDoesNotExistGivesNoAddress() {
        assertThat(ContainerDocker.interfaceAddressIn("vk8s-no-such-nic", "172.17.0.0/16")).isEmpty();
    }

    @Test
    void theLoopbackInterfaceAddressIsFoundInItsSubnetOnly() throws java.net.SocketException {
        String loopback = java.net.NetworkInterface.networkInterfaces().filter(n -> {
            try {
                return n.isLoopback();
            } catch (java.net.SocketException e) {
                return false;
            }
        }).map(java.net.NetworkInterface::getName).findFirst().orElseThrow();
        assertThat(ContainerDocker.interfaceAddressIn(loopback, "127.0.0.0/8")).map(InetAddress::getHostAddress)
                .contains("127.0.0.1");
        assertThat(ContainerDocker.interfaceAddressIn(loopback, "10.0.0.0/8")).isEmpty();
    }
}
