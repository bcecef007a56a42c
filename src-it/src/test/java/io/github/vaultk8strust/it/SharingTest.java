package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.assertNothingLeft;
import static io.github.vaultk8strust.it.ItSupport.directoryOf;
import static io.github.vaultk8strust.it.ItSupport.environmentDirs;
import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static io.github.vaultk8strust.it.ItSupport.liveDescendants;
import static io.github.vaultk8strust.it.ItSupport.newDescendants;
import static io.github.vaultk8strust.it.ItSupport.refusesConnections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.it.ItSupport.TmpDirWatch;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Test classes with equal settings share one environment, classes with different settings get their own, and
 * everything is stopped and deleted when the run (here: one EngineTestKit execution) ends.
 */
class SharingTest {

    /** What one fixture saw while its environment was running. */
    record Seen(String fixture, TrustEnvironment environment, String vaultAddress, String apiServerUrl,
                Path directory, String keyShares, Map<Long, String> processes) {
    }

    private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    private static volatile Set<Long> descendantsBefore = Set.of();

    private static void record(String fixture, TrustEnvironment environment) throws Exception {
        Path directory = directoryOf(environment);
        assertThat(directory).isDirectory();
        HttpResponse<String> sealStatus = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(environment.vaultAddress() + "/v1/sys/seal-status")).build(),
                HttpResponse.BodyHandlers.ofString());
        // Both modes keep their storage in memory; an initialised server has the walkthrough's 5 shares, threshold 3,
        // dev mode 1 of 1.
        com.fasterxml.jackson.databind.JsonNode status = new ObjectMapper().readTree(sealStatus.body());
        String keyShares = status.path("t").asText() + " of " + status.path("n").asText();
        SEEN.add(new Seen(fixture, environment, environment.vaultAddress(), environment.apiServerUrl(), directory,
                keyShares, newDescendants(descendantsBefore)));
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class SeedA {
        @Test
        void record(TrustEnvironment environment) throws Exception {
            SharingTest.record("A", environment);
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL)
    static class SeedB {
        @Test
        void record(TrustEnvironment environment) throws Exception {
            SharingTest.record("B", environment);
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL, vaultMode = VaultMode.DEV)
    static class DevC {
        @Test
        void recordAndUseDevVault(TrustEnvironment environment, @VaultLogin Vault workload) throws Exception {
            SharingTest.record("C", environment);
            // The seed's trust works the same on a dev-mode Vault: the workload writes and reads its own path.
            assertThat(workload.logical().write("kvv2/k8s-dev/from-c", Map.of("mode", "dev")).getRestResponse()
                    .getStatus()).isEqualTo(200);
            assertThat(workload.logical().read("kvv2/k8s-dev/from-c").getData()).containsEntry("mode", "dev");
            assertThat(forbidden(workload)).isEqualTo(403);
        }

        private static int forbidden(Vault workload) throws VaultException {
            return workload.logical().write("kvv2/elsewhere", Map.of("mode", "dev")).getRestResponse().getStatus();
        }
    }

    @Test
    void equalSettingsShareOneEnvironmentDifferentSettingsGetTheirOwnAndAllIsStoppedAtTheEnd() throws Exception {
        SEEN.clear();
        Set<Long> before = liveDescendants();
        descendantsBefore = before;
        Set<Path> dirsBefore = environmentDirs();

        EngineExecutionResults results;
        List<String> created;
        try (TmpDirWatch watch = TmpDirWatch.start()) {
            results = jupiter()
                    .selectors(selectClass(SeedA.class), selectClass(SeedB.class), selectClass(DevC.class))
                    .execute();
            created = watch.createdEnvironmentDirs();
        }

        results.containerEvents().assertStatistics(stats -> stats.failed(0).aborted(0));
        results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3).failed(0).aborted(0));
        Seen a = seen("A");
        Seen b = seen("B");
        Seen c = seen("C");

        // A and B: one environment.
        assertThat(b.environment()).isSameAs(a.environment());
        assertThat(b.vaultAddress()).isEqualTo(a.vaultAddress());
        assertThat(b.apiServerUrl()).isEqualTo(a.apiServerUrl());
        assertThat(b.directory()).isEqualTo(a.directory());
        assertThat(a.keyShares()).as("A's Vault unseal keys (initialised server)").isEqualTo("3 of 5");
        // C: another one, with a dev-mode Vault.
        assertThat(c.environment()).isNotSameAs(a.environment());
        assertThat(c.vaultAddress()).isNotEqualTo(a.vaultAddress());
        assertThat(c.apiServerUrl()).isNotEqualTo(a.apiServerUrl());
        assertThat(c.directory()).isNotEqualTo(a.directory());
        assertThat(c.keyShares()).as("C's Vault unseal keys (dev mode)").isEqualTo("1 of 1");
        // Exactly two environments were started in this run, no third for B.
        assertThat(created).containsExactlyInAnyOrder(a.directory().getFileName().toString(),
                c.directory().getFileName().toString());

        // Whichever fixture ran last saw both environments' servers running: two of each (besides their
        // supervisor shells).
        Map<Long, String> servers = new TreeMap<>();
        SEEN.forEach(s -> servers.putAll(s.processes()));
        assertThat(servers.values()).filteredOn(name -> !ItSupport.isShell(name))
                .map(name -> name.equals("bao") ? "vault" : name)
                .containsExactlyInAnyOrder("etcd", "etcd", "kube-apiserver", "kube-apiserver", "vault", "vault");

        // The execution is over: its root store closed both environments.
        assertThat(servers.keySet()).as("server processes " + servers).noneMatch(ItSupport::isAlive);
        for (Seen s : List.of(a, c)) {
            assertThat(refusesConnections(s.vaultAddress())).as("Vault at " + s.vaultAddress() + " refuses").isTrue();
            assertThat(refusesConnections(s.apiServerUrl())).as("API server at " + s.apiServerUrl() + " refuses")
                    .isTrue();
            assertThat(s.directory()).doesNotExist();
        }
        assertNothingLeft(before, dirsBefore);
    }

    private static Seen seen(String fixture) {
        List<Seen> matching = SEEN.stream().filter(s -> s.fixture().equals(fixture)).toList();
        assertThat(matching).as("records of fixture " + fixture).hasSize(1);
        return matching.get(0);
    }
}
