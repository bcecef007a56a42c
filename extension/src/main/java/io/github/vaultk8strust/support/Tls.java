package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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

    /** An SSL context trusting exactly {@code caPem} and presenting {@code chain} with {@code key}. */
    private static SSLContext presenting(String caPem, Certificate[] chain, PrivateKey key)
            throws GeneralSecurityException, IOException {
        char[] password = new char[0];
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("client", key, password, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), trustManagers(caPem), null);
        return context;
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
