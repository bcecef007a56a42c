package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.OwnThread;
import io.github.vaultk8strust.support.PemKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * The local cluster's key material, generated fresh for every environment: a CA, the API server's serving
 * certificate, the administrator's bearer token ({@code system:masters}, from the token file kube-apiserver reads),
 * the service-account signing key, and etcd's serving (and peer) certificate with the client certificate
 * kube-apiserver presents to it: etcd accepts only clients whose certificate this environment's CA signed.
 * Private keys and the token go only to files readable by the owner; they are never logged.
 * <p>The administrator authenticates with a token rather than a client certificate: fabric8 builds a client's key
 * managers through a PKCS#12 key store, whose 10,000 rounds of PBKDF2 for the one key entry cost a fresh JVM about a
 * quarter of a second of the start-up's critical path, and a token spares every TLS handshake the client-side
 * signature.
 */
@API(status = INTERNAL, since = "0.1")
public final class Pki {

    /** Files and PEMs of one environment's key material. */
    public record Material(String caPem, Path caCert, Path servingCert, Path servingKey, String adminToken,
                           Path adminTokenFile, Path serviceAccountKey, Path serviceAccountPublicKey,
                           Path etcdCert, Path etcdKey, Path etcdClientCert, Path etcdClientKey,
                           CompletableFuture<KeyPair> pendingServiceAccountKeys) {

        /**
         * Wait for the service-account key and write {@link #serviceAccountKey()} and
         * {@link #serviceAccountPublicKey()} (once): only kube-apiserver needs them, so etcd can start before.
         */
        public synchronized void awaitServiceAccountKey() {
            if (Files.isRegularFile(serviceAccountPublicKey)) {
                return;
            }
            try {
                KeyPair keys = awaitKeys(pendingServiceAccountKeys);
                write(serviceAccountKey, pkcs8(keys.getPrivate()));
                write(serviceAccountPublicKey, pem(keys.getPublic()));
            } catch (GeneralSecurityException e) {
                throw new VaultK8sTrustException("Cannot generate the service-account key: " + e, e);
            }
        }

        @Override
        public String toString() {
            return "Pki.Material[ca=" + caCert + "]";
        }
    }

    /** The administrator's user name; its group is {@code system:masters}. */
    public static final String ADMIN_USER = "vault-k8s-trust-admin";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(7);

    private Pki() {
    }

    /**
     * Generate all key material into {@code dir} (which should be private to the user). The serving certificate
     * covers 127.0.0.1, localhost and {@code servingDnsNames} (IPv4 literals among them become IP SANs).
     */
    public static Material generate(Path dir, List<String> servingDnsNames) {
        Material material = generate(dir, servingDnsNames, serviceAccountKeys());
        material.awaitServiceAccountKey();
        return material;
    }

    /**
     * Start generating the service-account signing key (RSA 2048) on a thread of its own and return it as it will
     * be. It is the one slow key: in a fresh JVM, where the big-number arithmetic is not compiled yet, the JDK took
     * about a second for it, longer than all the rest of the key material together, so it runs beside the rest, and
     * {@code openssl} makes it when it is on the {@code PATH} (natively, in a tenth of that time); else the JDK does.
     * The key is made for one environment and never reused.
     */
    public static CompletableFuture<KeyPair> serviceAccountKeys() {
        return OwnThread.supply("service-account-key", () -> openSslRsaKey().orElseGet(Pki::jdkRsaKey));
    }

    // RS256 is what every OIDC client, Vault's included, accepts without extra configuration.
    private static KeyPair jdkRsaKey() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, RANDOM);
            return rsa.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new VaultK8sTrustException("Cannot generate the service-account key: " + e, e);
        }
    }

    /** An RSA 2048 key from {@code openssl genpkey} (PKCS#8 on its standard output), or empty if that fails. */
    static Optional<KeyPair> openSslRsaKey() {
        Process process = null;
        try {
            process = new ProcessBuilder("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            String pem = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            PrivateKey key = PemKeys.privateKey(pem, "openssl's service-account key");
            if (!(key instanceof RSAPrivateCrtKey rsa) || rsa.getModulus().bitLength() != 2048) {
                return Optional.empty();
            }
            PublicKey publicKey = KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            return Optional.of(new KeyPair(publicKey, key));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty(); // no openssl, or an answer it cannot read: the JDK makes the key
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * As {@link #generate(Path, List)}, with the service-account key from {@link #serviceAccountKeys()}, which it
     * does not wait for: {@link Material#awaitServiceAccountKey()} does, before kube-apiserver starts.
     */
    public static Material generate(Path dir, List<String> servingDnsNames, CompletableFuture<KeyPair> saKeyPair) {
        try {
            KeyPair caKeys = ec();
            CertificateWriter.Spec caSpec = new CertificateWriter.Spec("vault-k8s-trust-ca", null, true,
                    CertificateWriter.KEY_CERT_SIGN | CertificateWriter.CRL_SIGN, List.of(), List.of());
            X509Certificate ca = sign(caSpec, caKeys, caSpec, caKeys);

            // An IP literal among the names (the Docker bridge gateway, for Vault in a container) is an iPAddress SAN.
            List<String> servingNames = new ArrayList<>(List.of("127.0.0.1", "localhost"));
            servingNames.addAll(servingDnsNames);
            KeyPair servingKeys = ec();
            X509Certificate serving = sign(new CertificateWriter.Spec("kube-apiserver", null, false,
                    CertificateWriter.DIGITAL_SIGNATURE | CertificateWriter.KEY_ENCIPHERMENT,
                    List.of(CertificateWriter.SERVER_AUTH), servingNames), servingKeys, caSpec, caKeys);

            // Client auth too: the same certificate serves etcd's (TLS-only) peer listener.
            KeyPair etcdKeys = ec();
            X509Certificate etcd = sign(new CertificateWriter.Spec("etcd", null, false,
                    CertificateWriter.DIGITAL_SIGNATURE | CertificateWriter.KEY_ENCIPHERMENT,
                    List.of(CertificateWriter.SERVER_AUTH, CertificateWriter.CLIENT_AUTH),
                    List.of("127.0.0.1", "localhost")), etcdKeys, caSpec, caKeys);
            KeyPair etcdClientKeys = ec();
            X509Certificate etcdClient = sign(new CertificateWriter.Spec("kube-apiserver-etcd-client", null, false,
                    CertificateWriter.DIGITAL_SIGNATURE, List.of(CertificateWriter.CLIENT_AUTH), List.of()),
                    etcdClientKeys, caSpec, caKeys);

            String caPem = pem(ca);
            Path caCert = write(dir.resolve("ca.crt"), caPem);
            Path servingCert = write(dir.resolve("apiserver.crt"), pem(serving) + caPem);
            Path servingKey = write(dir.resolve("apiserver.key"), pkcs8(servingKeys.getPrivate()));
            Path etcdCert = write(dir.resolve("etcd.crt"), pem(etcd));
            Path etcdKey = write(dir.resolve("etcd.key"), pkcs8(etcdKeys.getPrivate()));
            Path etcdClientCert = write(dir.resolve("etcd-client.crt"), pem(etcdClient));
            Path etcdClientKey = write(dir.resolve("etcd-client.key"), pkcs8(etcdClientKeys.getPrivate()));
            // kube-apiserver's --token-auth-file: token,user,uid,"groups".
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            String adminToken = java.util.HexFormat.of().formatHex(random);
            Path adminTokenFile = write(dir.resolve("admin-token.csv"), adminToken + "," + ADMIN_USER + ","
                    + ADMIN_USER + ",\"system:masters\"\n");
            return new Material(caPem, caCert, servingCert, servingKey, adminToken, adminTokenFile,
                    dir.resolve("sa.key"), dir.resolve("sa.pub"), etcdCert, etcdKey, etcdClientCert, etcdClientKey,
                    saKeyPair);
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof VaultK8sTrustException || e instanceof UncheckedIOException) {
                throw (RuntimeException) e;
            }
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

    private static X509Certificate sign(CertificateWriter.Spec spec, KeyPair subjectKeys, CertificateWriter.Spec issuer,
                                        KeyPair issuerKeys) throws GeneralSecurityException {
        return CertificateWriter.sign(spec, subjectKeys.getPublic(), issuer, issuerKeys, VALIDITY, RANDOM);
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
