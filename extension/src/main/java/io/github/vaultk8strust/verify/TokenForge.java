package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;

/** Make tokens Kubernetes would never issue: signed with the cluster's real key, a foreign key, or not at all. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TokenForge {

    /** A private key and the {@code kid} under which the cluster publishes its public half. */
    public record SigningKey(PrivateKey privateKey, String kid) {

        @Override
        public String toString() {
            return "SigningKey[kid=" + kid + "]";
        }
    }

    private TokenForge() {
    }

    /**
     * Return the cluster's service-account signing key with the {@code kid} of the matching key in
     * {@code /openid/v1/jwks}, so that a forged token's signature verifies exactly like a real one.
     */
    public static SigningKey clusterKey(TrustEnvironment environment) {
        PrivateKey key = environment.serviceAccountSigningKey().orElseThrow(() ->
                new VaultK8sTrustException("The " + environment.backend() + " backend does not hand out the cluster's "
                        + "service-account signing key, so tokens Kubernetes would not issue (expired, not yet valid, "
                        + "wrong issuer) cannot be forged. Use backend = Backend.LOCAL."));
        if (!(key instanceof RSAPrivateCrtKey rsa)) {
            throw new VaultK8sTrustException("The cluster's service-account signing key is a " + key.getAlgorithm()
                    + " key; only RSA (RS256) keys are supported.");
        }
        JWKSet keys;
        try (KubernetesClient kube = environment.newKubernetesClient()) {
            keys = JWKSet.parse(kube.raw("/openid/v1/jwks"));
        } catch (RuntimeException | java.text.ParseException e) {
            throw new VaultK8sTrustException("Cannot read the cluster's /openid/v1/jwks to find the signing key's kid: "
                    + e.getMessage(), e);
        }
        for (JWK jwk : keys.getKeys()) {
            try {
                if (jwk instanceof RSAKey published && published.toRSAPublicKey().getModulus().equals(rsa.getModulus())) {
                    return new SigningKey(key, published.getKeyID());
                }
            } catch (JOSEException e) {
                // Not a usable RSA key: keep looking.
            }
        }
        throw new VaultK8sTrustException("The cluster's /openid/v1/jwks publishes no key matching its signing key; kids: "
                + keys.getKeys().stream().map(JWK::getKeyID).toList());
    }

    /** Return a fresh RSA 2048 key that the cluster never published, under the given {@code kid}. */
    public static SigningKey foreignKey(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new SigningKey(generator.generateKeyPair().getPrivate(), kid);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sign the claims with RS256, header {@code {"alg":"RS256","kid":...}} as Kubernetes writes it; {@code aud} stays
     * a JSON array even with one audience, as in Kubernetes' tokens (Vault's kubernetes auth method fails with HTTP
     * 500 on a string).
     */
    public static String sign(JWTClaimsSet claims, SigningKey key) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.kid()).build(),
                new Payload(kubernetesJson(claims)));
        try {
            jws.sign(new RSASSASigner((RSAPrivateKey) key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token: " + e, e);
        }
        return jws.serialize();
    }

    /** Return the claims as an unsecured JWT: header {@code {"alg":"none"}} and an empty signature. */
    public static String unsigned(JWTClaimsSet claims) {
        return Base64URL.encode("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(kubernetesJson(claims).getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** Serialise as Kubernetes does: {@code aud} always a list. */
    static String kubernetesJson(JWTClaimsSet claims) {
        Map<String, Object> json = new LinkedHashMap<>(claims.toJSONObject());
        if (claims.getAudience() != null && !claims.getAudience().isEmpty()) {
            json.put("aud", new ArrayList<>(claims.getAudience()));
        }
        return JSONObjectUtils.toJSONString(json);
    }

    /** Rewrite the payload of a signed token and keep its header and signature. */
    public static String tamper(String raw, UnaryOperator<JWTClaimsSet> change) {
        try {
            SignedJWT jwt = SignedJWT.parse(raw);
            String payload = kubernetesJson(change.apply(jwt.getJWTClaimsSet()));
            String[] parts = raw.split("\\.");
            return parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("Not a signed JWT: " + e.getMessage(), e);
        }
    }
}
