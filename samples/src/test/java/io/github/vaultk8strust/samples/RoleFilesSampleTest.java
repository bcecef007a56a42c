package io.github.vaultk8strust.samples;

import static io.github.vaultk8strust.AuthMethod.JWT;
import static io.github.vaultk8strust.AuthMethod.KUBERNETES;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.junit.JwtRole;
import io.github.vaultk8strust.junit.KubernetesRole;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultPolicy;
import io.github.vaultk8strust.verify.AdversarialTokens;
import io.github.vaultk8strust.verify.PolicyMatrix;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

// tag::files[]
/**
 * The roles and the policy the orders service ships, tested as they are: the files under src/test/resources/vault/
 * are the ones its deployment applies (vault write auth/jwt/role/orders-api @orders-api.json, vault policy write
 * orders-api orders-api.hcl). A key Vault does not know, or a value that does not read back as written, fails the
 * start, naming the file, the line and the key.
 */
@VaultK8sTrust(authMethods = {JWT, KUBERNETES},
        policies = @VaultPolicy(name = "orders-api", resource = "vault/policies/orders-api.hcl"),
        roles = @JwtRole(resource = "vault/roles/orders-api.json"),
        kubernetesRoles = @KubernetesRole(resource = "vault/roles/orders-api-kubernetes.yaml"))
class RoleFilesSampleTest {

    @TestFactory // one test per row of the matrix: role, path, capability, allow or deny
    Stream<DynamicTest> theShippedPolicyGrantsWhatTheMatrixSays(TrustEnvironment environment) {
        return PolicyMatrix.fromResource("orders-api-policy-matrix.csv").tests(environment);
    }

    @Test // other service accounts, namespaces, audiences, keys, expired and forged tokens
    void onlyTheOrdersServiceAccountGetsIn(TrustEnvironment environment) {
        assertThat(AdversarialTokens.against(environment, "orders-api").assertAllRejected().accepted()).isZero();
        assertThat(AdversarialTokens.against(environment, "orders-api-kubernetes").assertAllRejected().accepted())
                .isZero();
    }
}
// end::files[]
