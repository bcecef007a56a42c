package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultRoot;
import io.github.vaultk8strust.verify.Capability;
import io.github.vaultk8strust.verify.CapabilityProbe;
import io.github.vaultk8strust.verify.TrustAssertions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Capability assertions on a real token: passes, failure messages, and that no probe changes a secret. */
@VaultK8sTrust(backend = Backend.LOCAL)
class TrustAssertionsTest {

    @Test
    void theSeedPolicyHoldsAndNoProbeWritesAnything(@VaultLogin(role = "k8s-dev") VaultSession workload,
                                                    @VaultRoot Vault root) throws VaultException {
        root.logical().write("kvv2/k8s-dev/untouched", Map.of("v", "1"));

        TrustAssertions.assertThat(workload)
                .mayAll("kvv2/data/k8s-dev/untouched", Capability.CREATE, Capability.READ, Capability.UPDATE,
                        Capability.PATCH, Capability.DELETE)
                .may("list", "kvv2/metadata/k8s-dev")
                .mayNot("sudo", "kvv2/data/k8s-dev/untouched")
                .mayNone("kvv2/data/some-secret")
                .mayNone("sys/mounts/kvv2");

        var after = root.logical().read("kvv2/k8s-dev/untouched");
        assertThat(after.getData()).containsExactly(Map.entry("v", "1"));
        assertThat(after.getDataMetadata().getVersion()).isEqualTo(1L);
        assertThat(root.logical().read("kvv2/some-secret").getRestResponse().getStatus()).isEqualTo(404);
    }

    @Test
    void aWrongMayNamesPoliciesCapabilitiesAndPath(@VaultLogin(role = "k8s-dev") VaultSession workload) {
        assertThatThrownBy(() -> TrustAssertions.assertThat(workload).may("update", "kvv2/data/other"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("k8s-dev may update kvv2/data/other: expected allow, but sys/capabilities-self denies it\n"
                        + "  path tested:  kvv2/data/other\n"
                        + "  capabilities: [deny] (sys/capabilities-self)\n"
                        + "  policies:     [default, k8s-dev-writer]\n"
                        + "  real request: not sent");
    }

    @Test
    void aWrongMayNotNamesTheCapabilitiesGranted(@VaultLogin(role = "k8s-dev") VaultSession workload) {
        assertThatThrownBy(() -> TrustAssertions.assertThat(workload).mayNot("read", "kvv2/data/k8s-dev/foo"))
                .hasMessageStartingWith("k8s-dev may not read kvv2/data/k8s-dev/foo: expected deny, but "
                        + "sys/capabilities-self allows it\n")
                .hasMessageContaining("  capabilities: [create, delete, patch, read, update]");
    }

    @Test
    void realRequestsBackTheCapabilityCheck(@VaultLogin(role = "k8s-dev") VaultSession workload) {
        assertThat(CapabilityProbe.check(workload, Capability.READ, "kvv2/data/k8s-dev/nothing-here", true).request())
                .startsWith("GET kvv2/data/k8s-dev/nothing-here -> HTTP 404");
        assertThat(CapabilityProbe.check(workload, Capability.READ, "kvv2/data/some-secret", false).request())
                .startsWith("GET kvv2/data/some-secret -> HTTP 403").contains("permission denied");
        assertThat(CapabilityProbe.check(workload, Capability.LIST, "kvv2/data/k8s-dev", false).request())
                .startsWith("LIST kvv2/data/k8s-dev -> HTTP 403");
        assertThat(CapabilityProbe.check(workload, Capability.UPDATE, "kvv2/data/other", false).request())
                .startsWith("POST (KV v2 write) kvv2/data/other -> HTTP 403");
        assertThat(CapabilityProbe.check(workload, Capability.DELETE, "kvv2/metadata/k8s-dev/foo", false).request())
                .startsWith("DELETE kvv2/metadata/k8s-dev/foo -> HTTP 403");
        // Allowed writes are checked through sys/capabilities-self only: a check never changes a secret.
        assertThat(CapabilityProbe.check(workload, Capability.CREATE, "kvv2/data/k8s-dev/foo", true).request())
                .isEqualTo("not sent");
    }

    @Test
    void unknownCapabilitiesAreRefused(@VaultLogin(role = "k8s-dev") VaultSession workload) {
        assertThatThrownBy(() -> TrustAssertions.assertThat(workload).may("write", "kvv2/data/k8s-dev/foo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown capability \"write\"; valid capabilities: create, read, update, patch, delete, "
                        + "list, sudo");
    }
}
