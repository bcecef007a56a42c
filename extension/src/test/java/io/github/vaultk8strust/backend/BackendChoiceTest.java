package io.github.vaultk8strust.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.core.TrustSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTO picks backends by need. */
class BackendChoiceTest {

    @Test
    void podsNeedK3sWhenDockerAnswersAndLocalIsNotEvenAsked() {
        BackendChoice.Decision d = BackendChoice.auto(true, () -> fail("local must not be probed"), () -> true);
        assertThat(d.backend()).isEqualTo(Backend.K3S);
        assertThat(d.reason()).contains("needs pods");
    }

    @Test
    void podsWithoutDockerRunLocallyAndFollowTheK3sOnlyPolicy() {
        BackendChoice.Decision d = BackendChoice.auto(true, () -> true, () -> false);
        assertThat(d.backend()).isEqualTo(Backend.LOCAL);
        assertThat(d.reason()).contains("vaultk8s.k3s-only");
    }

    @Test
    void withoutPodsLocalWinsWhenItsServersCanBeHadAndDockerIsNotAsked() {
        BackendChoice.Decision d = BackendChoice.auto(false, () -> true, () -> fail("Docker must not be probed"));
        assertThat(d.backend()).isEqualTo(Backend.LOCAL);
    }

    @Test
    void withoutLocalServersK3sWhenDockerAnswersElseLocalWhichSaysWhatIsMissing() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(BackendChoice.auto(false, () -> false, () -> asked.incrementAndGet() > 0).backend())
                .isEqualTo(Backend.K3S);
        assertThat(asked).hasValue(1);
        BackendChoice.Decision none = BackendChoice.auto(false, () -> false, () -> false);
        assertThat(none.backend()).isEqualTo(Backend.LOCAL);
        assertThat(none.reason()).contains("cannot be had").contains("no Docker");
    }

    @Test
    void localServersCanBeHadWhenDownloadIsAllowedOrAllAreFound(@TempDir Path cache) {
        Map<String, String> emptyPath = Map.of("PATH", cache.toString());
        assertThat(BackendChoice.localServersObtainable(
                new TrustSettings.LocalOptions(Map.of(), cache, true, false), emptyPath)).isTrue();
        assertThat(BackendChoice.localServersObtainable(
                new TrustSettings.LocalOptions(Map.of(), cache, false, true), emptyPath)).as("no go on PATH").isFalse();
        assertThat(BackendChoice.localServersObtainable(
                new TrustSettings.LocalOptions(Map.of(), cache, false, false), emptyPath)).isFalse();
    }
}
