package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.JwtRole;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.ServiceAccountToken;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.junit.VaultPolicy;
import io.github.vaultk8strust.junit.VaultRoot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Roles, policies (inline and from the classpath), namespaces and service accounts beyond the seed. */
@VaultK8sTrust(
        backend = Backend.LOCAL,
        kvPath = "secrets",
        authPath = "k8s",
        policies = {
                @VaultPolicy(name = "payments-reader", resource = "policies/payments-reader.hcl"),
                @VaultPolicy(name = "payments-writer", hcl = """
                        path "secrets/data/payments/*" { capabilities = ["create", "update", "read"] }
                        """)
        },
        roles = {
                @JwtRole(name = "payments-reader", boundSubject = "system:serviceaccount:payments:reader",
                        boundAudiences = "vault", policies = "payments-reader", ttl = "15m"),
                @JwtRole(name = "payments-writer", boundSubject = "system:serviceaccount:payments:writer",
                        boundAudiences = {"vault", "vault-dev"}, policies = "payments-writer")
        },
        serviceAccounts = @K8sServiceAccount(namespace = "payments", name = "intruder"),
        namespaces = "scratch")
class CustomTrustTest {

    @Test
    void namespacesAndServiceAccountsExist(@KubeAdmin KubernetesClient kube) {
        assertThat(kube.namespaces().withName("payments").get()).isNotNull();
        assertThat(kube.namespaces().withName("scratch").get()).isNotNull();
        assertThat(kube.serviceAccounts().inNamespace("payments").list().getItems())
                .extracting(sa -> sa.getMetadata().getName())
                .contains("reader", "writer", "intruder");
        // The seed scenario is still there: custom declarations add to it.
        assertThat(kube.serviceAccounts().inNamespace("default").withName("vault-writer").get()).isNotNull();
    }

    @Test
    void writerWritesAndReaderOnlyReads(@VaultLogin(role = "payments-writer") Vault writer,
                                        @VaultLogin(role = "payments-reader") Vault reader) throws VaultException {
        assertThat(writer.logical().write("secrets/payments/api-key", Map.of("value", "s3cr3t"))
                .getRestResponse().getStatus()).isEqualTo(200);

        var read = reader.logical().read("secrets/payments/api-key");
        assertThat(read.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(read.getData()).containsEntry("value", "s3cr3t");
        assertThat(reader.logical().write("secrets/payments/api-key", Map.of("value", "changed"))
                .getRestResponse().getStatus()).isEqualTo(403);
    }

    @Test
    void roleSettingsReachVault(@VaultLogin(role = "payments-reader") VaultSession reader,
                                @VaultRoot VaultSession root) throws VaultException {
        assertThat(reader.policies()).contains("payments-reader").doesNotContain("payments-writer");
        var role = root.api().logical().read("auth/k8s/role/payments-reader").getDataObject();
        assertThat(role.getInt("token_ttl", 0)).isEqualTo(900);
        assertThat(role.get("bound_audiences").asArray().values()).extracting(v -> v.asString())
                .containsExactly("vault");
    }

    @Test
    void loginWithAnExplicitAudienceTheRoleAlsoBinds(
            @VaultLogin(role = "payments-writer", audience = "vault-dev") VaultSession writer) {
        assertThat(writer.capabilities("secrets/data/payments/x")).contains("create");
    }

    @Test
    void anotherServiceAccountIsRejected(TrustEnvironment environment,
                                         @ServiceAccountToken(namespace = "payments", serviceAccount = "intruder",
                                                 audience = "vault") ServiceAccountJwt intruder) {
        assertThatThrownBy(() -> environment.login("payments-reader", intruder.raw()))
                .isInstanceOfSatisfying(VaultLoginException.class, e -> assertThat(e.vaultErrors())
                        .anySatisfy(m -> assertThat(m).contains("invalid subject (sub) claim")));
    }
}
