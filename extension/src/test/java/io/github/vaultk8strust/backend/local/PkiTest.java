package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.support.PemKeys;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key material the local cluster runs on, as the servers read it: certificates the CA signed, with the names,
 * key usages and extended key usages each server checks, and private keys that match them.
 */
class PkiTest {

    @TempDir
    Path dir;

    @Test
    void certificatesCarryWhatEachServerChecks() throws Exception {
        Pki.Material pki = Pki.generate(dir, List.of("kubernetes.default.svc", "172.17.0.1"));
        X509Certificate ca = certificate(pki.caPem());
        X509Certificate serving = certificate(Files.readString(pki.servingCert()));
        X509Certificate etcd = certificate(Files.readString(pki.etcdCert()));
        X509Certificate etcdClient = certificate(Files.readString(pki.etcdClientCert()));

        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        for (X509Certificate leaf : List.of(serving, etcd, etcdClient)) {
            leaf.verify(ca.getPublicKey());
            assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        }
        assertThat(serving.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactly((Object) "127.0.0.1", "localhost", "kubernetes.default.svc", "172.17.0.1");
        assertThat(serving.getExtendedKeyUsage()).containsExactly(CertificateWriter.SERVER_AUTH);
        assertThat(pki.adminToken()).matches("[0-9a-f]{64}");
        assertThat(Files.readString(pki.adminTokenFile())).isEqualTo(pki.adminToken()
                + ",vault-k8s-trust-admin,vault-k8s-trust-admin,\"system:masters\"\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                pki.adminTokenFile()))).isEqualTo("rw-------");
        assertThat(Pki.generate(Files.createDirectory(dir.resolve("other")), List.of()).adminToken()).as("fresh per environment")
                .isNotEqualTo(pki.adminToken());
        assertThat(etcd.getExtendedKeyUsage()).containsExactly(CertificateWriter.SERVER_AUTH,
                CertificateWriter.CLIENT_AUTH);
        assertThat(etcd.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1)).containsExactly((Object) "127.0.0.1",
                "localhost");
        assertThat(etcdClient.getExtendedKeyUsage()).containsExactly(CertificateWriter.CLIENT_AUTH);
        assertThat(serving.getNotAfter()).isAfter(serving.getNotBefore());
    }

    @Test
    void eachPrivateKeyMatchesItsCertificateOrPublicKey() throws Exception {
        Pki.Material pki = Pki.generate(dir, List.of());
        assertMatch(Files.readString(pki.servingKey()), certificate(Files.readString(pki.servingCert())));
        assertMatch(Files.readString(pki.etcdKey()), certificate(Files.readString(pki.etcdCert())));
        assertMatch(Files.readString(pki.etcdClientKey()), certificate(Files.readString(pki.etcdClientCert())));

        java.security.PrivateKey serviceAccount = PemKeys.privateKey(Files.readString(pki.serviceAccountKey()), "sa");
        assertThat(serviceAccount.getAlgorithm()).isEqualTo("RSA");
        assertThat(Files.readString(pki.serviceAccountPublicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n");
    }

    private static void assertMatch(String keyPem, X509Certificate certificate) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(PemKeys.privateKey(keyPem, "test key"));
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
