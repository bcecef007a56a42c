package io.github.vaultk8strust.samples;

// tag::builder[]
import static org.assertj.core.api.Assertions.assertThat;

import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultSession;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same trust without the annotation: build the environment in code (here in a plain JUnit class; the same works
 * from TestNG, a Spring test or a main method) and close it yourself. Nothing is shared with other classes.
 */
class BuilderSampleTest {

    static ClosableTrustEnvironment environment;

    @BeforeAll
    static void startTrust() {
        environment = TrustEnvironment.builder()
                .vaultMode(VaultMode.DEV)
                .startupTimeout(Duration.ofMinutes(2))
                .policy("payments-reader", """
                        path "kvv2/data/payments/*" { capabilities = ["read"] }
                        """)
                .role(RoleSpec.builder("payments-reader")
                        .boundSubject("system:serviceaccount:payments:reader")
                        .boundAudiences("vault")
                        .policies("payments-reader")
                        .ttl("15m")
                        .build())
                .start();
    }

    @AfterAll
    static void stopTrust() {
        environment.close();
    }

    @Test
    void theReaderReadsPaymentsSecretsOnly() throws VaultException {
        environment.root().kv().logical().write("kvv2/payments/db", Map.of("password", "s3cr3t"));

        try (VaultSession reader = environment.login("payments-reader")) {
            assertThat(reader.policies()).contains("payments-reader");
            assertThat(reader.kv().logical().read("kvv2/payments/db").getData())
                    .containsEntry("password", "s3cr3t");
            assertThat(reader.kv().logical().write("kvv2/payments/db", Map.of("password", "x"))
                    .getRestResponse().getStatus()).isEqualTo(403);
        }
    }

    @Test
    void theWalkthroughRoleIsThereToo() {
        assertThat(environment.roles()).containsExactly("k8s-dev", "payments-reader");
        try (VaultSession writer = environment.login("k8s-dev")) {
            assertThat(writer.policies()).contains("k8s-dev-writer");
        }
    }
}
// end::builder[]
