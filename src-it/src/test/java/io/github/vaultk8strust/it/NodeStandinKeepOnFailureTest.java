package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.junit.InClusterWorkload;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a failed k3s environment leaves to read, on the NODE STAND-IN (not k3s; {@link NodeStandin}): a start that
 * fails keeps the node's log, Vault's log, the events and the pods under {@code target/vault-k8s-trust-diagnostics}
 * and says where in its message; with {@code vaultk8s.keep-on-failure}, so does an environment whose tests failed, when
 * it closes. The second case runs through the annotation, its injections (a workload pod) included.
 */
@EnabledIf(value = "io.github.vaultk8strust.it.NodeStandin#built", disabledReason = NodeStandin.NOT_BUILT)
class NodeStandinKeepOnFailureTest {

    private static final Path KEPT = Path.of("target", "vault-k8s-trust-diagnostics").toAbsolutePath();

    @Test
    void aFailedStartKeepsTheNodesAndVaultsLogsAndSaysWhere() throws IOException {
        Set<Path> before = kept();
        // Vault's image is a shell without Vault: the Vault pod never becomes ready.
        assertThatThrownBy(() -> NodeStandin.builder().vaultMode(VaultMode.DEV)
                .setting(ConfigKeys.K3S_VAULT_IMAGE_KEY, "vault-k8s-trust/busybox-standin:1")
                .startupTimeout(Duration.ofSeconds(90)).start())
                .hasMessageContaining("vault-0").hasMessageContaining("did not become ready")
                .hasMessageContaining("Kept for inspection in " + KEPT)
                .satisfies(e -> {
                    Path dir = keptDir(e.getMessage());
                    assertThat(Files.readString(dir.resolve("failure.txt"))).contains("did not become ready");
                    assertThat(Files.readString(dir.resolve("node.log"))).contains("node-standin:")
                            .contains("Node controller sync successful");
                    assertThat(Files.readString(dir.resolve("pods.txt"))).contains("default/vault-0");
                    assertThat(Files.readString(dir.resolve("events.txt"))).contains("vault-0");
                    assertThat(dir.resolve("vault.log")).exists();
                    deleteTree(dir);
                });

    }

    @VaultK8sTrust(backend = Backend.K3S, vaultMode = VaultMode.DEV)
    static class Fixture {

        @Test
        void podLogsIn(@InClusterWorkload Workload pod) {
            ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev",
                    "jwt=@/service-account/token");
            assertThat(login.exitCode()).as("%s", login).isZero();
        }

        @Test
        void failsOnPurpose() {
            fail("deliberately failed by NodeStandinKeepOnFailureTest");
        }
    }

    @Test
    void withKeepOnFailureATestThatFailedKeepsTheEnvironmentsLogsWhenItCloses() throws IOException {
        VaultStandinImage.ensure();
        Set<Path> before = kept();

        EngineExecutionResults results = jupiter()
                .configurationParameter(ConfigKeys.K3S_IMAGE_KEY, NodeStandin.NODE_IMAGE)
                .configurationParameter(ConfigKeys.K3S_SYSTEM_IMAGES_KEY, String.join(",", NodeStandin.SYSTEM_IMAGES))
                .configurationParameter(ConfigKeys.K3S_VAULT_IMAGE_KEY, VaultStandinImage.IMAGE)
                .configurationParameter(ConfigKeys.K3S_PRIVILEGED_KEY, "false")
                .configurationParameter(ConfigKeys.KEEP_ON_FAILURE_KEY, "true")
                .selectors(selectClass(Fixture.class)).execute();

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        Set<Path> added = new HashSet<>(kept());
        added.removeAll(before);
        assertThat(added).hasSize(1);
        Path dir = added.iterator().next();
        assertThat(Files.readString(dir.resolve("failure.txt"))).contains("Fixture.failsOnPurpose()")
                .contains("deliberately failed").doesNotContain("podLogsIn");
        assertThat(Files.readString(dir.resolve("node.log"))).contains("node-standin:");
        assertThat(Files.readString(dir.resolve("pods.txt"))).contains("default/vault-0");
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Set<Path> kept() throws IOException {
        if (!Files.isDirectory(KEPT)) {
            return Set.of();
        }
        try (Stream<Path> dirs = Files.list(KEPT)) {
            return dirs.collect(Collectors.toSet());
        }
    }

    private static Path keptDir(String message) {
        Matcher m = Pattern.compile("Kept for inspection in (\\S+):").matcher(message);
        assertThat(m.find()).as("the message names the directory: %s", message).isTrue();
        return Path.of(m.group(1));
    }
}
