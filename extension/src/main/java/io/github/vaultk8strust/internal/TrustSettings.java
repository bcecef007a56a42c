package io.github.vaultk8strust.internal;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.internal.local.ServerBinary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved, validated configuration of one environment. Immutable; also the key under which environments
 * are shared, so two test classes with equal settings share one environment.
 */
public record TrustSettings(
        Backend backend,
        VaultMode vaultMode,
        Duration startupTimeout,
        String kvPath,
        String authPath,
        String defaultRole,
        List<RoleSpec> roles,
        List<PolicySpec> policies,
        List<ServiceAccountSpec> serviceAccounts,
        List<String> namespaces,
        LocalOptions local,
        K3sOptions k3s) {

    public TrustSettings {
        roles = List.copyOf(roles);
        policies = List.copyOf(policies);
        serviceAccounts = List.copyOf(serviceAccounts);
        namespaces = List.copyOf(namespaces);
    }

    /** Return the role with this name. */
    public Optional<RoleSpec> role(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }

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

    /** A Vault ACL policy; {@code origin} says where the HCL came from, for error messages. */
    public record PolicySpec(String name, String hcl, String origin) {
    }

    /** A Kubernetes service account. */
    public record ServiceAccountSpec(String namespace, String name) {

        /** Return the token subject of this service account. */
        public String subject() {
            return "system:serviceaccount:" + namespace + ":" + name;
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    /** What a k3s-only feature does on the local backend. */
    public enum K3sOnlyPolicy {
        /** Abort the test: it is reported skipped with the reason. */
        SKIP,
        /** Fail with an error that says why and how to switch backends. */
        FAIL
    }

    /**
     * The k3s backend's images, and what k3s-only features do elsewhere.
     *
     * @param k3sImage the k3s image, as given (Testcontainers' image substitution applies when pulling)
     * @param vaultImage the Vault or OpenBao image deployed in the cluster
     * @param systemImages k3s's own images to side-load; empty for none
     * @param k3sOnly what a k3s-only feature does on the local backend
     */
    public record K3sOptions(String k3sImage, String vaultImage, List<String> systemImages, K3sOnlyPolicy k3sOnly) {

        public K3sOptions {
            systemImages = List.copyOf(systemImages);
        }
    }

    /** Where the local backend finds its server binaries. */
    public record LocalOptions(Map<ServerBinary, Path> explicitBinaries, Path cacheDir, boolean download,
                               boolean build) {

        public LocalOptions {
            explicitBinaries = Map.copyOf(explicitBinaries);
        }
    }
}
