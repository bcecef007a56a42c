package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.LogMessageWaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/** The k3s container's configuration, checked without a Docker engine. */
class K3sContainerSpecTest {

    /** A container that is never started; it only shows what was configured. */
    static final class Unstarted extends GenericContainer<Unstarted> {

        Unstarted() {
            super(DockerImageName.parse("rancher/k3s:v1.34.1-k3s1"));
            // What K3sContainer's constructor does besides privileged mode: ports, the host's cgroup namespace and
            // its /sys/fs/cgroup.
            addExposedPorts(6443, 8443);
            withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCgroupnsMode("host"));
            addFileSystemBind("/sys/fs/cgroup", "/sys/fs/cgroup", org.testcontainers.containers.BindMode.READ_WRITE);
            addFileSystemBind("/tmp", "/tmp-of-host", org.testcontainers.containers.BindMode.READ_ONLY);
        }

        WaitStrategy waitStrategy() {
            return getWaitStrategy();
        }
    }

    @TempDir
    Path dir;

    @Test
    void commandKeepsK3sContainerFlagsAndTurnsAnonymousAuthOn() {
        K3sContainerSpec spec = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(90));

        assertThat(spec.command("localhost")).containsExactly("server", "--disable=traefik,metrics-server,servicelb",
                "--tls-san=localhost", "--kube-apiserver-arg=anonymous-auth=true",
                "--kube-apiserver-arg=service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--kube-apiserver-arg=service-account-jwks-uri=https://kubernetes.default.svc.cluster.local/openid/v1/jwks");
        Unstarted container = spec.applyTo(new Unstarted(), "docker.example.com");
        assertThat(container.getCommandParts()).startsWith("server", "--disable=traefik,metrics-server,servicelb",
                "--tls-san=docker.example.com", "--kube-apiserver-arg=anonymous-auth=true");
    }

    @Test
    void onADockerNetworkTheAliasIsTheIssuerTheJwksUriAndASubjectAlternativeName() {
        K3sContainerSpec spec = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(90))
                .onNetworkAs("k3s");

        assertThat(spec.issuer()).isEqualTo("https://k3s:6443");
        assertThat(spec.jwksUri()).isEqualTo("https://k3s:6443/openid/v1/jwks");
        assertThat(spec.command("localhost")).containsExactly("server", "--disable=traefik,metrics-server,servicelb",
                "--tls-san=localhost", "--tls-san=k3s", "--kube-apiserver-arg=anonymous-auth=true",
                "--kube-apiserver-arg=service-account-issuer=https://k3s:6443",
                "--kube-apiserver-arg=service-account-jwks-uri=https://k3s:6443/openid/v1/jwks");
        assertThat(spec.privileged()).isTrue();

        org.testcontainers.containers.Network network = org.testcontainers.containers.Network.newNetwork();
        Unstarted container = spec.joinNetwork(spec.applyTo(new Unstarted(), "docker.example.com"), network);
        assertThat(container.getNetwork()).isSameAs(network);
        assertThat(container.getNetworkAliases()).contains("k3s");
        assertThat(container.getCommandParts()).contains("--tls-san=docker.example.com", "--tls-san=k3s",
                "--kube-apiserver-arg=service-account-issuer=https://k3s:6443");
    }

    @Test
    void inTheClusterTheIssuerIsK3sOwn() {
        K3sContainerSpec spec = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(90));

        assertThat(spec.networkAlias()).isEmpty();
        assertThat(spec.issuer()).isEqualTo(K3sContainerSpec.ISSUER).isEqualTo(K3sContainerSpec.issuer(""))
                .isEqualTo("https://kubernetes.default.svc.cluster.local");
        // k3s's kube-apiserver sits behind its supervisor: the JWKS URI is pinned to the issuer's, which Vault's pod
        // reaches through the kubernetes Service, instead of one derived from the API server's own address.
        assertThat(spec.jwksUri()).isEqualTo("https://kubernetes.default.svc.cluster.local/openid/v1/jwks");
        assertThat(spec.command("localhost")).contains(
                "--kube-apiserver-arg=service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--kube-apiserver-arg=service-account-jwks-uri=https://kubernetes.default.svc.cluster.local/openid/v1/jwks");
    }

    @Test
    void exposesTheApiServerAndVaultNodePortKeepingExistingPorts() {
        Unstarted container = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(90))
                .applyTo(new Unstarted(), "localhost");

        assertThat(container.getExposedPorts()).containsExactly(6443, 8443, 30820);
        assertThat(K3sContainerSpec.VAULT_NODE_PORT).isEqualTo(30820)
                .isEqualTo(VaultManifests.nodePortService(K3sContainerSpec.VAULT_NODE_PORT).getSpec().getPorts().get(0)
                        .getNodePort());
    }

    @Test
    void waitsForTheNodeControllerWithinTheStartupBudget() {
        Unstarted container = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(75))
                .applyTo(new Unstarted(), "localhost");

        assertThat(container.waitStrategy()).isInstanceOf(LogMessageWaitStrategy.class)
                .extracting("regEx", "times", "startupTimeout")
                .containsExactly(".*Node controller sync successful.*", 1, Duration.ofSeconds(75));
    }

    @Test
    void sideLoadsImageTarballsIntoTheAutoImportDirectoryBeforeStart() throws IOException {
        Path vault = Files.writeString(dir.resolve("vault.tar"), "not really a tarball");
        Path pause = Files.writeString(dir.resolve("pause.tar"), "neither");
        K3sContainerSpec spec = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(
                K3sContainerSpec.SideLoad.of("hashicorp/vault:1.20", vault),
                K3sContainerSpec.SideLoad.of("mirror.example.com:5000/rancher/mirrored-pause:3.6", pause)),
                Duration.ofSeconds(90));

        Unstarted container = spec.applyTo(new Unstarted(), "localhost");

        Map<String, String> copies = container.getCopyToFileContainerPathMap().entrySet().stream()
                .collect(Collectors.toMap(e -> Path.of(e.getKey().getResolvedPath()).getFileName().toString(),
                        Map.Entry::getValue));
        assertThat(copies).containsOnly(
                Map.entry("vault.tar", "/var/lib/rancher/k3s/agent/images/hashicorp_vault_1.20.tar"),
                Map.entry("pause.tar",
                        "/var/lib/rancher/k3s/agent/images/mirror.example.com_5000_rancher_mirrored-pause_3.6.tar"));
        assertThat(container.getCopyToFileContainerPathMap().keySet()).extracting(MountableFile::getFileMode)
                .allSatisfy(mode -> assertThat(mode & 0777).isEqualTo(0644));
    }

    @Test
    void anyImageNameIsAcceptedAsK3s() {
        DockerImageName name = new K3sContainerSpec("mirror.example.com/team/k3s-patched:1", List.of(),
                Duration.ofSeconds(1)).dockerImageName();

        assertThat(name.isCompatibleWith(DockerImageName.parse("rancher/k3s"))).isTrue();
        assertThat(name.asCanonicalNameString()).isEqualTo("mirror.example.com/team/k3s-patched:1");
    }

    @Test
    void issuerIsK3sWithoutTrailingSlash() {
        assertThat(K3sContainerSpec.ISSUER).isEqualTo("https://kubernetes.default.svc.cluster.local");
    }

    @Test
    void pullFailureNamesImageAndRegistry() {
        assertThat(K3sImages.pullFailure("hashicorp/vault:9.99", new RuntimeException("manifest unknown")))
                .startsWith("Cannot pull image hashicorp/vault:9.99 from registry docker.io (Docker Hub) through the "
                        + "host Docker engine: manifest unknown.");
        assertThat(K3sImages.registry("mirror.example.com:5000/rancher/k3s:v1")).isEqualTo(
                "registry mirror.example.com:5000");
        assertThat(K3sImages.registry("quay.io/openbao/openbao:2.4")).isEqualTo("registry quay.io");
    }

    /** What the container-create modifiers set: the host config, and the entrypoint when one is set. */
    record Created(com.github.dockerjava.api.model.HostConfig hostConfig, List<String> entrypoint) {
    }

    private Created create(Unstarted container) {
        var hostConfig = new com.github.dockerjava.api.model.HostConfig();
        List<List<String>> entrypoint = new java.util.ArrayList<>();
        var cmd = (com.github.dockerjava.api.command.CreateContainerCmd) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {com.github.dockerjava.api.command.CreateContainerCmd.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getHostConfig")) {
                        return hostConfig;
                    }
                    if (method.getName().equals("withEntrypoint") && args[0] instanceof List<?> list) {
                        entrypoint.add(list.stream().map(String::valueOf).toList());
                    }
                    return proxy;
                });
        container.getCreateContainerCmdModifiers().forEach(m -> m.modify(cmd));
        return new Created(hostConfig, entrypoint.isEmpty() ? null : entrypoint.get(entrypoint.size() - 1));
    }

    @Test
    void everyNodeGetsAPrivateCgroupNamespaceInsteadOfTheHostsCgroups() {
        for (boolean privileged : List.of(true, false)) {
            Unstarted container = new Unstarted().withPrivilegedMode(true);
            new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(9), privileged)
                    .applyTo(container, "localhost");

            // K3sContainer's own modifier (host) runs first; ours overrides it.
            assertThat(create(container).hostConfig().getCgroupnsMode()).as("privileged=%s", privileged)
                    .isEqualTo("private");
            assertThat(container.getBinds()).extracting(b -> b.getVolume().getPath())
                    .as("privileged=%s", privileged).containsExactly("/tmp-of-host");
        }
    }

    @Test
    void privilegedByDefaultElseEveryCapabilityButSysResourceAndThePrologueBeforeTheImagesEntrypoint() {
        K3sContainerSpec privileged = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(9));
        assertThat(privileged.privileged()).isTrue();
        assertThat(privileged.securityFlags()).containsExactly("--privileged", "--cgroupns=private");
        Unstarted privilegedContainer = new Unstarted().withPrivilegedMode(true);
        privileged.applyTo(privilegedContainer, "localhost");
        assertThat(create(privilegedContainer).entrypoint()).as("the image's own entrypoint").isNull();

        Unstarted container = new Unstarted().withPrivilegedMode(true);
        K3sContainerSpec spec = new K3sContainerSpec("vault-k8s-trust/k8s-node-standin:v1.34.10", List.of(),
                Duration.ofSeconds(9), false).withEntrypoint(List.of("/usr/local/bin/node-standin"));
        spec.applyTo(container, "localhost");
        assertThat(container.isPrivilegedMode()).isFalse();
        Created created = create(container);
        assertThat(created.hostConfig().getCapAdd()).containsExactly(com.github.dockerjava.api.model.Capability.ALL);
        assertThat(created.hostConfig().getCapDrop())
                .containsExactly(com.github.dockerjava.api.model.Capability.SYS_RESOURCE);
        assertThat(created.hostConfig().getSecurityOpts()).containsExactly("seccomp=unconfined",
                "apparmor=unconfined");
        assertThat(created.hostConfig().getDevices()).extracting(d -> d.getPathOnHost() + ":" + d.getPathInContainer()
                + ":" + d.getcGroupPermissions()).containsExactly("/dev/kmsg:/dev/kmsg:r");
        // sh -c PROLOGUE $0 entrypoint..., then Docker appends the command (server --disable=...).
        assertThat(created.entrypoint()).containsExactly("/bin/sh", "-c", K3sContainerSpec.NODE_PROLOGUE,
                "vault-k8s-trust-node-prologue", "/usr/local/bin/node-standin");
        assertThat(container.getCommandParts()).startsWith("server");
        assertThat(K3sContainerSpec.NODE_PROLOGUE).contains("mount -o remount,bind,rw").contains("/proc/sys")
                .contains("cgroup").endsWith("exec \"$@\"");
        // rancher/k3s's entrypoint when the backend could not read one.
        assertThat(new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(9), false)
                .nonPrivilegedEntrypoint()).endsWith("/bin/k3s");
    }

    @Test
    void aRefusedPrivilegedContainerNamesTheSetting() {
        K3sContainerSpec spec = new K3sContainerSpec("rancher/k3s:v1.34.1-k3s1", List.of(), Duration.ofSeconds(9));
        String message = K3sCluster.startFailure(spec, new RuntimeException("Container startup failed",
                new RuntimeException("OCI runtime create failed: runc create failed: unable to start container "
                        + "process: unable to apply caps: operation not permitted")));

        assertThat(message).contains("unable to apply caps: operation not permitted")
                .contains("refused the privileged container")
                .contains("vaultk8s.k3s.privileged=false").contains("VAULTK8S_K3S_PRIVILEGED=false")
                .contains("--cap-add=ALL --cap-drop=SYS_RESOURCE");
    }

    @Test
    void sideLoadNamesAreTheRequestedNamesAndDigestsGetALocalTag() {
        assertThat(K3sImages.sideLoadName("rancher/mirrored-pause:3.6")).isEqualTo("rancher/mirrored-pause:3.6");
        assertThat(K3sImages.sideLoadName("hashicorp/vault@sha256:0123456789abcdef0123")).isEqualTo(
                "hashicorp/vault:pinned-0123456789ab");
        assertThat(K3sImages.sideLoadName("mirror.example.com:5000/hashicorp/vault:1.20@sha256:abcdef0123456789"))
                .isEqualTo("mirror.example.com:5000/hashicorp/vault:pinned-abcdef012345");
        // Without a substitutor configured, the name pulled is the name given.
        assertThat(K3sImages.resolvedName("rancher/mirrored-pause:3.6")).isEqualTo("rancher/mirrored-pause:3.6");
    }
}
