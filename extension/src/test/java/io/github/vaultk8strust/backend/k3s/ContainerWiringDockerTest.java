package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.container.ContainerVault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.k3s.K3sContainer;

/**
 * The k3s backend's container side against a real Docker engine, with locally built STAND-IN images (busybox with
 * an entrypoint that only mimics the wiring: see {@code src/test/resources/standin/Dockerfile} for the node and
 * {@code Dockerfile.vault} for the Vault side of the container placement). It proves what
 * Docker is asked to do (command line, port mapping, side-load copies, kubeconfig rewrite, privileged or capability
 * set, the pre-flight and Ryuk messages offline, nothing left behind); it proves nothing about k3s itself, which
 * {@code src-it}'s k3s tests do on a machine that can pull the real images (.github/workflows/k3s.yml).
 *
 * <p>Needs a Docker engine and the image {@code vault-k8s-trust/busybox-standin:1} ({@code .ci/build-standin-images});
 * this project's {@code .ci/run} provides both. Skipped, with the reason, only when no Docker engine answers.
 */
@EnabledIf(value = "dockerAnswers", disabledReason = "no Docker engine answers (DockerProbe); .ci/run starts one")
class ContainerWiringDockerTest {

    static final String BASE_STANDIN = "vault-k8s-trust/busybox-standin:1";
    static final String NODE_STANDIN = "vault-k8s-trust/node-wiring-standin:1";
    static final String VAULT_SIDE_STANDIN = "vault-k8s-trust/vault-wiring-standin:1";

    static boolean dockerAnswers() {
        return DockerProbe.dockerAvailable();
    }

    @TempDir
    Path dir;

    @BeforeAll
    static void buildStandIn() throws IOException {
        try (DockerClient docker = DockerProbe.rawClient()) {
            try {
                docker.inspectImageCmd(BASE_STANDIN).exec();
            } catch (NotFoundException e) {
                fail("A Docker engine answers but has no " + BASE_STANDIN + ": build it with .ci/build-standin-images "
                        + "(no registry needed). Not skipped: this test must run wherever Docker does.");
            }
        }
        new ImageFromDockerfile(NODE_STANDIN, false)
                .withFileFromClasspath("Dockerfile", "standin/Dockerfile")
                .withFileFromClasspath("node-wiring-standin.sh", "standin/node-wiring-standin.sh")
                .get();
        new ImageFromDockerfile(VAULT_SIDE_STANDIN, false)
                .withFileFromClasspath("Dockerfile", "standin/Dockerfile.vault")
                .withFileFromClasspath("vault-wiring-standin.sh", "standin/vault-wiring-standin.sh")
                .get();
    }

    @AfterAll
    static void nothingLeftBehind() throws IOException {
        try (DockerClient docker = DockerProbe.rawClient()) {
            List<Container> left = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL,
                            DockerClientFactory.SESSION_ID)).exec();
            assertThat(left).as("containers of this test session still there").isEmpty();
            assertThat(docker.listVolumesCmd().exec().getVolumes()).as("volumes").isNullOrEmpty();
        }
    }

    private List<K3sContainerSpec.SideLoad> sideLoads() throws IOException {
        List<K3sContainerSpec.SideLoad> loads = new ArrayList<>();
        for (String image : List.of("hashicorp/vault:1.20", "rancher/mirrored-pause:3.6")) {
            Path tarball = dir.resolve(K3sContainerSpec.SideLoad.fileName(image));
            Files.writeString(tarball, "not an image, a stand-in tarball for " + image);
            loads.add(K3sContainerSpec.SideLoad.of(image, tarball));
        }
        return loads;
    }

    @Test
    @Timeout(120)
    void commandLinePortsSideLoadsKubeconfigAndCapabilitiesOnARealEngine() throws Exception {
        List<K3sContainerSpec.SideLoad> loads = sideLoads();
        // The backend reads the image's entrypoint and runs its non-privileged prologue before it.
        K3sContainerSpec spec = new K3sContainerSpec(NODE_STANDIN, loads, Duration.ofSeconds(60), false)
                .withEntrypoint(K3sImages.entrypoint(NODE_STANDIN));
        try (K3sContainer container = spec.newContainer()) {
            container.start();
            String log = container.getLogs();

            assertThat(log).contains("standin args: " + String.join(" ", spec.command(container.getHost())));
            assertThat(log).contains("--disable=traefik,metrics-server,servicelb", "--kube-apiserver-arg=anonymous-auth=true");
            for (K3sContainerSpec.SideLoad load : loads) {
                long size = Files.size(load.tarball());
                assertThat(log).contains("side-loaded: " + Path.of(load.containerPath()).getFileName() + " " + size
                        + " bytes");
                assertThat(load.containerPath()).startsWith("/var/lib/rancher/k3s/agent/images/");
            }

            int api = container.getMappedPort(K3sContainerSpec.API_SERVER_PORT);
            int vault = container.getMappedPort(K3sContainerSpec.VAULT_NODE_PORT);
            assertThat(firstLine(container.getHost(), api)).isEqualTo("stand-in api server port");
            assertThat(firstLine(container.getHost(), vault)).isEqualTo("stand-in vault node port");

            assertThat(container.getKubeConfigYaml()).contains("server: \"https://" + container.getHost() + ":" + api + "\"")
                    .doesNotContain("127.0.0.1:6443");

            InspectContainerResponse inspect = container.getContainerInfo();
            assertThat(inspect.getHostConfig().getPrivileged()).isFalse();
            assertThat(inspect.getHostConfig().getCapAdd()).containsExactly(Capability.ALL);
            assertThat(inspect.getHostConfig().getCapDrop()).containsExactly(Capability.SYS_RESOURCE);
            assertThat(inspect.getHostConfig().getSecurityOpts()).containsExactly("seccomp=unconfined",
                    "apparmor=unconfined");
            assertThat(inspect.getHostConfig().getCgroupnsMode()).isEqualTo("private");
            assertThat(inspect.getConfig().getEntrypoint()).startsWith("/bin/sh", "-c", K3sContainerSpec.NODE_PROLOGUE)
                    .endsWith("/bin/sh", "/node-wiring-standin.sh");
            assertThat(log).containsPattern("standin CapEff:\\s+0000003[0-9a-f]{9}")
                    .as("every capability but SYS_RESOURCE is effective");
            // The prologue made the node's own cgroups and /proc/sys writable, as in a privileged container.
            var writable = container.execInContainer("sh", "-c", "mkdir /sys/fs/cgroup/pids/probe && rmdir "
                    + "/sys/fs/cgroup/pids/probe && grep -E ' /proc/sys | /sys/fs/cgroup/pids ' /proc/self/mounts");
            assertThat(writable.getExitCode()).as(writable.getStderr()).isZero();
            assertThat(writable.getStdout().lines()).hasSize(2).allMatch(l -> l.split(" ")[3].startsWith("rw"));
        }
    }

    /**
     * The container placement's wiring, with stand-ins for both sides (neither is k3s nor Vault): the node stand-in
     * joins the network under the alias with the alias in its SANs and as issuer; the Vault container, configured by
     * the real {@link ContainerVault} as the k3s backend wires it, resolves the alias and connects to the node's API
     * server port through it; the node reaches the Vault side at the address {@link ContainerVault#ipAddressOn}
     * reports (what workload pods are given; pods themselves are not proven here); the network goes with the
     * environment.
     */
    @Test
    @Timeout(180)
    void vaultContainerAndNodeShareANetworkAndTheAliasResolvesFromTheVaultSide() throws Exception {
        K3sContainerSpec spec = new K3sContainerSpec(NODE_STANDIN, List.of(), Duration.ofSeconds(60), false)
                .withEntrypoint(K3sImages.entrypoint(NODE_STANDIN)).onNetworkAs(K3sContainerSpec.NETWORK_ALIAS);
        String networkId;
        try (Network.NetworkImpl network = Network.builder().build()) {
            ContainerVault vault = ContainerVault.create(VAULT_SIDE_STANDIN, VaultMode.INIT, "Docker network "
                    + network.getName() + ", shared with the node stand-in", c -> c.withNetwork(network));
            try (K3sContainer node = spec.newContainer(network); vault) {
                node.start();
                vault.start(Duration.ofSeconds(60));
                networkId = network.getId();

                assertThat(node.getLogs()).contains("standin args: " + String.join(" ", spec.command(node.getHost())))
                        .contains("--tls-san=k3s", "--kube-apiserver-arg=service-account-issuer=https://k3s:6443",
                                "--kube-apiserver-arg=service-account-jwks-uri=https://k3s:6443/openid/v1/jwks");
                assertThat(node.getNetworkAliases()).contains("k3s");

                // From the Vault side, by the alias, as Vault fetches https://k3s:6443/...: name and connection.
                var viaAlias = vault.container().execInContainer("nc", "-w", "5", "k3s", "6443");
                assertThat(viaAlias.getStdout()).as("%s", viaAlias.getStderr()).contains("stand-in api server port");

                // The address pods are given: the Vault side's IP on the shared network, reachable from the node.
                String ip = vault.ipAddressOn(networkId).orElseThrow();
                // nc, not wget: Debian's static busybox 1.35 wget segfaults (exit 139) even for an IP address.
                var fromNode = node.execInContainer("sh", "-c", "printf 'GET /v1/sys/health HTTP/1.0\\r\\n\\r\\n' | nc -w 5 "
                        + ip + " " + ContainerVault.PORT);
                assertThat(fromNode.getStdout()).as("%s", fromNode.getStderr()).contains("standin");

                assertThat(vault.where()).contains(network.getName()).contains(VAULT_SIDE_STANDIN);
                assertThat(vault.address()).startsWith("http://" + node.getHost() + ":");
            }
        }
        try (DockerClient docker = DockerProbe.rawClient()) {
            assertThatThrownBy(() -> docker.inspectNetworkCmd().withNetworkId(networkId).exec())
                    .as("the network is removed with its containers").isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    @Timeout(120)
    void privilegedIsTheDefaultAndARefusalNamesTheSetting() throws Exception {
        K3sContainerSpec spec = new K3sContainerSpec(NODE_STANDIN, sideLoads(), Duration.ofSeconds(60))
                .withEntrypoint(K3sImages.entrypoint(NODE_STANDIN));
        try {
            K3sCluster cluster = K3sCluster.start(spec, List.of());
            cluster.close();
            fail("the stand-in's kubeconfig has no real certificates: K3sCluster should not get this far");
        } catch (VaultK8sTrustException e) {
            if (e.getMessage().startsWith("The k3s container")) {
                // This engine refuses privileged containers (as on this project's CI VM): the message says why.
                assertThat(e.getMessage()).contains("--privileged").contains("vaultk8s.k3s.privileged=false")
                        .contains("--cap-add=ALL --cap-drop=SYS_RESOURCE").contains("Kept for inspection in");
                System.out.println("privileged refused on this engine; message: " + e.getMessage());
            } else {
                throw e;
            }
        } catch (RuntimeException e) {
            // The engine ran the privileged container; building the client from the stand-in's fake kubeconfig
            // failed afterwards, as expected, and K3sCluster stopped the container (checked in @AfterAll).
            System.out.println("privileged container accepted on this engine; then: " + e);
        }
    }

    @Test
    @Timeout(60)
    void offlineThePreflightFailsWithinThirtySecondsListingTheCommands() {
        K3sOptions options = new K3sOptions(NODE_STANDIN,
                "vault-k8s-trust/vault-standin-that-is-not-here:0",
                List.of("rancher/mirrored-pause:3.6"), Path.of(System.getProperty("java.io.tmpdir")), false);
        long started = System.nanoTime();

        assertThatThrownBy(() -> K3sBackend.prepareImages(options))
                .isInstanceOf(VaultK8sTrustException.class)
                .satisfies(e -> {
                    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                    System.out.println("pre-flight failed after " + seconds + " s:\n" + e.getMessage());
                    assertThat(seconds).isLessThan(30);
                    assertThat(e.getMessage())
                            .contains("+ " + NODE_STANDIN)
                            .contains("- vault-k8s-trust/vault-standin-that-is-not-here:0")
                            .contains("docker pull vault-k8s-trust/vault-standin-that-is-not-here:0\n")
                            .contains("docker pull rancher/mirrored-pause:3.6\n")
                            .contains("docker load -i rancher_mirrored-pause_3.6.tar")
                            .contains("The Docker daemon said:\n  docker.io: ");
                    if (!ImagePreflight.ryukDisabled()) {
                        assertThat(e.getMessage()).contains("testcontainers/ryuk:0.14.0");
                    }
                });
    }

    @Test
    @Timeout(150)
    void ryukThatCannotStartIsNamedNotReportedAsNoDocker() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RyukUnavailableMain.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("TESTCONTAINERS_RYUK_DISABLED");
        // A Ryuk image no registry has, and a short pull timeout: the real failure, quickly.
        builder.environment().put("TESTCONTAINERS_RYUK_CONTAINER_IMAGE", "vault-k8s-trust/ryuk-not-here:0");
        builder.environment().put("TESTCONTAINERS_PULL_TIMEOUT", "5");
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        String message = output.lines().filter(l -> l.startsWith("MESSAGE: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no MESSAGE line from the child JVM:\n" + output));
        assertThat(message).contains("A Docker engine answers, but Testcontainers could not set it up")
                .contains("Ryuk").contains("TESTCONTAINERS_RYUK_DISABLED=true").doesNotContain("found none");
        assertThat(output).contains("PROBE: true");
    }

    @Test
    @Timeout(60)
    void anOfflineBundleRoundTripsImagesAndBinaries() throws Exception {
        String image = "vault-k8s-trust/bundle-roundtrip-standin:1";
        try (DockerClient docker = DockerProbe.rawClient()) {
            String id = docker.inspectImageCmd(BASE_STANDIN).exec().getId();
            docker.tagImageCmd(id, "vault-k8s-trust/bundle-roundtrip-standin", "1").exec();
            Path bundle = dir.resolve("bundle");
            List<Path> written = ImageBundle.saveImages(bundle,
                    List.of(new ImagePreflight.Needed(image, "round trip")));
            assertThat(written).containsExactly(bundle.resolve("images/vault-k8s-trust_bundle-roundtrip-standin_1.tar"));
            docker.removeImageCmd(image).exec();

            ImageBundle.loadImages(bundle);
            assertThat(docker.inspectImageCmd(image).exec().getId()).isEqualTo(id);
            docker.removeImageCmd(image).exec();

            Path binary = bundle.resolve("bin/etcd-v3.6.14-linux-amd64/etcd");
            Files.createDirectories(binary.getParent());
            Files.writeString(binary, "#!/bin/sh\n");
            Path cache = dir.resolve("cache");
            io.github.vaultk8strust.backend.local.BinaryBundle.loadBinaries(bundle, cache);
            assertThat(cache.resolve("bin/etcd-v3.6.14-linux-amd64/etcd")).isExecutable();
        }
    }

    private static String firstLine(String host, int port) throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 2000);
                socket.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (line != null) {
                    return line;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("nothing read from " + host + ":" + port, last);
    }
}
