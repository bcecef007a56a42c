package io.github.vaultk8strust.samples;

// tag::both[]
import static io.github.vaultk8strust.AuthMethod.JWT;
import static io.github.vaultk8strust.AuthMethod.KUBERNETES;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.JwtRole;
import io.github.vaultk8strust.junit.KubernetesRole;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultPolicy;
import io.github.vaultk8strust.verify.AdversarialTokens;
import io.github.vaultk8strust.verify.AuthMethodComparison;
import io.github.vaultk8strust.verify.TrustAssertions;
import org.junit.jupiter.api.Test;

/** The same workload trusted through both auth methods, side by side. */
@VaultK8sTrust(authMethods = {JWT, KUBERNETES},
        policies = @VaultPolicy(name = "reports-reader", hcl = "path \"kvv2/data/reports/*\" { capabilities = [\"read\"] }"),
        roles = @JwtRole(name = "reports-jwt", boundSubject = "system:serviceaccount:reports:reader",
                boundAudiences = "vault", policies = "reports-reader"),
        kubernetesRoles = @KubernetesRole(name = "reports-kubernetes", boundServiceAccountNames = "reader",
                boundServiceAccountNamespaces = "reports", audience = "vault", policies = "reports-reader"))
class KubernetesAuthSampleTest {

    @Test // vault write auth/jwt/login role=reports-jwt jwt=...  /  vault write auth/kubernetes/login role=reports-kubernetes jwt=...
    void bothMethodsGrantTheSamePolicy(@VaultLogin(role = "reports-jwt") VaultSession jwt,
                                       @VaultLogin(role = "reports-kubernetes") VaultSession kubernetes) {
        for (VaultSession session : new VaultSession[] {jwt, kubernetes}) {
            TrustAssertions.assertThat(session)
                    .may("read", "kvv2/data/reports/2026")
                    .mayNot("update", "kvv2/data/reports/2026")
                    .mayNot("read", "kvv2/data/k8s-dev/foo");
        }
    }

    @Test
    void bothMethodsRejectTheAdversarialTokens(TrustEnvironment environment) {
        assertThat(AdversarialTokens.against(environment, "reports-jwt").assertAllRejected().accepted()).isZero();
        assertThat(AdversarialTokens.against(environment, "reports-kubernetes").assertAllRejected().accepted()).isZero();
    }

    @Test
    void onlyKubernetesNoticesADeletedServiceAccountOrPod(TrustEnvironment environment) {
        AuthMethodComparison.Report report = AuthMethodComparison.run(environment).assertAsExpected();

        assertThat(report.get("service account deleted").jwt().accepted()).isTrue();       // until it expires
        assertThat(report.get("service account deleted").kubernetes().accepted()).isFalse(); // TokenReview says no
        assertThat(report.get("pod deleted").kubernetes().accepted()).isFalse();
    }
}
// end::both[]
