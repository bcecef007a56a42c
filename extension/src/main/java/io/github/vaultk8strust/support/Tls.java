package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
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
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new VaultK8sTrustException("Cannot build a trust store from the cluster CA: " + e, e);
        }
    }

}
