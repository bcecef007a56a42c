package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import org.apiguardian.api.API;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Read PEM private keys in the forms Kubernetes distributions write them: PKCS#8 or PKCS#1/SEC1. */
@API(status = INTERNAL, since = "0.1")
public final class PemKeys {

    private PemKeys() {
    }

    /**
     * Parse the first private key in {@code pem}; {@code source} names it in errors. The key is never part of a
     * message.
     */
    public static PrivateKey privateKey(String pem, String source) {
        java.util.Optional<PrivateKey> pkcs8 = unencryptedPkcs8(pem);
        if (pkcs8.isPresent()) {
            return pkcs8.get();
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                // Only the private half: a SEC1 EC key may leave out its optional public key.
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new VaultK8sTrustException(source + " holds no PEM private key (found "
                    + (object == null ? "nothing" : object.getClass().getSimpleName()) + ")");
        } catch (IOException e) {
            throw new VaultK8sTrustException(source + " is not a readable PEM private key: " + e.getMessage(), e);
        }
    }

    /**
     * Read an unencrypted PKCS#8 key ({@code BEGIN PRIVATE KEY}, as the local backend writes its keys) with the JDK
     * alone, EC or RSA: it is read on the start-up path, where loading BouncyCastle's PEM parser in a fresh JVM cost
     * more than the rest of the read. Anything else is left to BouncyCastle.
     */
    private static java.util.Optional<PrivateKey> unencryptedPkcs8(String pem) {
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            return java.util.Optional.empty();
        }
        byte[] der;
        try {
            der = java.util.Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return java.util.Optional.of(java.security.KeyFactory.getInstance(algorithm)
                        .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der)));
            } catch (java.security.GeneralSecurityException e) {
                // Not this algorithm: try the next, then BouncyCastle.
            }
        }
        return java.util.Optional.empty();
    }
}
