package io.github.vaultk8strust.backend.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class K3sClusterTimesTest {

    @Test
    void theCopyBeforeTheNodeStartsIsTheTimeBetweenTheEnginesCreatedAndStartedAt() {
        // As Docker 20.10 writes them: RFC 3339 with nanoseconds.
        assertThat(K3sCluster.createdToStarted("2026-12-03T08:45:30.123456789Z", "2026-12-03T08:45:51.623456789Z"))
                .contains(Duration.ofMillis(21_500));
    }

    @Test
    void aMissingOrUnreadableRecordGivesNothingRatherThanANumber() {
        // A container that never started has StartedAt 0001-01-01T00:00:00Z, before its creation.
        assertThat(K3sCluster.createdToStarted("2026-12-03T08:45:30Z", "0001-01-01T00:00:00Z")).isEmpty();
        assertThat(K3sCluster.createdToStarted(null, "2026-12-03T08:45:30Z")).isEmpty();
        assertThat(K3sCluster.createdToStarted("yesterday", "2026-12-03T08:45:30Z")).isEmpty();
    }
}
