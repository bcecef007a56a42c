package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.assertNothingLeft;
import static io.github.vaultk8strust.it.ItSupport.classFailure;
import static io.github.vaultk8strust.it.ItSupport.environmentDirs;
import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static io.github.vaultk8strust.it.ItSupport.liveDescendants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.it.ItSupport.TmpDirWatch;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * An environment whose trust setup fails is started once per run: the first class gets the real failure, later
 * classes with the same settings fail at once, pointing at it, and the servers it started are all stopped.
 */
class FailedStartTest {

    /** Vault parses this HCL but refuses the capability, so the failure comes from Vault itself. */
    static final String BROKEN_HCL = "path \"kvv2/*\" { capabilities = [\"fly\"] }";

    @VaultK8sTrust(backend = Backend.LOCAL, vaultMode = VaultMode.DEV,
            policies = @VaultPolicy(name = "broken", hcl = BROKEN_HCL))
    static class BrokenPolicyF1 {
        @Test
        void neverRuns() {
        }
    }

    @VaultK8sTrust(backend = Backend.LOCAL, vaultMode = VaultMode.DEV,
            policies = @VaultPolicy(name = "broken", hcl = BROKEN_HCL))
    static class BrokenPolicyF2 {
        @Test
        void neverRuns() {
        }
    }

    @Test
    void aFailedStartIsReportedOnceAndNotRetriedForEqualSettings() throws Exception {
        Set<Long> descendantsBefore = liveDescendants();
        Set<Path> dirsBefore = environmentDirs();

        EngineExecutionResults results;
        List<String> created;
        try (TmpDirWatch watch = TmpDirWatch.start()) {
            results = jupiter().selectors(selectClass(BrokenPolicyF1.class), selectClass(BrokenPolicyF2.class))
                    .execute();
            created = watch.createdEnvironmentDirs();
        }

        results.testEvents().assertStatistics(stats -> stats.started(0));
        Throwable f1 = classFailure(results, BrokenPolicyF1.class);
        Throwable f2 = classFailure(results, BrokenPolicyF2.class);
        assertThat(f1).isExactlyInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("Vault rejected policy \"broken\" (from inline HCL), HTTP 400")
                // Vault's own words:
                .hasMessageContaining("failed to parse policy: path \"kvv2/*\": invalid capability \"fly\"")
                .hasMessageContaining("vault policy fmt");
        assertThat(f2).isExactlyInstanceOf(VaultK8sTrustException.class)
                .hasMessageContaining("failed to start earlier in this run")
                .hasMessageContaining("invalid capability \"fly\"")
                .cause().isSameAs(f1);

        // One environment was started (for F1) and none for F2; it is gone, with its processes.
        assertThat(created).as("environment directories created during the run").hasSize(1);
        assertThat(ItSupport.tmpDir().resolve(created.get(0))).doesNotExist();
        assertNothingLeft(descendantsBefore, dirsBefore);
    }
}
