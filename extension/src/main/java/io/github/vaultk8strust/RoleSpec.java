package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A JWT role as written to {@code auth/<path>/role/<name>}. {@code boundSubject} is empty when the role binds
 * claims only; {@code boundClaimsType} is Vault's {@code string} or {@code glob}; {@code claimMappings} maps
 * claim to metadata key.
 *
 * <p>A role read from a file ({@link #fromResource(String)}, {@link #fromFile(Path)}, the directory variants) has
 * its {@link #file()}: that file's parameters are what Vault gets, as they are, and the other components are read
 * from it (empty when the file does not set them: {@code ttl} is {@code token_ttl}, else {@code ttl};
 * {@code policies} is {@code token_policies}, else {@code policies}), so that logins, assertions, the policy matrix
 * and adversarial tokens work on it as on a role declared attribute by attribute.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RoleSpec(String name, String boundSubject, List<String> boundAudiences, String userClaim,
                       List<String> policies, String ttl, Map<String, List<String>> boundClaims,
                       String boundClaimsType, Map<String, String> claimMappings, Optional<RoleFile> file) {

    private static final Pattern SA_SUBJECT = Pattern.compile("system:serviceaccount:([^:]+):([^:]+)");

    public RoleSpec {
        boundAudiences = List.copyOf(boundAudiences);
        policies = List.copyOf(policies);
        Map<String, List<String>> claims = new LinkedHashMap<>();
        boundClaims.forEach((claim, values) -> claims.put(claim, List.copyOf(values)));
        boundClaims = Collections.unmodifiableMap(claims);
        claimMappings = Collections.unmodifiableMap(new LinkedHashMap<>(claimMappings));
        file = Objects.requireNonNullElse(file, Optional.empty());
    }

    /** A role declared attribute by attribute (not from a file). */
    public RoleSpec(String name, String boundSubject, List<String> boundAudiences, String userClaim,
                    List<String> policies, String ttl, Map<String, List<String>> boundClaims,
                    String boundClaimsType, Map<String, String> claimMappings) {
        this(name, boundSubject, boundAudiences, userClaim, policies, ttl, boundClaims, boundClaimsType,
                claimMappings, Optional.empty());
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

    /**
     * Read a role from a role file on the class path (the thread's context class loader), e.g.
     * {@code RoleSpec.fromResource("vault/roles/k8s-dev.json")}: role {@code k8s-dev}, with the file's parameters sent
     * to Vault as they are. JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}) with the same keys.
     *
     * @throws VaultK8sTrustConfigurationException when the file is missing (the message says where it was looked
     *         for) or not a JSON or YAML object (the message names the line)
     */
    public static RoleSpec fromResource(String resource) {
        Objects.requireNonNull(resource, "resource");
        return named("RoleSpec.fromResource(\"" + resource + "\")",
                () -> from(RoleFile.resource(resource, RoleFiles.contextClassLoader())));
    }

    /**
     * Read a role from a role file, e.g. {@code RoleSpec.fromFile(Path.of("deploy/vault/roles/k8s-dev.json"))}.
     *
     * @throws VaultK8sTrustConfigurationException when the file is missing (the message names the absolute path) or
     *         not a JSON or YAML object (the message names the line)
     */
    public static RoleSpec fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        return named("RoleSpec.fromFile(Path.of(\"" + file + "\"))", () -> from(RoleFile.file(file)));
    }

    /**
     * Read a role from every role file ({@code .json}, {@code .yaml}, {@code .yml}) of a class-path directory, e.g.
     * {@code RoleSpec.fromResourceDirectory("vault/roles/jwt")}; each is named after its file.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing or holds no role file, or one of them
     *         cannot be read
     */
    public static List<RoleSpec> fromResourceDirectory(String directory) {
        Objects.requireNonNull(directory, "directory");
        return named("RoleSpec.fromResourceDirectory(\"" + directory + "\")", () -> RoleFile.resourceDirectory(
                directory, RoleFiles.contextClassLoader()).stream().map(RoleSpec::from).toList());
    }

    /**
     * Read a role from every role file ({@code .json}, {@code .yaml}, {@code .yml}) of a directory; each is named after
     * its file.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing or holds no role file, or one of them
     *         cannot be read
     */
    public static List<RoleSpec> fromDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return named("RoleSpec.fromDirectory(Path.of(\"" + directory + "\"))",
                () -> RoleFile.directory(directory).stream().map(RoleSpec::from).toList());
    }

    /**
     * Make the role of a role file: named after the file (without its extension), its bindings read from the file's
     * {@code bound_subject}, {@code bound_audiences}, {@code user_claim}, {@code bound_claims},
     * {@code bound_claims_type}, {@code claim_mappings}, {@code token_policies} (or {@code policies}) and
     * {@code token_ttl} (or {@code ttl}).
     */
    public static RoleSpec from(RoleFile file) {
        Objects.requireNonNull(file, "file");
        return new RoleSpec(file.roleName(), file.text("bound_subject"), file.list("bound_audiences"),
                file.text("user_claim"), file.policies(), file.ttl(), file.claims("bound_claims"),
                file.has("bound_claims_type") ? file.text("bound_claims_type") : "string",
                file.strings("claim_mappings"), Optional.of(file));
    }

    /** Return the same role under another name, e.g. a role file's role under a name of the test's choosing. */
    public RoleSpec withName(String name) {
        return new RoleSpec(Objects.requireNonNull(name, "name"), boundSubject, boundAudiences, userClaim, policies,
                ttl, boundClaims, boundClaimsType, claimMappings, file);
    }

    /** Run a read, prefixing its misuse message with the call that asked for it. */
    static <T> T named(String call, Supplier<T> read) {
        try {
            return read.get();
        } catch (VaultK8sTrustConfigurationException e) {
            throw new VaultK8sTrustConfigurationException(call + ": " + e.getMessage(), e);
        }
    }

    /** Return a builder for a role named {@code name}, with the defaults of {@code @JwtRole}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Build a {@link RoleSpec} with the defaults of {@code @JwtRole}: audience {@code vault-dev}, user claim
     * {@code sub}, TTL {@code 1h}, exact ({@code string}) claim matching. Values are validated when the environment
     * starts.
     */
    public static final class Builder {

        private final String name;
        private String boundSubject = "";
        private List<String> boundAudiences = List.of(Seed.AUDIENCE);
        private String userClaim = "sub";
        private List<String> policies = List.of();
        private String ttl = "1h";
        private final Map<String, List<String>> boundClaims = new LinkedHashMap<>();
        private BoundClaimsType boundClaimsType = BoundClaimsType.STRING;
        private final Map<String, String> claimMappings = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = java.util.Objects.requireNonNull(name, "name");
        }

        /** Bind the token subject, e.g. {@code system:serviceaccount:payments:reader}. */
        public Builder boundSubject(String subject) {
            this.boundSubject = java.util.Objects.requireNonNull(subject, "subject");
            return this;
        }

        /** Bind the token audiences (at least one). */
        public Builder boundAudiences(String... audiences) {
            this.boundAudiences = List.of(audiences);
            return this;
        }

        /** Set the claim Vault uses as the user name; default {@code sub}. */
        public Builder userClaim(String claim) {
            this.userClaim = java.util.Objects.requireNonNull(claim, "claim");
            return this;
        }

        /** Set the policies a login gets. */
        public Builder policies(String... names) {
            this.policies = List.of(names);
            return this;
        }

        /** Set the token TTL as a Vault duration, e.g. {@code 15m}; default {@code 1h}. */
        public Builder ttl(String ttl) {
            this.ttl = java.util.Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Bind a claim (a name or a JSON pointer such as {@code /kubernetes.io/namespace}) to accepted values. */
        public Builder boundClaim(String claim, String... values) {
            if (boundClaims.put(java.util.Objects.requireNonNull(claim, "claim"), List.of(values)) != null) {
                throw new VaultK8sTrustConfigurationException("RoleSpec.builder(\"" + name + "\").boundClaim(\"" + claim
                        + "\", ...) is called twice; list all accepted values in one call");
            }
            return this;
        }

        /** Compare bound claim values exactly ({@link BoundClaimsType#STRING}, default) or as globs. */
        public Builder boundClaimsType(BoundClaimsType type) {
            this.boundClaimsType = java.util.Objects.requireNonNull(type, "type");
            return this;
        }

        /** Copy a claim into the token's metadata under the given key. */
        public Builder claimMapping(String claim, String metadataKey) {
            if (claimMappings.put(java.util.Objects.requireNonNull(claim, "claim"),
                    java.util.Objects.requireNonNull(metadataKey, "metadataKey")) != null) {
                throw new VaultK8sTrustConfigurationException("RoleSpec.builder(\"" + name + "\").claimMapping(\""
                        + claim + "\", ...): claim \"" + claim + "\" is mapped twice");
            }
            return this;
        }

        /** Return the role. */
        public RoleSpec build() {
            return new RoleSpec(name, boundSubject, boundAudiences, userClaim, policies, ttl, boundClaims,
                    boundClaimsType.name().toLowerCase(java.util.Locale.ROOT), claimMappings);
        }
    }
}
