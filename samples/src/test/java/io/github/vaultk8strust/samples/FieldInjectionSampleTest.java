package io.github.vaultk8strust.samples;

// tag::fields[]
import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.ServiceAccountToken;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import org.junit.jupiter.api.Test;

@VaultK8sTrust
class FieldInjectionSampleTest {

    @VaultLogin(role = "k8s-dev")
    VaultSession writer;              // a fresh login for each test, revoked after it

    @ServiceAccountToken(serviceAccount = "vault-writer", audience = "vault-dev")
    ServiceAccountJwt token;

    TrustEnvironment environment;     // a type this library owns: injected without an annotation

    @Test
    void writerMayWriteItsPathOnly() {
        assertThat(writer.capabilities("kvv2/data/k8s-dev/x")).contains("create", "read");
        assertThat(writer.capabilities("kvv2/data/other")).containsExactly("deny");
    }

    @Test
    void theTokenComesFromTheEnvironmentsIssuer() {
        assertThat(token.issuer()).isEqualTo(environment.issuer());
    }
}
// end::fields[]
