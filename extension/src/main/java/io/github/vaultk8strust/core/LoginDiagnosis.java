package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Explain a rejected login by comparing the token, claim by claim, with what the role binds: the lines a
 * {@link io.github.vaultk8strust.VaultLoginException} shows next to Vault's own reason. Pure logic: the caller
 * reads the role from Vault and the keys from the cluster.
 */
@API(status = INTERNAL, since = "0.1")
public final class LoginDiagnosis {

    /**
     * What a role binds, as Vault reports it ({@code auth/<path>/role/<name>} and {@code bound_issuer} of
     * {@code auth/<path>/config}); {@code boundSubject} and {@code boundIssuer} are empty when not set.
     */
    public record Binding(String boundSubject, List<String> boundAudiences, Map<String, List<String>> boundClaims,
                          String boundClaimsType, String boundIssuer) {

        public Binding {
            boundSubject = Objects.requireNonNullElse(boundSubject, "");
            boundIssuer = Objects.requireNonNullElse(boundIssuer, "");
            boundAudiences = List.copyOf(boundAudiences);
            boundClaims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(boundClaims));
            boundClaimsType = boundClaimsType == null || boundClaimsType.isEmpty() ? "string" : boundClaimsType;
        }

        /** Render as in the exception message. */
        String describe() {
            StringBuilder out = new StringBuilder();
            out.append("bound_subject=").append(boundSubject.isEmpty() ? "(none)" : boundSubject)
                    .append(", bound_audiences=").append(boundAudiences);
            if (!boundClaims.isEmpty()) {
                out.append(", bound_claims=").append(boundClaims).append(" (").append(boundClaimsType).append(")");
            }
            return out.append(", bound_issuer=").append(boundIssuer.isEmpty() ? "(none)" : boundIssuer).toString();
        }
    }

    /** The comparison: the token line, the role line and the mismatches found (empty when none was found). */
    public record Result(String token, String role, List<String> mismatches) {

        public Result {
            mismatches = List.copyOf(mismatches);
        }
    }

    private LoginDiagnosis() {
    }

    /**
     * Compare, or, when the role could not be read ({@code roleReadFailure} not null), say only that: the role is
     * unknown, which is not the same as absent.
     */
    public static Result diagnose(String rawJwt, Binding binding, String roleReadFailure, JWKSet keys, Instant now) {
        if (binding != null || roleReadFailure == null) {
            return diagnose(rawJwt, binding, keys, now);
        }
        String token;
        try {
            JWT jwt = JWTParser.parse(rawJwt.trim());
            token = describe(jwt, jwt.getJWTClaimsSet());
        } catch (ParseException e) {
            token = "not a JWT";
        }
        return new Result(token, roleUnknown(roleReadFailure), List.of());
    }

    /** The role line when the role could not be read. */
    public static String roleUnknown(String readFailure) {
        return "role unknown (read failed: " + readFailure + ")";
    }

    /**
     * Compare.
     *
     * @param binding the role's binding, or {@code null} when the role does not exist
     * @param keys the cluster's published keys, or {@code null} when they could not be read
     */
    public static Result diagnose(String rawJwt, Binding binding, JWKSet keys, Instant now) {
        List<String> mismatches = new ArrayList<>();
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(rawJwt.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            mismatches.add("the token is not a JWT (" + e.getMessage() + ")");
            return new Result("not a JWT", binding == null ? "(none)" : binding.describe(), mismatches);
        }
        String token = describe(jwt, claims);
        if (binding == null) {
            mismatches.add("the role does not exist in Vault");
            return new Result(token, "(none)", mismatches);
        }

        signature(rawJwt.trim(), jwt, keys, mismatches);
        if (!binding.boundIssuer().isEmpty() && !binding.boundIssuer().equals(claims.getIssuer())) {
            mismatches.add("iss " + claims.getIssuer() + " ≠ bound_issuer " + binding.boundIssuer());
        }
        List<String> audience = claims.getAudience();
        if (!binding.boundAudiences().isEmpty() && audience.stream().noneMatch(binding.boundAudiences()::contains)) {
            mismatches.add("aud " + audience + " ≠ bound_audiences " + binding.boundAudiences());
        }
        if (!binding.boundSubject().isEmpty() && !binding.boundSubject().equals(claims.getSubject())) {
            mismatches.add("sub " + claims.getSubject() + " ≠ bound_subject " + binding.boundSubject());
        }
        timeMismatches(claims, now, mismatches);
        boolean glob = binding.boundClaimsType().equals("glob");
        binding.boundClaims().forEach((name, accepted) -> {
            Object value = claim(claims.toJSONObject(), name);
            if (value == null) {
                mismatches.add("claim " + name + " is missing; bound_claims expects " + accepted);
                return;
            }
            Collection<?> values = value instanceof Collection<?> list ? list : List.of(value);
            boolean matches = values.stream().map(String::valueOf)
                    .anyMatch(v -> accepted.stream().anyMatch(a -> glob ? globMatches(a, v) : a.equals(v)));
            if (!matches) {
                mismatches.add("claim " + name + " = " + value + " does not match bound_claims " + accepted
                        + (glob ? " (glob)" : " (string)"));
            }
        });
        return new Result(token, binding.describe(), mismatches);
    }

    private static void signature(String raw, JWT jwt, JWKSet keys, List<String> mismatches) {
        if (jwt instanceof PlainJWT) {
            mismatches.add("alg none: the token is unsigned");
            return;
        }
        if (keys == null) {
            return;
        }
        String kid = jwt.getHeader() instanceof com.nimbusds.jose.JWSHeader h ? h.getKeyID() : null;
        JWK key = kid == null ? null : keys.getKeyByKeyId(kid);
        if (key == null) {
            mismatches.add("kid " + kid + " is not among the cluster's published keys " + keys.getKeys().stream()
                    .map(JWK::getKeyID).toList());
            return;
        }
        try {
            JWSObject jws = JWSObject.parse(raw);
            if (key instanceof RSAKey rsa && !jws.verify(new RSASSAVerifier(rsa))) {
                mismatches.add("signature does not verify with the cluster's key " + kid
                        + ": signed by another key, or the header or payload was changed after signing");
            }
        } catch (ParseException | JOSEException e) {
            mismatches.add("signature cannot be checked with the cluster's key " + kid + ": " + e.getMessage());
        }
    }

    /** Resolve a top-level claim or a JSON pointer ({@code /kubernetes.io/namespace}). */
    static Object claim(Map<String, Object> claims, String name) {
        if (!name.startsWith("/")) {
            return claims.get(name);
        }
        Object current = claims;
        for (String segment : name.substring(1).split("/", -1)) {
            String key = segment.replace("~1", "/").replace("~0", "~");
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** Vault's glob (ryanuber/go-glob): {@code *} matches any run of characters, nothing else is special. */
    static boolean globMatches(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }

    /** Vault's own time checks, the same for both methods: {@code exp} in the past, {@code nbf} in the future. */
    static void timeMismatches(JWTClaimsSet claims, Instant now, List<String> mismatches) {
        Instant exp = instant(claims.getExpirationTime());
        if (exp != null && !exp.isAfter(now)) {
            mismatches.add("exp " + exp + " is in the past (now " + now + "): the token is expired");
        }
        Instant nbf = instant(claims.getNotBeforeTime());
        if (nbf != null && nbf.isAfter(now)) {
            mismatches.add("nbf " + nbf + " is in the future (now " + now + "): the token is not yet valid");
        }
    }

    static String describe(JWT jwt, JWTClaimsSet claims) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("sub", claims.getSubject());
        shown.put("aud", claims.getAudience());
        shown.put("iss", claims.getIssuer());
        shown.put("nbf", instant(claims.getNotBeforeTime()));
        shown.put("exp", instant(claims.getExpirationTime()));
        Object kubernetes = claims.getClaim("kubernetes.io");
        if (kubernetes != null) {
            shown.put("kubernetes.io", kubernetes);
        }
        StringBuilder out = new StringBuilder();
        shown.forEach((k, v) -> out.append(out.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        out.append(", alg=").append(jwt.getHeader().getAlgorithm().getName());
        if (jwt.getHeader() instanceof com.nimbusds.jose.JWSHeader h && h.getKeyID() != null) {
            out.append(", kid=").append(h.getKeyID());
        }
        return out.toString();
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
