package io.github.vaultk8strust;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JWT role as written to {@code auth/<path>/role/<name>}. {@code boundSubject} is empty when the role binds
 * claims only; {@code boundClaimsType} is Vault's {@code string} or {@code glob}; {@code claimMappings} maps
 * claim to metadata key.
 */
public record RoleSpec(String name, String boundSubject, List<String> boundAudiences, String userClaim,
                       List<String> policies, String ttl, Map<String, List<String>> boundClaims,
                       String boundClaimsType, Map<String, String> claimMappings) {

    private static final Pattern SA_SUBJECT = Pattern.compile("system:serviceaccount:([^:]+):([^:]+)");

    public RoleSpec {
        boundAudiences = List.copyOf(boundAudiences);
        policies = List.copyOf(policies);
        Map<String, List<String>> claims = new LinkedHashMap<>();
        boundClaims.forEach((claim, values) -> claims.put(claim, List.copyOf(values)));
        boundClaims = Collections.unmodifiableMap(claims);
        claimMappings = Collections.unmodifiableMap(new LinkedHashMap<>(claimMappings));
    }

    /** A role that binds a subject and audiences only, as the seed's {@code k8s-dev} does. */
    public RoleSpec(String name, String boundSubject, List<String> boundAudiences, String userClaim,
                    List<String> policies, String ttl) {
        this(name, boundSubject, boundAudiences, userClaim, policies, ttl, Map.of(), "string", Map.of());
    }

    /** Return the service account named by a {@code system:serviceaccount:<ns>:<name>} bound subject. */
    public Optional<ServiceAccountSpec> boundServiceAccount() {
        Matcher m = SA_SUBJECT.matcher(boundSubject);
        return m.matches() ? Optional.of(new ServiceAccountSpec(m.group(1), m.group(2))) : Optional.empty();
    }
}
