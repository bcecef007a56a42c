package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A role of Vault's {@code kubernetes} auth method, as written to {@code auth/<kubernetesAuthPath>/role/<name>}.
 * Names and namespaces may be globs ({@code *} alone accepts any); {@code audience} is empty when the role sets none
 * (then Vault asks TokenReview for the token's own audiences, so a token for any audience is accepted).
 *
 * <p>A role read from a file ({@link #fromResource(String)}, {@link #fromFile(Path)}, the directory variants) has
 * its {@link #file()}: that file's parameters are what Vault gets, as they are, and the other components are read
 * from it (empty when the file does not set them), so that logins, assertions, the policy matrix and adversarial
 * tokens work on it as on a role declared attribute by attribute.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record KubernetesRoleSpec(String name, List<String> boundServiceAccountNames,
                                 List<String> boundServiceAccountNamespaces, String audience,
                                 AliasNameSource aliasNameSource, List<String> policies, String ttl,
                                 Optional<RoleFile> file) {

    public KubernetesRoleSpec {
        Objects.requireNonNull(name, "name");
        boundServiceAccountNames = List.copyOf(boundServiceAccountNames);
        boundServiceAccountNamespaces = List.copyOf(boundServiceAccountNamespaces);
        audience = Objects.requireNonNullElse(audience, "");
        aliasNameSource = Objects.requireNonNullElse(aliasNameSource, AliasNameSource.SERVICEACCOUNT_UID);
        policies = List.copyOf(policies);
        ttl = Objects.requireNonNull(ttl, "ttl");
        file = Objects.requireNonNullElse(file, Optional.empty());
    }

    /** A role declared attribute by attribute (not from a file). */
    public KubernetesRoleSpec(String name, List<String> boundServiceAccountNames,
                              List<String> boundServiceAccountNamespaces, String audience,
                              AliasNameSource aliasNameSource, List<String> policies, String ttl) {
        this(name, boundServiceAccountNames, boundServiceAccountNamespaces, audience, aliasNameSource, policies, ttl,
                Optional.empty());
    }

    /**
     * Read a role from a role file on the class path (the thread's context class loader), e.g.
     * {@code KubernetesRoleSpec.fromResource("vault/roles/payments.json")}: role {@code payments}, with the file's
     * parameters sent to Vault as they are. JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}).
     *
     * @throws VaultK8sTrustConfigurationException when the file is missing (the message says where it was looked
     *         for) or not a JSON or YAML object (the message names the line)
     */
    public static KubernetesRoleSpec fromResource(String resource) {
        Objects.requireNonNull(resource, "resource");
        return RoleSpec.named("KubernetesRoleSpec.fromResource(\"" + resource + "\")",
                () -> from(RoleFile.resource(resource, RoleFiles.contextClassLoader())));
    }

    /**
     * Read a role from a role file, e.g. {@code KubernetesRoleSpec.fromFile(Path.of("deploy/vault/payments.yaml"))}.
     *
     * @throws VaultK8sTrustConfigurationException when the file is missing (the message names the absolute path) or
     *         not a JSON or YAML object (the message names the line)
     */
    public static KubernetesRoleSpec fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        return RoleSpec.named("KubernetesRoleSpec.fromFile(Path.of(\"" + file + "\"))",
                () -> from(RoleFile.file(file)));
    }

    /**
     * Read a role from every role file ({@code .json}, {@code .yaml}, {@code .yml}) of a class-path directory; each is
     * named after its file.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing or holds no role file, or one of them
     *         cannot be read
     */
    public static List<KubernetesRoleSpec> fromResourceDirectory(String directory) {
        Objects.requireNonNull(directory, "directory");
        return RoleSpec.named("KubernetesRoleSpec.fromResourceDirectory(\"" + directory + "\")",
                () -> RoleFile.resourceDirectory(directory, RoleFiles.contextClassLoader()).stream()
                        .map(KubernetesRoleSpec::from).toList());
    }

    /**
     * Read a role from every role file ({@code .json}, {@code .yaml}, {@code .yml}) of a directory; each is named after
     * its file.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing or holds no role file, or one of them
     *         cannot be read
     */
    public static List<KubernetesRoleSpec> fromDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return RoleSpec.named("KubernetesRoleSpec.fromDirectory(Path.of(\"" + directory + "\"))",
                () -> RoleFile.directory(directory).stream().map(KubernetesRoleSpec::from).toList());
    }

    /**
     * Make the role of a role file: named after the file (without its extension), its bindings read from the file's
     * {@code bound_service_account_names}, {@code bound_service_account_namespaces}, {@code audience},
     * {@code alias_name_source}, {@code token_policies} (or {@code policies}) and {@code token_ttl} (or {@code ttl}).
     */
    public static KubernetesRoleSpec from(RoleFile file) {
        Objects.requireNonNull(file, "file");
        String alias = file.text("alias_name_source").toUpperCase(Locale.ROOT);
        AliasNameSource source = alias.equals(AliasNameSource.SERVICEACCOUNT_NAME.name())
                ? AliasNameSource.SERVICEACCOUNT_NAME : AliasNameSource.SERVICEACCOUNT_UID;
        return new KubernetesRoleSpec(file.roleName(), file.list("bound_service_account_names"),
                file.list("bound_service_account_namespaces"), file.text("audience"), source, file.policies(),
                file.ttl(), Optional.of(file));
    }

    /** Return the same role under another name, e.g. a role file's role under a name of the test's choosing. */
    public KubernetesRoleSpec withName(String name) {
        return new KubernetesRoleSpec(Objects.requireNonNull(name, "name"), boundServiceAccountNames,
                boundServiceAccountNamespaces, audience, aliasNameSource, policies, ttl, file);
    }

    /**
     * Return the service accounts the role names without globs (every name in every namespace), e.g. to create them
     * or to mint a token for a login.
     */
    public List<ServiceAccountSpec> boundServiceAccounts() {
        List<ServiceAccountSpec> accounts = new ArrayList<>();
        for (String namespace : boundServiceAccountNamespaces) {
            for (String sa : boundServiceAccountNames) {
                if (!namespace.contains("*") && !sa.contains("*")) {
                    accounts.add(new ServiceAccountSpec(namespace, sa));
                }
            }
        }
        return accounts;
    }

    /** Return the first service account the role names without globs: the one a login without more details uses. */
    public Optional<ServiceAccountSpec> boundServiceAccount() {
        return boundServiceAccounts().stream().findFirst();
    }

    /** Return a builder for a role named {@code name}, with the defaults of {@code @KubernetesRole}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Build a {@link KubernetesRoleSpec} with the defaults of {@code @KubernetesRole}: audience {@code vault-dev},
     * alias from the service account UID, TTL {@code 1h}. Bound names and namespaces have no default: a role needs
     * both. Values are validated when the environment starts.
     */
    public static final class Builder {

        private final String name;
        private List<String> names = List.of();
        private List<String> namespaces = List.of();
        private String audience = Seed.AUDIENCE;
        private AliasNameSource aliasNameSource = AliasNameSource.SERVICEACCOUNT_UID;
        private List<String> policies = List.of();
        private String ttl = "1h";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Bind service account names ({@code bound_service_account_names}); globs allowed, {@code *} for any. */
        public Builder boundServiceAccountNames(String... names) {
            this.names = List.of(names);
            return this;
        }

        /** Bind namespaces ({@code bound_service_account_namespaces}); globs allowed, {@code *} for any. */
        public Builder boundServiceAccountNamespaces(String... namespaces) {
            this.namespaces = List.of(namespaces);
            return this;
        }

        /** Bind one service account: its name and its namespace. */
        public Builder boundServiceAccount(String namespace, String name) {
            return boundServiceAccountNames(name).boundServiceAccountNamespaces(namespace);
        }

        /** Require this token audience; empty for none (then tokens for any audience are accepted). */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** Name the identity alias after the service account's UID (default) or its namespace and name. */
        public Builder aliasNameSource(AliasNameSource source) {
            this.aliasNameSource = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Set the policies a login gets. */
        public Builder policies(String... names) {
            this.policies = List.of(names);
            return this;
        }

        /** Set the token TTL as a Vault duration, e.g. {@code 15m}; default {@code 1h}. */
        public Builder ttl(String ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Return the role. */
        public KubernetesRoleSpec build() {
            return new KubernetesRoleSpec(name, names, namespaces, audience, aliasNameSource, policies, ttl);
        }
    }
}
