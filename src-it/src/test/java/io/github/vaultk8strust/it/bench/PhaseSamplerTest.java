package io.github.vaultk8strust.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The phase profile names ready-waits by the server waited for, not by a source line number. */
class PhaseSamplerTest {

    private static StackTraceElement frame(String cls, String method, int line) {
        return new StackTraceElement("io.github.vaultk8strust." + cls, method, cls + ".java", line);
    }

    private static StackTraceElement[] waitingIn(String localBackendMethod) {
        return new StackTraceElement[] {
            frame("support.Readiness", "await", 60),
            frame("backend.local.ManagedProcess", "awaitReady", 300),
            frame("backend.local.LocalBackend", localBackendMethod, 1234),
            frame("backend.local.LocalBackend", "startServers", 240),
        };
    }

    @Test
    void aReadyWaitIsNamedAfterItsServer() {
        assertThat(PhaseSampler.classify(waitingIn("awaitEtcd"))).isEqualTo("servers: wait for etcd /health");
        assertThat(PhaseSampler.classify(waitingIn("awaitApiServer")))
                .isEqualTo("servers: wait for kube-apiserver /readyz");
        assertThat(PhaseSampler.classify(waitingIn("awaitVaultProcess")))
                .isEqualTo("servers: wait for vault /v1/sys/health");
    }

    @Test
    void theNameDoesNotDependOnLineNumbers() {
        StackTraceElement[] moved = waitingIn("awaitApiServer");
        moved[2] = frame("backend.local.LocalBackend", "awaitApiServer", 9);
        assertThat(PhaseSampler.classify(moved)).isEqualTo(PhaseSampler.classify(waitingIn("awaitApiServer")))
                .doesNotContain("9");
    }
}
