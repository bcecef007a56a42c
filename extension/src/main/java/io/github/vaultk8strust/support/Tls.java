package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.apiguardian.api.API;

/** TLS helpers shared by the trust flow and the backends. */
@API(status = INTERNAL, since = "0.1")
public final class Tls {

    private Tls() {
    }

    /** Return an SSL context that trusts exactly the given CA. */
    public static SSLContext trusting(String caPem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(caPem), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new VaultK8sTrustException("Cannot build a trust store from the cluster CA: " + e, e);
        }
    }

    /**
     * Return an SSL context that trusts exactly the given CA and presents the client certificate in
     * {@code certPem} with the private key in {@code keyPem} (for etcd, which requires client certificates).
     */
    public static SSLContext mutual(String caPem, Path certPem, Path keyPem) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certPem)));
            PrivateKey key = PemKeys.privateKey(Files.readString(keyPem, StandardCharsets.US_ASCII),
                    "The client key " + keyPem);
            return presenting(caPem, new Certificate[] {cert}, key);
        } catch (GeneralSecurityException | IOException e) {
            throw new VaultK8sTrustException("Cannot build a client TLS context from " + certPem + ": " + e, e);
        }
    }

    /**
     * Return an SSL context that trusts exactly the given CA and presents the client certificate (chain) in
     * {@code certPem} with the private key in {@code keyPem}, all given as PEM text (as a kubeconfig carries them);
     * {@code source} names them in errors, which never contain the key.
     */
    public static SSLContext mutual(String caPem, String certPem, String keyPem, String source) {
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)))
                    .toArray(Certificate[]::new);
            PrivateKey key = PemKeys.privateKey(keyPem, "The client key of " + source);
            return presenting(caPem, chain, key);
        } catch (GeneralSecurityException | IOException e) {
            throw new VaultK8sTrustException("Cannot build a client TLS context for " + source + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * An SSL context trusting exactly {@code caPem} and presenting {@code chain} with {@code key}, through
     * {@link PresentingKeyManager} rather than a key store: the JDK's PKCS#12 store protects a key entry with 10,000
     * rounds of PBKDF2 when it is set and again when the key manager reads it, and in a fresh JVM that made the
     * environment's two client contexts cost about half a second of compilation and interpretation, on the start-up's
     * critical path.
     */
    private static SSLContext presenting(String caPem, Certificate[] chain, PrivateKey key)
            throws GeneralSecurityException, IOException {
        X509Certificate[] certificates = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            certificates[i] = (X509Certificate) chain[i];
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new PresentingKeyManager(certificates, key)}, trustManagers(caPem), null);
        return context;
    }

    /** A client key manager that always offers the one certificate chain and key it holds. */
    private static final class PresentingKeyManager extends X509ExtendedKeyManager {

        private static final String ALIAS = "client";
        private final X509Certificate[] chain;
        private final PrivateKey key;

        PresentingKeyManager(X509Certificate[] chain, PrivateKey key) {
            this.chain = chain;
            this.key = key;
        }

        private String alias(String[] keyTypes) {
            return keyTypes == null || Arrays.asList(keyTypes).contains(key.getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return key.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return alias(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return alias(keyTypes);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(String caPem) throws GeneralSecurityException,
            IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }
}
