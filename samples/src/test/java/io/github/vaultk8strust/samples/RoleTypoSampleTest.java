package io.github.vaultk8strust.samples;

// tag::typo[]
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleDefinitionException;
import io.github.vaultk8strust.TrustEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vault accepts a role with a parameter it does not know and drops it without a word. With "audiences" written for
 * "audience", the kubernetes role below would accept a token minted for any audience, the API server's own included.
 * The environment refuses to start instead, naming the file, the line and the key that was meant.
 */
class RoleTypoSampleTest {

    @Test
    void aMistypedKeyFailsTheStartNamingTheKeyMeant(@TempDir Path dir) throws IOException {
        Path role = Files.writeString(dir.resolve("orders-api-kubernetes.yaml"), """
                bound_service_account_names: [orders-api]
                bound_service_account_namespaces: [orders]
                audiences: [vault]
                token_policies: [orders-api]
                """);

        assertThatThrownBy(() -> TrustEnvironment.builder().authMethods(AuthMethod.KUBERNETES)
                .policyResource("orders-api", "vault/policies/orders-api.hcl")
                .kubernetesRole(KubernetesRoleSpec.fromFile(role))
                .start())
                .isInstanceOf(RoleDefinitionException.class)
                .hasMessageContaining(role + " line 3: `audiences` is not a parameter of auth/kubernetes/role; "
                        + "did you mean `audience`?");
    }
}
// end::typo[]
