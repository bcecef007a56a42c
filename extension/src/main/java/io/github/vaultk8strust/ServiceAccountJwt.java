package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Hold a Kubernetes service-account token: the raw JWT and its parsed claims ({@code iss}, {@code sub},
 * {@code aud}, {@code iat}, {@code nbf}, {@code exp}, {@code jti} and the {@code kubernetes.io} claim).
 * Parsing does not verify the signature: Vault does that when the token is used to log in.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ServiceAccountJwt {

    private final String raw;
    private final JWT jwt;
    private final JWTClaimsSet claims;

    private ServiceAccountJwt(String raw, JWT jwt, JWTClaimsSet claims) {
        this.raw = raw;
        this.jwt = jwt;
        this.claims = claims;
    }

    /**
     * Parse a compact JWT.
     *
     * @throws IllegalArgumentException when {@code raw} is not a JWT
     */
    public static ServiceAccountJwt parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        try {
            JWT jwt = JWTParser.parse(raw.trim());
            return new ServiceAccountJwt(raw.trim(), jwt, jwt.getJWTClaimsSet());
        } catch (ParseException e) {
            throw new IllegalArgumentException("Not a JWT (" + e.getMessage() + ")", e);
        }
    }

    /** Return the compact serialisation, as sent to {@code auth/jwt/login}. */
    public String raw() {
        return raw;
    }

    /** Return all claims. */
    public JWTClaimsSet claims() {
        return claims;
    }

    /** Return the parsed token, header included. */
    public JWT jwt() {
        return jwt;
    }

    /** Return {@code iss}. */
    public String issuer() {
        return claims.getIssuer();
    }

    /** Return {@code sub}, e.g. {@code system:serviceaccount:default:vault-writer}. */
    public String subject() {
        return claims.getSubject();
    }

    /** Return {@code aud}. */
    public List<String> audience() {
        return claims.getAudience();
    }

    /** Return {@code iat}. */
    public Instant issuedAt() {
        return toInstant(claims.getIssueTime());
    }

    /** Return {@code nbf}. */
    public Instant notBefore() {
        return toInstant(claims.getNotBeforeTime());
    }

    /** Return {@code exp}. */
    public Instant expiresAt() {
        return toInstant(claims.getExpirationTime());
    }

    /** Return {@code jti}. */
    public String jwtId() {
        return claims.getJWTID();
    }

    /** Return {@code kubernetes.io.namespace}. */
    public String namespace() {
        return (String) kubernetesClaim().get("namespace");
    }

    /** Return {@code kubernetes.io.serviceaccount.name}. */
    public String serviceAccountName() {
        return (String) nested("serviceaccount").get("name");
    }

    /** Return {@code kubernetes.io.serviceaccount.uid}. */
    public String serviceAccountUid() {
        return (String) nested("serviceaccount").get("uid");
    }

    /** Return {@code kubernetes.io.pod.name} for pod-bound tokens. */
    public Optional<String> podName() {
        return Optional.ofNullable((String) nested("pod").get("name"));
    }

    /** Return the {@code kubernetes.io} claim as a map (empty when absent). */
    public Map<String, Object> kubernetesClaim() {
        try {
            Map<String, Object> value = claims.getJSONObjectClaim("kubernetes.io");
            return value == null ? Map.of() : value;
        } catch (ParseException e) {
            return Map.of();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> nested(String name) {
        Object value = kubernetesClaim().get(name);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    private static Instant toInstant(Date date) {
        return date == null ? null : date.toInstant();
    }

    /** Describe the token by its claims; the signed token itself is never printed. */
    @Override
    public String toString() {
        return "ServiceAccountJwt" + claims.toJSONObject();
    }
}
