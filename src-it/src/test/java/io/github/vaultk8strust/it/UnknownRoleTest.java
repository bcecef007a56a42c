package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.jupiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.jopenlibs.vault.Vault;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A login with a role the environment does not declare, or a parameter the extension claims but cannot serve,
 * fails that one test, saying what is accepted.
 */
class UnknownRoleTest {

    @VaultK8sTrust(backend = Backend.LOCAL, vaultMode = VaultMode.DEV)
    static class UnknownRoleFixture {
        @Test
        void unknownRole(@VaultLogin(role = "nope") Vault vault) {
        }

        @Test
        void seedRole(@VaultLogin Vault vault) {
        }

        @Test
        void kubeAdminAsString(@KubeAdmin String kube) {
        }

        @Test
        void sessionWithoutQualifier(VaultSession session) {
        }
    }

    @Test
    void anUnknownRoleFailsParameterResolutionAndListsTheConfiguredRoles() {
        EngineExecutionResults results = jupiter().selectors(selectClass(UnknownRoleFixture.class)).execute();

        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        results.testEvents().assertStatistics(stats -> stats.started(4).succeeded(1).failed(3));
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("unknownRole"), finishedWithFailure(
                        instanceOf(ParameterResolutionException.class),
                        message("Parameter 'vault' of UnknownRoleFixture.unknownRole: @VaultLogin(role = \"nope\") "
                                + "names no configured role; configured roles: [k8s-dev]. Declare it with "
                                + "@VaultK8sTrust(roles = @JwtRole(name = \"nope\", ...)) or fix the name."))))
                // The environment itself is fine: the seed role logs in.
                .haveExactly(1, event(test("seedRole"), finishedSuccessfully()))
                // Parameters the extension claims but cannot serve say what it accepts instead.
                .haveExactly(1, event(test("kubeAdminAsString"), finishedWithFailure(
                        instanceOf(ParameterResolutionException.class),
                        message("Parameter 'kube' of UnknownRoleFixture.kubeAdminAsString: @KubeAdmin can inject "
                                + "io.fabric8.kubernetes.client.KubernetesClient, not java.lang.String."))))
                .haveExactly(1, event(test("sessionWithoutQualifier"), finishedWithFailure(
                        instanceOf(ParameterResolutionException.class),
                        message("Parameter 'session' of UnknownRoleFixture.sessionWithoutQualifier: a VaultSession "
                                + "needs @VaultRoot (the root token) or @VaultLogin(role = \"...\") (a "
                                + "workload login)."))));
        assertThat(results.testEvents().failed().count()).isEqualTo(3);
    }
}
