package io.github.vaultk8strust.samples;

// tag::adversarial[]
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.verify.AdversarialTokens;
import org.junit.jupiter.api.Test;

/**
 * Prove that the trust accepts exactly the intended workload: wrong audience, other service accounts and
 * namespaces, expired and not-yet-valid tokens, foreign keys, {@code alg: none}, a wrong issuer and a tampered
 * payload must all be rejected, each for the reason Vault gives.
 */
@VaultK8sTrust
class AdversarialTokensSampleTest {

    @Test
    void onlyTheRealWorkloadGetsIn(TrustEnvironment environment) {
        AdversarialTokens.Report report = AdversarialTokens.against(environment, "k8s-dev").assertAllRejected();

        assertThat(report.summary()).isEqualTo("9 tried, 0 accepted");
    }

    @Test // kubectl create token vault-writer --audience=not-vault; vault write auth/jwt/login role=k8s-dev jwt=...
    void aRejectedLoginSaysWhatDiffers(TrustEnvironment environment) {
        ServiceAccountJwt wrongAudience = environment.mintToken("default", "vault-writer", "not-vault");

        assertThatThrownBy(() -> environment.login("k8s-dev", wrongAudience.raw()))
                .isInstanceOfSatisfying(VaultLoginException.class, e ->
                        assertThat(e.mismatches()).containsExactly("aud [not-vault] ≠ bound_audiences [vault-dev]"));
    }
}
// end::adversarial[]
