package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A role of Vault's {@code kubernetes} auth method, as written to {@code auth/<kubernetesAuthPath>/role/<name>}.
 * Names and namespaces may be globs ({@code *} alone accepts any); {@code audience} is empty when the role sets none
 * (then Vault asks TokenReview for the token's own audiences, so a token for any audience is accepted).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record KubernetesRoleSpec(String name, List<String> boundServiceAccountNames,
                                 List<String> boundServiceAccountNamespaces, String audience,
                                 AliasNameSource aliasNameSource, List<String> policies, String ttl) {

    public KubernetesRoleSpec {
        Objects.requireNonNull(name, "name");
        boundServiceAccountNames = List.copyOf(boundServiceAccountNames);
        boundServiceAccountNamespaces = List.copyOf(boundServiceAccountNamespaces);
        audience = Objects.requireNonNullElse(audience, "");
        aliasNameSource = Objects.requireNonNullElse(aliasNameSource, AliasNameSource.SERVICEACCOUNT_UID);
        policies = List.copyOf(policies);
        ttl = Objects.requireNonNull(ttl, "ttl");
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
