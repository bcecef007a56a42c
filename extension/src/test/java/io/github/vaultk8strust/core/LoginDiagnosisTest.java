package io.github.vaultk8strust.core;

import io.github.vaultk8strust.verify.TokenForge;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.vaultk8strust.core.LoginDiagnosis.Binding;
import io.github.vaultk8strust.core.LoginDiagnosis.Result;
import io.github.vaultk8strust.verify.TokenForge.SigningKey;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison behind VaultLoginException's "mismatch:" lines, without servers. */
class LoginDiagnosisTest {

    private static final Instant NOW = Instant.parse("2025-06-30T15:00:00Z");
    private static final String ISSUER = "https://127.0.0.1:6443";
    private static final SigningKey KEY = TokenForge.foreignKey("cluster-kid");
    private static final JWKSet KEYS = new JWKSet(publicJwk(KEY));
    private static final Binding SEED = new Binding("system:serviceaccount:default:vault-writer", List.of("vault-dev"),
            Map.of(), "string", ISSUER);

    private static JWTClaimsSet.Builder seedClaims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("system:serviceaccount:default:vault-writer")
                .audience("vault-dev").issueTime(Date.from(NOW)).notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .claim("kubernetes.io", Map.of("namespace", "default", "serviceaccount", Map.of("name", "vault-writer")));
    }

    private static Result diagnose(String jwt, Binding binding) {
        return LoginDiagnosis.diagnose(jwt, binding, KEYS, NOW);
    }

    @Test
    void aRoleThatCouldNotBeReadIsUnknownNotMissing() {
        String token = TokenForge.sign(seedClaims().build(), KEY);

        Result result = LoginDiagnosis.diagnose(token, null, "HTTP 503: Vault is sealed", KEYS, NOW);

        assertThat(result.role()).isEqualTo("role unknown (read failed: HTTP 503: Vault is sealed)");
        assertThat(result.mismatches()).isEmpty();
        assertThat(result.token()).contains("sub=system:serviceaccount:default:vault-writer");
    }

    @Test
    void aRoleVaultSaysIsAbsentStillDoesNotExist() {
        Result result = LoginDiagnosis.diagnose(TokenForge.sign(seedClaims().build(), KEY), null, null, KEYS, NOW);

        assertThat(result.mismatches()).containsExactly("the role does not exist in Vault");
    }

    @Test
    void aMatchingTokenHasNoMismatch() {
        Result result = diagnose(TokenForge.sign(seedClaims().build(), KEY), SEED);

        assertThat(result.mismatches()).isEmpty();
        assertThat(result.role()).isEqualTo("bound_subject=system:serviceaccount:default:vault-writer, "
                + "bound_audiences=[vault-dev], bound_issuer=" + ISSUER);
        assertThat(result.token()).startsWith("sub=system:serviceaccount:default:vault-writer, aud=[vault-dev], iss="
                + ISSUER + ", nbf=2025-06-30T15:00:00Z, exp=2025-06-30T16:00:00Z, kubernetes.io=")
                .endsWith(", alg=RS256, kid=cluster-kid");
    }

    @Test
    void eachDifferenceIsNamed() {
        String wrong = TokenForge.sign(seedClaims().audience("not-vault").issuer("https://evil")
                .subject("system:serviceaccount:default:other")
                .expirationTime(Date.from(NOW.minusSeconds(1))).build(), KEY);

        assertThat(diagnose(wrong, SEED).mismatches()).containsExactly(
                "iss https://evil ≠ bound_issuer " + ISSUER,
                "aud [not-vault] ≠ bound_audiences [vault-dev]",
                "sub system:serviceaccount:default:other ≠ bound_subject system:serviceaccount:default:vault-writer",
                "exp 2025-06-30T14:59:59Z is in the past (now 2025-06-30T15:00:00Z): the token is expired");
    }

    @Test
    void notYetValid() {
        String early = TokenForge.sign(seedClaims().notBeforeTime(Date.from(NOW.plusSeconds(3600))).build(), KEY);

        assertThat(diagnose(early, SEED).mismatches()).containsExactly("nbf 2025-06-30T16:00:00Z is in the future "
                + "(now 2025-06-30T15:00:00Z): the token is not yet valid");
    }

    @Test
    void signatureProblems() {
        String foreign = TokenForge.sign(seedClaims().build(), TokenForge.foreignKey("cluster-kid"));
        String unknownKid = TokenForge.sign(seedClaims().build(), TokenForge.foreignKey("other-kid"));
        String tampered = TokenForge.tamper(TokenForge.sign(seedClaims().build(), KEY),
                c -> new JWTClaimsSet.Builder(c).subject("system:serviceaccount:default:vault-writer").audience("x")
                        .build());

        assertThat(diagnose(foreign, SEED).mismatches()).containsExactly("signature does not verify with the "
                + "cluster's key cluster-kid: signed by another key, or the header or payload was changed after signing");
        assertThat(diagnose(unknownKid, SEED).mismatches()).containsExactly("kid other-kid is not among the cluster's "
                + "published keys [cluster-kid]");
        assertThat(diagnose(tampered, SEED).mismatches()).first().asString().startsWith("signature does not verify");
        assertThat(diagnose(TokenForge.unsigned(seedClaims().build()), SEED).mismatches())
                .containsExactly("alg none: the token is unsigned");
    }

    @Test
    void boundClaimsByJsonPointerAndGlob() {
        Binding payments = new Binding("", List.of("vault-dev"), Map.of("/kubernetes.io/namespace",
                List.of("payments-*")), "glob", ISSUER);
        String inDefault = TokenForge.sign(seedClaims().build(), KEY);
        String inPayments = TokenForge.sign(seedClaims().claim("kubernetes.io", Map.of("namespace", "payments-eu"))
                .build(), KEY);

        assertThat(diagnose(inDefault, payments).mismatches()).containsExactly("claim /kubernetes.io/namespace = "
                + "default does not match bound_claims [payments-*] (glob)");
        assertThat(diagnose(inPayments, payments).mismatches()).isEmpty();
        assertThat(diagnose(inPayments, new Binding("", List.of("vault-dev"), Map.of("/kubernetes.io/namespace",
                List.of("payments-*")), "string", ISSUER)).mismatches()).containsExactly("claim /kubernetes.io/namespace"
                + " = payments-eu does not match bound_claims [payments-*] (string)");
        assertThat(diagnose(inDefault, new Binding("", List.of("vault-dev"), Map.of("/kubernetes.io/pod/name",
                List.of("x")), "string", ISSUER)).mismatches()).containsExactly("claim /kubernetes.io/pod/name is "
                + "missing; bound_claims expects [x]");
    }

    @Test
    void globsMatchLikeVault() {
        assertThat(LoginDiagnosis.globMatches("payments-*", "payments-eu")).isTrue();
        assertThat(LoginDiagnosis.globMatches("payments-*", "payments-")).isTrue();
        assertThat(LoginDiagnosis.globMatches("payments-*", "billing")).isFalse();
        assertThat(LoginDiagnosis.globMatches("*-eu", "payments-eu")).isTrue();
        assertThat(LoginDiagnosis.globMatches("a.b", "axb")).isFalse();
    }

    @Test
    void missingRoleAndGarbage() {
        assertThat(diagnose(TokenForge.sign(seedClaims().build(), KEY), null).mismatches())
                .containsExactly("the role does not exist in Vault");
        assertThat(diagnose("not-a-jwt", SEED).mismatches()).singleElement().asString()
                .startsWith("the token is not a JWT");
    }

    private static RSAKey publicJwk(SigningKey key) {
        try {
            RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key.privateKey();
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    rsa.getModulus(), rsa.getPublicExponent()));
            return new RSAKey.Builder(pub).keyID(key.kid()).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
