package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.BoundClaimsType;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.Claim;
import io.github.vaultk8strust.junit.ClaimMapping;
import io.github.vaultk8strust.junit.JwtRole;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultPolicy;
import io.github.vaultk8strust.junit.VaultRoot;
import io.github.vaultk8strust.verify.AdversarialTokens;
import io.github.vaultk8strust.verify.TrustAssertions;
import org.junit.jupiter.api.Test;

/** A role that binds the namespace by glob instead of a subject, and maps claims into token metadata. */
@VaultK8sTrust(
        backend = Backend.LOCAL,
        policies = @VaultPolicy(name = "payments", hcl = """
                path "kvv2/data/payments/*" { capabilities = ["read"] }
                """),
        roles = @JwtRole(name = "payments",
                boundClaims = @Claim(name = "/kubernetes.io/namespace", value = "payments-*"),
                boundClaimsType = BoundClaimsType.GLOB,
                claimMappings = {
                        @ClaimMapping(claim = "/kubernetes.io/serviceaccount/name", metadata = "service_account"),
                        @ClaimMapping(claim = "/kubernetes.io/namespace", metadata = "namespace")},
                policies = "payments"),
        serviceAccounts = {
                @K8sServiceAccount(namespace = "payments-eu", name = "api"),
                @K8sServiceAccount(namespace = "billing", name = "api")})
class BoundClaimsTest {

    @Test
    void theRoleReachesVaultAsJsonMaps(@VaultRoot VaultSession root) throws VaultException {
        JsonObject role = root.api().logical().read("auth/jwt/role/payments").getDataObject();

        assertThat(role.getString("bound_claims_type", "")).isEqualTo("glob");
        assertThat(role.get("bound_claims").asObject().get("/kubernetes.io/namespace").asArray().get(0).asString())
                .isEqualTo("payments-*");
        assertThat(role.get("claim_mappings").asObject().getString("/kubernetes.io/serviceaccount/name", ""))
                .isEqualTo("service_account");
        assertThat(role.get("bound_subject").asString()).isEmpty();
    }

    @Test
    void aServiceAccountInAMatchingNamespaceLogsInWithMappedMetadata(
            @VaultLogin(role = "payments", namespace = "payments-eu", serviceAccount = "api") VaultSession api)
            throws VaultException {
        JsonObject self = api.api().logical().read("auth/token/lookup-self").getDataObject();
        JsonObject meta = self.get("meta").asObject();

        assertThat(meta.getString("service_account", null)).isEqualTo("api");
        assertThat(meta.getString("namespace", null)).isEqualTo("payments-eu");
        assertThat(meta.getString("role", null)).isEqualTo("payments");
        TrustAssertions.assertThat(api).may("read", "kvv2/data/payments/db").mayNot("read", "kvv2/data/k8s-dev/foo");
    }

    @Test
    void aServiceAccountInAnotherNamespaceIsRejectedWithVaultsReason(TrustEnvironment environment) {
        String token = environment.mintToken("billing", "api", "vault-dev").raw();

        assertThatThrownBy(() -> environment.login("payments", token))
                .isInstanceOfSatisfying(VaultLoginException.class, e -> {
                    System.out.println(e.getMessage());
                    assertThat(e.vaultErrors()).anySatisfy(m -> assertThat(m).isEqualTo("error validating claims: "
                            + "claim \"/kubernetes.io/namespace\" does not match any associated bound claim values"));
                    assertThat(e.mismatches()).containsExactly("claim /kubernetes.io/namespace = billing does not "
                            + "match bound_claims [payments-*] (glob)");
                    assertThat(e.getMessage()).contains("role:   bound_subject=(none), bound_audiences=[vault-dev], "
                            + "bound_claims={/kubernetes.io/namespace=[payments-*]} (glob)");
                });
    }

    @Test
    void adversarialTokensAgainstAClaimsRole(TrustEnvironment environment) {
        AdversarialTokens.Report report = AdversarialTokens.against(environment, "payments", "payments-eu", "api")
                .assertAllRejected();

        // The role binds the namespace but not the service account name: another account in payments-eu is
        // legitimately accepted, so that case is not made.
        assertThat(report.attempts()).extracting(a -> a.token().name()).doesNotContain("another service account")
                .contains("another namespace");
        assertThat(report.summary()).isEqualTo("8 tried, 0 accepted");
    }
}
