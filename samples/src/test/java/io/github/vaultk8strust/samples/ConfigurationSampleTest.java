package io.github.vaultk8strust.samples;

// tag::configuration[]
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.BoundClaimsType;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.Claim;
import io.github.vaultk8strust.junit.ClaimMapping;
import io.github.vaultk8strust.junit.JwtRole;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultPolicy;
import io.github.vaultk8strust.verify.TrustAssertions;
import org.junit.jupiter.api.Test;

/**
 * The walkthrough plus your own trust: a policy from a file on the test class path, a role bound to one service
 * account, a role bound to claims (any service account of a {@code payments-*} namespace), extra service accounts
 * and an extra namespace.
 */
@VaultK8sTrust(
        policies = @VaultPolicy(name = "payments-reader", resource = "policies/payments-reader.hcl"),
        roles = {
                @JwtRole(name = "payments-reader", boundSubject = "system:serviceaccount:payments:reader",
                        boundAudiences = "vault", policies = "payments-reader", ttl = "15m"),
                @JwtRole(name = "payments-any", boundAudiences = "vault", policies = "payments-reader",
                        boundClaims = @Claim(name = "/kubernetes.io/namespace", value = "payments-*"),
                        boundClaimsType = BoundClaimsType.GLOB,
                        claimMappings = @ClaimMapping(claim = "/kubernetes.io/serviceaccount/name",
                                metadata = "service_account"))},
        serviceAccounts = {
                @K8sServiceAccount(namespace = "payments", name = "intruder"),
                @K8sServiceAccount(namespace = "payments-eu", name = "billing")},
        namespaces = "scratch")
class ConfigurationSampleTest {

    @Test // the role's service account (created because the role binds it) reads payments secrets, nothing else
    void theReaderReadsPaymentsOnly(@VaultLogin(role = "payments-reader") VaultSession reader) {
        TrustAssertions.assertThat(reader)
                .may("read", "kvv2/data/payments/db")
                .mayNot("update", "kvv2/data/payments/db")
                .mayNot("read", "kvv2/data/k8s-dev/foo");
    }

    @Test // same namespace, same audience, another service account: not the reader
    void anotherServiceAccountIsNotTheReader(TrustEnvironment environment) {
        ServiceAccountJwt intruder = environment.mintToken("payments", "intruder", "vault");

        assertThatThrownBy(() -> environment.login("payments-reader", intruder.raw()))
                .isInstanceOfSatisfying(VaultLoginException.class, e ->
                        assertThat(e.vaultErrors()).anyMatch(error -> error.contains("invalid subject")));
    }

    @Test // a role bound to claims: any service account of a payments-* namespace, and only those
    void anyServiceAccountOfAPaymentsNamespaceGetsIn(TrustEnvironment environment) {
        ServiceAccountJwt billing = environment.mintToken("payments-eu", "billing", "vault");
        try (VaultSession session = environment.login("payments-any", billing.raw())) {
            assertThat(session.policies()).contains("payments-reader");
        }

        ServiceAccountJwt outside = environment.mintToken("payments", "reader", "vault");
        assertThatThrownBy(() -> environment.login("payments-any", outside.raw()))
                .isInstanceOf(VaultLoginException.class);
    }

    @Test
    void theExtraNamespaceExists(@KubeAdmin KubernetesClient kube) {
        assertThat(kube.namespaces().withName("scratch").get()).isNotNull();
    }
}
// end::configuration[]
