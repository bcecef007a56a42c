package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apiguardian.api.API;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local cluster's key material, generated fresh for every environment: a CA, the API server's serving
 * certificate, an administrator client certificate ({@code O=system:masters}), the service-account signing key, and
 * etcd's serving (and peer) certificate with the client certificate kube-apiserver presents to it: etcd accepts
 * only clients whose certificate this environment's CA signed.
 * Private keys go only to files readable by the owner; they are never logged.
 */
@API(status = INTERNAL, since = "0.1")
public final class Pki {

    /** Files and PEMs of one environment's key material. */
    public record Material(String caPem, Path caCert, Path servingCert, Path servingKey, String adminCertPem,
                           String adminKeyPem, Path serviceAccountKey, Path serviceAccountPublicKey,
                           Path etcdCert, Path etcdKey, Path etcdClientCert, Path etcdClientKey) {

        @Override
        public String toString() {
            return "Pki.Material[ca=" + caCert + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(7);

    private Pki() {
    }

    /**
     * Generate all key material into {@code dir} (which should be private to the user). The serving certificate
     * covers 127.0.0.1, localhost and {@code servingDnsNames} (IPv4 literals among them become IP SANs).
     */
    public static Material generate(Path dir, List<String> servingDnsNames) {
        return generate(dir, servingDnsNames, serviceAccountKeys());
    }

    /**
     * Start generating the service-account signing key (RSA 2048) on a thread of its own and return it as it will
     * be. It is the one slow key: in a fresh JVM, where the big-number arithmetic is not compiled yet, it took longer
     * than all the rest of the key material together, and the rest does not need it, so the two run side by side.
     * The key is made for one environment and never reused.
     */
    public static CompletableFuture<KeyPair> serviceAccountKeys() {
        CompletableFuture<KeyPair> keys = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                // RS256 is what every OIDC client, Vault's included, accepts without extra configuration.
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048, RANDOM);
                keys.complete(rsa.generateKeyPair());
            } catch (GeneralSecurityException | RuntimeException | Error e) {
                keys.completeExceptionally(e);
            }
        }, "vault-k8s-trust-service-account-key");
        thread.setDaemon(true);
        thread.start();
        return keys;
    }

    /** As {@link #generate(Path, List)}, with the service-account key from {@link #serviceAccountKeys()}. */
    public static Material generate(Path dir, List<String> servingDnsNames, CompletableFuture<KeyPair> saKeyPair) {
        try {
            KeyPair caKeys = ec();
            X500Name caName = new X500Name("CN=vault-k8s-trust-ca");
            X509Certificate ca = sign(caName, caKeys, caName, caKeys, cert -> {
                cert.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                cert.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            });

            KeyPair servingKeys = ec();
            X509Certificate serving = sign(new X500Name("CN=kube-apiserver"), servingKeys, caName, caKeys, cert -> {
                GeneralName[] names = new GeneralName[servingDnsNames.size() + 2];
                names[0] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
                names[1] = new GeneralName(GeneralName.dNSName, "localhost");
                for (int i = 0; i < servingDnsNames.size(); i++) {
                    // An IP literal (the Docker bridge gateway, for Vault in a container) is an iPAddress SAN.
                    String name = servingDnsNames.get(i);
                    names[i + 2] = new GeneralName(name.matches("[0-9.]+") ? GeneralName.iPAddress
                            : GeneralName.dNSName, name);
                }
                cert.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                cert.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                cert.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            });

            KeyPair adminKeys = ec();
            X509Certificate admin = sign(new X500Name("O=system:masters,CN=vault-k8s-trust-admin"), adminKeys, caName,
                    caKeys, cert -> {
                        cert.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                        cert.addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                    });

            KeyPair etcdKeys = ec();
            X509Certificate etcd = sign(new X500Name("CN=etcd"), etcdKeys, caName, caKeys, cert -> {
                cert.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
                cert.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                // Client auth too: the same certificate serves etcd's (TLS-only) peer listener.
                cert.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            });
            KeyPair etcdClientKeys = ec();
            X509Certificate etcdClient = sign(new X500Name("CN=kube-apiserver-etcd-client"), etcdClientKeys, caName,
                    caKeys, cert -> {
                        cert.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                        cert.addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                    });

            KeyPair saKeys = awaitKeys(saKeyPair);

            String caPem = pem(ca);
            Path caCert = write(dir.resolve("ca.crt"), caPem);
            Path servingCert = write(dir.resolve("apiserver.crt"), pem(serving) + caPem);
            Path servingKey = write(dir.resolve("apiserver.key"), pkcs8(servingKeys.getPrivate()));
            Path saKey = write(dir.resolve("sa.key"), pkcs8(saKeys.getPrivate()));
            Path saPub = write(dir.resolve("sa.pub"), pem(saKeys.getPublic()));
            Path etcdCert = write(dir.resolve("etcd.crt"), pem(etcd));
            Path etcdKey = write(dir.resolve("etcd.key"), pkcs8(etcdKeys.getPrivate()));
            Path etcdClientCert = write(dir.resolve("etcd-client.crt"), pem(etcdClient));
            Path etcdClientKey = write(dir.resolve("etcd-client.key"), pkcs8(etcdClientKeys.getPrivate()));
            return new Material(caPem, caCert, servingCert, servingKey, pem(admin), pkcs8(adminKeys.getPrivate()),
                    saKey, saPub, etcdCert, etcdKey, etcdClientCert, etcdClientKey);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new VaultK8sTrustException("Cannot generate the local cluster's certificates: " + e, e);
        }
    }

    private static KeyPair awaitKeys(CompletableFuture<KeyPair> keys) throws GeneralSecurityException {
        try {
            return keys.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("Interrupted while generating the service-account key", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GeneralSecurityException security) {
                throw security;
            }
            throw new VaultK8sTrustException("Cannot generate the service-account key: " + e.getCause(), e.getCause());
        }
    }

    /** Return an {@link java.net.InetAddress} for 127.0.0.1 without a lookup. */
    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        Extensions extensions)
            throws IOException, OperatorCreationException, GeneralSecurityException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                subjectKeys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
        extensions.add(builder);
        // The JDK's own certificate factory reads the signed encoding: fewer classes to load in a fresh JVM.
        byte[] encoded = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()))
                .getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static String pem(X509Certificate certificate) throws GeneralSecurityException {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    private static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded()); // X.509 SubjectPublicKeyInfo
    }

    private static String pkcs8(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded()); // PKCS#8, unencrypted
    }

    /** PEM as OpenSSL writes it: the DER in Base64, 64 characters a line, between BEGIN and END lines. */
    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the private temp directory is the protection.
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
