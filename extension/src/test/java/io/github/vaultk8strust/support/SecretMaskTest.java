package io.github.vaultk8strust.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskTest {

    @Test
    void masksTheValuesVaultPrintsForRootTokensAndUnsealKeys() {
        assertThat(SecretMask.line("Unseal Key 1: 2K/abcDEF==", List.of())).isEqualTo("Unseal Key 1: <masked by vault-k8s-trust>");
        assertThat(SecretMask.line("Initial Root Token: hvs.CAESIJ", List.of()))
                .isEqualTo("Initial Root Token: <masked by vault-k8s-trust>");
        assertThat(SecretMask.line("{\"keys_base64\": [\"a\"], \"root_token\": \"hvs.x\"}", List.of()))
                .doesNotContain("hvs.x").doesNotContain("\"a\"");
    }

    @Test
    void masksAKnownSecretWhereverItAppears() {
        assertThat(SecretMask.line("core: root token generated dev-42abc, welcome", List.of("dev-42abc")))
                .doesNotContain("dev-42abc");
    }

    @Test
    void leavesOrdinaryLinesAlone() {
        String line = "I1129 12:53:32.569704 storage_scheduling.go:95] created PriorityClass system-node-critical";
        assertThat(SecretMask.line(line, List.of("dev-42abc"))).isEqualTo(line);
    }
}
