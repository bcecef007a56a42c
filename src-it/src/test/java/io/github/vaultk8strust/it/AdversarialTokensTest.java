package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.verify.AdversarialToken;
import io.github.vaultk8strust.verify.AdversarialTokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Every adversarial case against the seed's role, on real Vault and kube-apiserver processes. */
@VaultK8sTrust(backend = Backend.LOCAL)
class AdversarialTokensTest {

    @Test
    void everyAdversarialTokenIsRejectedWithVaultsReason(TrustEnvironment environment) {
        AdversarialTokens.Report report = AdversarialTokens.against(environment, "k8s-dev").assertAllRejected();

        assertThat(report.summary()).isEqualTo("9 tried, 0 accepted");
        assertThat(report.attempts()).extracting(a -> a.token().name()).containsExactly("wrong audience",
                "another service account", "another namespace", "expired", "not yet valid", "foreign key", "alg none",
                "wrong issuer", "tampered payload");
        assertThat(report.attempts()).allSatisfy(a -> assertThat(a.rejectedAsExpected()).as(a.describe()).isTrue());
    }

    @TestFactory
    Stream<DynamicTest> oneTestPerCase(TrustEnvironment environment) {
        return AdversarialTokens.against(environment, "k8s-dev").tests();
    }

    @Test
    void dynamicTestsFailFirstWhenTheRoleRejectsTheControlToken() {
        var events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(WrongControlFixture.class))
                .configurationParameter(VaultK8sTrust.BACKEND_KEY, "local").execute().testEvents();

        var control = events.failed().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().equals("k8s-dev accepts the control token"))
                .findFirst();
        assertThat(control).as("the control test failed").isPresent();
        assertThat(control.get().getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow())
                .hasMessageContaining("was rejected, so rejections of the adversarial tokens would prove nothing")
                .hasMessageContaining("invalid subject (sub) claim");
    }

    /** The "control" is a service account role k8s-dev does not bind, as a typo in a real bound_subject would be. */
    @VaultK8sTrust(serviceAccounts = @K8sServiceAccount(name = "not-the-writer"))
    static class WrongControlFixture {

        @TestFactory
        Stream<DynamicTest> cases(TrustEnvironment environment) {
            return AdversarialTokens.against(environment, "k8s-dev", "default", "not-the-writer").tests();
        }
    }

    @Test
    void forgedTimesUseTheClustersRealKeyAndKid(TrustEnvironment environment) {
        Map<String, AdversarialToken> cases = byName(AdversarialTokens.against(environment, "k8s-dev").cases());
        ServiceAccountJwt real = environment.mintToken("default", "vault-writer", "vault-dev");
        ServiceAccountJwt expired = ServiceAccountJwt.parse(cases.get("expired").jwt());

        assertThat(expired.jwt().getHeader().toJSONObject()).containsEntry("alg", "RS256")
                .containsEntry("kid", real.jwt().getHeader().toJSONObject().get("kid"));
        assertThat(expired.subject()).isEqualTo(real.subject());
        assertThat(expired.audience()).isEqualTo(real.audience());
        assertThat(expired.expiresAt()).isBefore(java.time.Instant.now().minusSeconds(3000));
    }

    @Test
    void aRejectedLoginPointsAtTheMismatch(TrustEnvironment environment) {
        Map<String, AdversarialToken> cases = byName(AdversarialTokens.against(environment, "k8s-dev").cases());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("wrong audience", "aud [vault-k8s-trust-wrong-audience] ≠ bound_audiences [vault-dev]");
        expected.put("another service account", "sub system:serviceaccount:default:vault-k8s-trust-intruder "
                + "≠ bound_subject system:serviceaccount:default:vault-writer");
        expected.put("another namespace", "sub system:serviceaccount:vault-k8s-trust-elsewhere:vault-writer "
                + "≠ bound_subject system:serviceaccount:default:vault-writer");
        expected.put("expired", "is in the past");
        expected.put("not yet valid", "is in the future");
        expected.put("foreign key", "signature does not verify with the cluster's key");
        expected.put("alg none", "alg none: the token is unsigned");
        expected.put("wrong issuer", "iss https://issuer.invalid ≠ bound_issuer " + environment.issuer());
        expected.put("tampered payload", "signature does not verify with the cluster's key");

        expected.forEach((name, mismatch) -> {
            VaultLoginException e = catchThrowableOfType(VaultLoginException.class,
                    () -> environment.login("k8s-dev", cases.get(name).jwt()));
            assertThat(e).as(name).isNotNull();
            System.out.println("--- " + name + ":\n" + e.getMessage());
            assertThat(e.mismatches()).as(name).anySatisfy(m -> assertThat(m).contains(mismatch));
            assertThat(e.getMessage()).as(name).contains("\n  mismatch: ").contains("\n  token:  ")
                    .contains("\n  role:   bound_subject=system:serviceaccount:default:vault-writer, "
                            + "bound_audiences=[vault-dev], bound_issuer=" + environment.issuer());
        });
    }

    private static Map<String, AdversarialToken> byName(List<AdversarialToken> cases) {
        Map<String, AdversarialToken> byName = new LinkedHashMap<>();
        cases.forEach(c -> byName.put(c.name(), c));
        return byName;
    }
}
