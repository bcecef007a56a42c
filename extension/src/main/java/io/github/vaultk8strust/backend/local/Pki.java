package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.io.StringWriter;
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
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The local cluster's key material, generated fresh for every environment: a CA, the API server's serving
 * certificate, an administrator client certificate ({@code O=system:masters}) and the service-account signing key.
 * Private keys go only to files readable by the owner; they are never logged.
 */
@API(status = INTERNAL, since = "0.1")
public final class Pki {

    /** Files and PEMs of one environment's key material. */
    public record Material(String caPem, Path caCert, Path servingCert, Path servingKey, String adminCertPem,
                           String adminKeyPem, Path serviceAccountKey, Path serviceAccountPublicKey) {

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

            // RS256 is what every OIDC client, Vault's included, accepts without extra configuration.
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, RANDOM);
            KeyPair saKeys = rsa.generateKeyPair();

            String caPem = pem(ca);
            Path caCert = write(dir.resolve("ca.crt"), caPem);
            Path servingCert = write(dir.resolve("apiserver.crt"), pem(serving) + caPem);
            Path servingKey = write(dir.resolve("apiserver.key"), pkcs8(servingKeys.getPrivate()));
            Path saKey = write(dir.resolve("sa.key"), pkcs8(saKeys.getPrivate()));
            Path saPub = write(dir.resolve("sa.pub"), pem(saKeys.getPublic()));
            return new Material(caPem, caCert, servingCert, servingKey, pem(admin), pkcs8(adminKeys.getPrivate()),
                    saKey, saPub);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new VaultK8sTrustException("Cannot generate the local cluster's certificates: " + e, e);
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
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static String pkcs8(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        }
        return out.toString();
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
