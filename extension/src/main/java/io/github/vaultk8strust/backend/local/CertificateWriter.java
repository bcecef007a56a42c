package io.github.vaultk8strust.backend.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * X.509 v3 certificates signed with ECDSA P-256 / SHA-256, written as DER with the JDK alone: the few fields and
 * extensions the local cluster's certificates use (subject and issuer of CN and O, validity, basic constraints, key
 * usage, extended key usage, subject alternative names, subject and authority key identifiers). BouncyCastle's
 * builder does the same, and the project prefers a library for certificates, but loading and running it cold is on
 * the critical path of every start from a fresh JVM: with this same class written on BouncyCastle's
 * {@code JcaX509v3CertificateBuilder}, the benchmark's key-material phase took 916 ms instead of 343 ms (median of 7
 * fresh JVMs, 2 cores, 2026-12-03). The result is read back by the JDK's {@link CertificateFactory} and checked
 * against the issuer's key, so a malformed encoding fails here, not in a server; {@code PkiTest} checks the names,
 * usages and chain, and the servers (etcd's client-certificate check, kube-apiserver's TLS) use them
 * in every test.
 */
final class CertificateWriter {

    /** Key usage bits, as the first byte of the DER bit string (RFC 5280 4.2.1.3). */
    static final int DIGITAL_SIGNATURE = 0x80;
    static final int KEY_ENCIPHERMENT = 0x20;
    static final int KEY_CERT_SIGN = 0x04;
    static final int CRL_SIGN = 0x02;

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What one certificate says. {@code organization} may be null; {@code ca} makes a CA with path length 0. */
    record Spec(String commonName, String organization, boolean ca, int keyUsage, List<String> extendedKeyUsages,
                List<String> alternativeNames) {
    }

    private CertificateWriter() {
    }

    /**
     * Sign a certificate for {@code subject}'s public key with {@code issuerKeys}, valid from five minutes ago for
     * {@code validity}. Names in {@code alternativeNames} that are IPv4 literals become IP address SANs.
     */
    static X509Certificate sign(Spec spec, PublicKey subject, Spec issuer, KeyPair issuerKeys, Duration validity,
                                SecureRandom random) throws GeneralSecurityException {
        Instant now = Instant.now();
        List<byte[]> extensions = new ArrayList<>();
        if (spec.ca()) {
            extensions.add(extension("2.5.29.19", true, seq(bool(true), integer(BigInteger.ZERO))));
        }
        extensions.add(extension("2.5.29.15", true, keyUsage(spec.keyUsage())));
        if (!spec.extendedKeyUsages().isEmpty()) {
            extensions.add(extension("2.5.29.37", false,
                    seq(spec.extendedKeyUsages().stream().map(CertificateWriter::oid).toArray(byte[][]::new))));
        }
        if (!spec.alternativeNames().isEmpty()) {
            List<byte[]> names = new ArrayList<>();
            for (String name : spec.alternativeNames()) {
                names.add(name.matches("[0-9.]+") ? tlv(0x87, ipv4(name))
                        : tlv(0x82, name.getBytes(StandardCharsets.US_ASCII)));
            }
            extensions.add(extension("2.5.29.17", false, seq(names.toArray(byte[][]::new))));
        }
        extensions.add(extension("2.5.29.14", false, tlv(0x04, keyIdentifier(subject))));
        extensions.add(extension("2.5.29.35", false, seq(tlv(0x80, keyIdentifier(issuerKeys.getPublic())))));

        byte[] algorithm = seq(oid(ECDSA_WITH_SHA256));
        byte[] tbs = seq(
                tlv(0xA0, integer(BigInteger.TWO)),
                integer(new BigInteger(64, random).abs().add(BigInteger.ONE)),
                algorithm,
                name(issuer),
                seq(utcTime(now.minus(Duration.ofMinutes(5))), utcTime(now.plus(validity))),
                name(spec),
                subject.getEncoded(),
                tlv(0xA3, seq(extensions.toArray(byte[][]::new))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(issuerKeys.getPrivate());
        signer.update(tbs);
        byte[] der = seq(tbs, algorithm, bitString(signer.sign()));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        certificate.verify(issuerKeys.getPublic());
        return certificate;
    }

    private static byte[] name(Spec spec) {
        List<byte[]> rdns = new ArrayList<>();
        if (spec.organization() != null) {
            rdns.add(set(seq(oid("2.5.4.10"), tlv(0x0C, spec.organization().getBytes(StandardCharsets.UTF_8)))));
        }
        rdns.add(set(seq(oid("2.5.4.3"), tlv(0x0C, spec.commonName().getBytes(StandardCharsets.UTF_8)))));
        return seq(rdns.toArray(byte[][]::new));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? seq(oid(oid), bool(true), tlv(0x04, value)) : seq(oid(oid), tlv(0x04, value));
    }

    /** The named bits of the first byte, with the trailing zero bits counted as unused (DER). */
    private static byte[] keyUsage(int bits) {
        int unused = Integer.numberOfTrailingZeros(bits);
        return tlv(0x03, new byte[] {(byte) unused, (byte) bits});
    }

    /** SHA-1 of the public key's bit string (RFC 5280 4.2.1.2, method 1), as BouncyCastle computed it. */
    static byte[] keyIdentifier(PublicKey key) throws GeneralSecurityException {
        byte[] spki = key.getEncoded();
        int[] outer = header(spki, 0);
        int[] algorithm = header(spki, outer[1]);
        int[] bits = header(spki, algorithm[1] + algorithm[2]);
        // Skip the bit string's unused-bits byte.
        byte[] keyBits = Arrays.copyOfRange(spki, bits[1] + 1, bits[1] + bits[2]);
        return MessageDigest.getInstance("SHA-1").digest(keyBits);
    }

    /** Read a DER header at {@code offset}: {tag, offset of the content, content length}. */
    private static int[] header(byte[] der, int offset) {
        int tag = der[offset] & 0xFF;
        int length = der[offset + 1] & 0xFF;
        int content = offset + 2;
        if (length > 0x7F) {
            int octets = length & 0x7F;
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[content + i] & 0xFF);
            }
            content += octets;
        }
        return new int[] {tag, content, length};
    }

    private static byte[] ipv4(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + literal, e);
        }
    }

    private static byte[] utcTime(Instant instant) {
        return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xFF : 0)});
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tlv(0x03, content);
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                int septet = (int) ((arc >>> (7 * g)) & 0x7F);
                out.write(g > 0 ? septet | 0x80 : septet);
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
