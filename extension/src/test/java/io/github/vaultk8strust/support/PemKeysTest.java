package io.github.vaultk8strust.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;

/** Private keys in the PEM forms distributions write: PKCS#8, PKCS#1 (RSA) and SEC1 (EC); never in a message. */
class PemKeysTest {

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** BouncyCastle writes a key pair the traditional way: PKCS#1 for RSA, SEC1 for EC. */
    private static String traditional(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    @Test
    void readsPkcs8() throws GeneralSecurityException {
        KeyPair pair = rsa();

        assertThat(PemKeys.privateKey(pkcs8(pair.getPrivate()), "sa.key").getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
    }

    /** SEC1 as openssl writes it: the curve named, with the public key or ({@code -no_public}) without. */
    private static String sec1(KeyPair pair, boolean withPublicKey) {
        ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        DERBitString publicKey = withPublicKey
                ? new DERBitString(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData()
                .getBytes()) : null;
        try {
            byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), publicKey,
                    info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
            return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END EC PRIVATE KEY-----\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void readsPkcs1() throws GeneralSecurityException, IOException {
        KeyPair rsa = rsa();
        String pem = traditional(rsa);
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertThat(PemKeys.privateKey(pem, "k3s sa.key").getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void readsSec1WithAndWithoutItsOptionalPublicKey() throws GeneralSecurityException {
        KeyPair ec = ec();

        for (boolean withPublicKey : new boolean[] {true, false}) {
            PrivateKey read = PemKeys.privateKey(sec1(ec, withPublicKey), "ec.key");
            assertThat(read.getAlgorithm()).isEqualTo("EC");
            assertThat(((ECPrivateKey) read).getS()).isEqualTo(((ECPrivateKey) ec.getPrivate()).getS());
        }
    }

    @Test
    void aPemWithoutAPrivateKeySaysWhatItFound() throws GeneralSecurityException, IOException {
        String publicKey = traditional(rsa().getPublic());

        assertThatThrownBy(() -> PemKeys.privateKey(publicKey, "/etc/sa.pub")).isInstanceOf(VaultK8sTrustException.class)
                .hasMessage("/etc/sa.pub holds no PEM private key (found SubjectPublicKeyInfo)");
        assertThatThrownBy(() -> PemKeys.privateKey("", "empty.key"))
                .hasMessage("empty.key holds no PEM private key (found nothing)");
    }

    @Test
    void aBrokenPemIsNamedWithoutItsContent() throws GeneralSecurityException {
        String pem = pkcs8(rsa().getPrivate());
        String broken = pem.replace("-----END PRIVATE KEY-----", "-----END PUBLIC KEY-----");
        String body = pem.lines().skip(1).findFirst().orElseThrow();

        assertThatThrownBy(() -> PemKeys.privateKey(broken, "sa.key")).isInstanceOf(VaultK8sTrustException.class)
                .hasMessageStartingWith("sa.key is not a readable PEM private key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body));
    }
}
