package io.github.vaultk8strust.samples;

// tag::matrix[]
import static org.assertj.core.api.Assertions.assertThat;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.junit.TrustMatrix;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.verify.AdversarialTokens;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A library author's compatibility test: the same class, the library's login and its policy, on two Kubernetes
 * minors and two Vault minors. JUnit reports four invocations, e.g. {@code [kubernetes 1.33.13, vault 1.19.5]}, each
 * with its own environment.
 */
@TrustMatrix(kubernetes = {"1.33", "1.34"}, vault = {"1.19", "1.21"})
@VaultK8sTrust
class CompatibilityMatrixSampleTest {

    @Test // what your client library does: log in as the workload, write and read its secret
    void ourClientLogsInAndReadsItsSecret(@VaultLogin(role = "k8s-dev") Vault vault) throws VaultException {
        vault.logical().write("kvv2/k8s-dev/config", Map.of("url", "https://db.internal"));

        assertThat(vault.logical().read("kvv2/k8s-dev/config").getData()).containsEntry("url", "https://db.internal");
    }

    @Test // and on every version, only the real workload gets in
    void onlyTheRealWorkloadGetsIn(TrustEnvironment environment) {
        assertThat(AdversarialTokens.against(environment, "k8s-dev").assertAllRejected().summary())
                .as("kubernetes %s, vault %s", environment.kubernetesVersion(), environment.vaultVersion())
                .isEqualTo("9 tried, 0 accepted");
    }
}
// end::matrix[]
