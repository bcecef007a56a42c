package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RequestOrigin;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.BackendConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The resolved, validated configuration of one environment. Immutable; made by {@link SettingsResolver} (or a test)
 * through {@link #builder(String)}. {@link #key()} holds only what shapes the environment, and is what equal
 * environments are shared under; the rest (timeouts, where binaries come from, what a pod-only test does elsewhere,
 * how the request was written) only changes how it is started or used.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrustSettings {
    private final String backend;
    private final Map<String, String> backendShape;
    private final VaultMode vaultMode;
    private final Duration startupTimeout;
    private final String kvPath;
    private final String authPath;
    private final String defaultRole;
    private final List<RoleSpec> roles;
    private final List<PolicySpec> policies;
    private final List<ServiceAccountSpec> serviceAccounts;
    private final List<String> namespaces;
    private final FeaturePolicy k3sOnly;
    private final boolean keepOnFailure;
    private final String backendReason;
    private final BackendConfig config;
    private final Set<AuthMethod> authMethods;
    private final String kubernetesAuthPath;
    private final TokenReviewer tokenReviewer;
    private final List<KubernetesRoleSpec> kubernetesRoles;
    private final RequestOrigin origin;

    private TrustSettings(Builder b) {
        this.backend = Objects.requireNonNull(b.backend, "backend");
        this.backendShape = Map.copyOf(b.backendShape);
        this.vaultMode = Objects.requireNonNull(b.vaultMode, "vaultMode");
        this.startupTimeout = Objects.requireNonNull(b.startupTimeout, "startupTimeout");
        this.kvPath = Objects.requireNonNull(b.kvPath, "kvPath");
        this.authPath = Objects.requireNonNull(b.authPath, "authPath");
        this.defaultRole = Objects.requireNonNull(b.defaultRole, "defaultRole");
        this.roles = List.copyOf(b.roles);
        this.policies = List.copyOf(b.policies);
        this.serviceAccounts = List.copyOf(b.serviceAccounts);
        this.namespaces = List.copyOf(b.namespaces);
        this.k3sOnly = Objects.requireNonNull(b.k3sOnly, "k3sOnly");
        this.keepOnFailure = b.keepOnFailure;
        this.backendReason = Objects.requireNonNull(b.backendReason, "backendReason");
        this.config = Objects.requireNonNull(b.config, "config");
        this.authMethods = Collections.unmodifiableSet(EnumSet.copyOf(b.authMethods));
        this.kubernetesAuthPath = Objects.requireNonNull(b.kubernetesAuthPath, "kubernetesAuthPath");
        this.tokenReviewer = Objects.requireNonNull(b.tokenReviewer, "tokenReviewer");
        this.kubernetesRoles = List.copyOf(b.kubernetesRoles);
        this.origin = Objects.requireNonNull(b.origin, "origin");
    }

    /** Return a builder for settings of the named backend, with the library's defaults for everything else. */
    public static Builder builder(String backend) {
        return new Builder(backend);
    }

    /** Return the name of the backend provider, e.g. {@code local}. */
    public String backend() {
        return backend;
    }

    /** Return the backend's options that make environments differ (versions, images, binaries). */
    public Map<String, String> backendShape() {
        return backendShape;
    }

    /** Return how Vault starts. */
    public VaultMode vaultMode() {
        return vaultMode;
    }

    /** Return the budget for the servers and the trust setup together. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** Return the KV version 2 mount path. */
    public String kvPath() {
        return kvPath;
    }

    /** Return the {@code jwt} auth method's mount path. */
    public String authPath() {
        return authPath;
    }

    /** Return the {@code jwt} auth method's {@code default_role}; empty for none. */
    public String defaultRole() {
        return defaultRole;
    }

    /** Return the roles of the {@code jwt} auth method. */
    public List<RoleSpec> roles() {
        return roles;
    }

    /** Return the policies. */
    public List<PolicySpec> policies() {
        return policies;
    }

    /** Return the service accounts to create. */
    public List<ServiceAccountSpec> serviceAccounts() {
        return serviceAccounts;
    }

    /** Return the namespaces to create. */
    public List<String> namespaces() {
        return namespaces;
    }

    /** Return what a test that needs a feature the backend lacks does. */
    public FeaturePolicy k3sOnly() {
        return k3sOnly;
    }

    /** Return whether a failed environment's directory and logs are kept. */
    public boolean keepOnFailure() {
        return keepOnFailure;
    }

    /** Return why this backend was chosen, for the run's one line about it. */
    public String backendReason() {
        return backendReason;
    }

    /** Return the layered configuration the backend reads its own keys from. */
    public BackendConfig config() {
        return config;
    }

    /** Return the enabled auth methods. */
    public Set<AuthMethod> authMethods() {
        return authMethods;
    }

    /** Return the {@code kubernetes} auth method's mount path. */
    public String kubernetesAuthPath() {
        return kubernetesAuthPath;
    }

    /** Return who calls TokenReview for {@code kubernetes}. */
    public TokenReviewer tokenReviewer() {
        return tokenReviewer;
    }

    /** Return the roles of the {@code kubernetes} auth method. */
    public List<KubernetesRoleSpec> kubernetesRoles() {
        return kubernetesRoles;
    }

    /** Return how the request was written, to name its settings in messages. */
    public RequestOrigin origin() {
        return origin;
    }

    /** Compare by {@link #key()}: settings that shape the same environment are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TrustSettings that && key().equals(that.key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    @Override
    public String toString() {
        return "TrustSettings[" + key() + "]";
    }

    /** Return the Kubernetes version: the backend's ({@code kubernetes-version} in its shape), else the one asked for, else the pin. */
    public String kubernetesVersion() {
        return backendShape.containsKey("kubernetes-version") ? backendShape.get("kubernetes-version")
                : config.get(ConfigKeys.KUBERNETES_VERSION_KEY).orElse(ConfigKeys.DEFAULT_KUBERNETES_VERSION);
    }

    /** Return the Vault version: the backend's ({@code vault-version} in its shape), else the one asked for, else the pin. */
    public String vaultVersion() {
        return backendShape.containsKey("vault-version") ? backendShape.get("vault-version")
                : config.get(ConfigKeys.VAULT_VERSION_KEY).orElse(ConfigKeys.DEFAULT_VAULT_VERSION);
    }

    /** Return the role with this name. */
    public Optional<RoleSpec> role(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Return the kubernetes role with this name. */
    public Optional<KubernetesRoleSpec> kubernetesRole(String name) {
        return kubernetesRoles.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Return the auth method of the role with this name, empty when no role has it. */
    public Optional<AuthMethod> authMethod(String role) {
        if (role(role).isPresent()) {
            return Optional.of(AuthMethod.JWT);
        }
        return kubernetesRole(role).map(r -> AuthMethod.KUBERNETES);
    }

    /** Return whether the method is enabled. */
    public boolean enabled(AuthMethod method) {
        return authMethods.contains(method);
    }

    /** Return what shapes the environment: two settings with equal keys can share one environment. */
    public Key key() {
        return new Key(backend, new TreeMap<>(backendShape), vaultMode, kvPath, authPath, defaultRole, roles,
                policies.stream().map(p -> List.of(p.name(), p.hcl())).toList(), serviceAccounts, namespaces,
                authMethods, kubernetesAuthPath, tokenReviewer, kubernetesRoles);
    }

    /** The part of the settings that shapes an environment (a policy's origin, for one, does not). */
    public record Key(String backend, Map<String, String> backendShape, VaultMode vaultMode, String kvPath,
                      String authPath, String defaultRole, List<RoleSpec> roles, List<List<String>> policies,
                      List<ServiceAccountSpec> serviceAccounts, List<String> namespaces, Set<AuthMethod> authMethods,
                      String kubernetesAuthPath, TokenReviewer tokenReviewer,
                      List<KubernetesRoleSpec> kubernetesRoles) {

        @Override
        public String toString() {
            return backend + (backendShape.isEmpty() ? "" : " " + backendShape) + ", vault " + vaultMode.name()
                    .toLowerCase(Locale.ROOT) + ", roles " + roles.stream().map(RoleSpec::name).toList()
                    + (authMethods.contains(AuthMethod.KUBERNETES) ? ", kubernetes roles "
                    + kubernetesRoles.stream().map(KubernetesRoleSpec::name).toList() : "");
        }
    }

    /** What a test that needs a feature the backend lacks (pods, say) does. */
    public enum FeaturePolicy {
        /** Abort the test: it is reported skipped with the reason. */
        SKIP,
        /** Fail with an error that says why and how to switch backends. */
        FAIL
    }

    /** Build {@link TrustSettings}; what is not set keeps the library's default (those of a bare {@code @VaultK8sTrust}). */
    public static final class Builder {

        private final String backend;
        private Map<String, String> backendShape = Map.of();
        private VaultMode vaultMode = VaultMode.INIT;
        private Duration startupTimeout = Duration.ofSeconds(120);
        private String kvPath = "kvv2";
        private String authPath = "jwt";
        private String defaultRole = "";
        private List<RoleSpec> roles = List.of();
        private List<PolicySpec> policies = List.of();
        private List<ServiceAccountSpec> serviceAccounts = List.of();
        private List<String> namespaces = List.of();
        private FeaturePolicy k3sOnly = FeaturePolicy.SKIP;
        private boolean keepOnFailure;
        private String backendReason = "requested";
        private BackendConfig config = key -> Optional.empty();
        private Set<AuthMethod> authMethods = Set.of(AuthMethod.JWT);
        private String kubernetesAuthPath = ConfigKeys.DEFAULT_KUBERNETES_AUTH_PATH;
        private TokenReviewer tokenReviewer = TokenReviewer.REVIEWER_SERVICE_ACCOUNT;
        private List<KubernetesRoleSpec> kubernetesRoles = List.of();
        private RequestOrigin origin = DEFAULT_ORIGIN;

        private Builder(String backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /** Set the backend's options that make environments differ (versions, images, binaries). */
        public Builder backendShape(Map<String, String> backendShape) {
            this.backendShape = backendShape;
            return this;
        }

        /** Set how Vault starts. */
        public Builder vaultMode(VaultMode vaultMode) {
            this.vaultMode = vaultMode;
            return this;
        }

        /** Set the budget for the servers and the trust setup together. */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** Set the KV version 2 mount path. */
        public Builder kvPath(String kvPath) {
            this.kvPath = kvPath;
            return this;
        }

        /** Set the {@code jwt} auth method's mount path. */
        public Builder authPath(String authPath) {
            this.authPath = authPath;
            return this;
        }

        /** Set the {@code jwt} auth method's {@code default_role}; empty for none. */
        public Builder defaultRole(String defaultRole) {
            this.defaultRole = defaultRole;
            return this;
        }

        /** Set the roles of the {@code jwt} auth method. */
        public Builder roles(List<RoleSpec> roles) {
            this.roles = roles;
            return this;
        }

        /** Set the policies. */
        public Builder policies(List<PolicySpec> policies) {
            this.policies = policies;
            return this;
        }

        /** Set the service accounts to create. */
        public Builder serviceAccounts(List<ServiceAccountSpec> serviceAccounts) {
            this.serviceAccounts = serviceAccounts;
            return this;
        }

        /** Set the namespaces to create. */
        public Builder namespaces(List<String> namespaces) {
            this.namespaces = namespaces;
            return this;
        }

        /** Set what a test that needs a feature the backend lacks does. */
        public Builder k3sOnly(FeaturePolicy k3sOnly) {
            this.k3sOnly = k3sOnly;
            return this;
        }

        /** Set whether a failed environment's directory and logs are kept. */
        public Builder keepOnFailure(boolean keepOnFailure) {
            this.keepOnFailure = keepOnFailure;
            return this;
        }

        /** Set why this backend was chosen, for the run's one line about it. */
        public Builder backendReason(String backendReason) {
            this.backendReason = backendReason;
            return this;
        }

        /** Set the layered configuration the backend reads its own keys from. */
        public Builder config(BackendConfig config) {
            this.config = config;
            return this;
        }

        /** Set the enabled auth methods. */
        public Builder authMethods(Set<AuthMethod> authMethods) {
            this.authMethods = authMethods;
            return this;
        }

        /** Set the {@code kubernetes} auth method's mount path. */
        public Builder kubernetesAuthPath(String kubernetesAuthPath) {
            this.kubernetesAuthPath = kubernetesAuthPath;
            return this;
        }

        /** Set who calls TokenReview for {@code kubernetes}. */
        public Builder tokenReviewer(TokenReviewer tokenReviewer) {
            this.tokenReviewer = tokenReviewer;
            return this;
        }

        /** Set the roles of the {@code kubernetes} auth method. */
        public Builder kubernetesRoles(List<KubernetesRoleSpec> kubernetesRoles) {
            this.kubernetesRoles = kubernetesRoles;
            return this;
        }

        /** Set how the request was written, to name its settings in messages. */
        public Builder origin(RequestOrigin origin) {
            this.origin = origin;
            return this;
        }

        /** Return the settings. */
        public TrustSettings build() {
            return new TrustSettings(this);
        }
    }

    /** Settings built without a request (tests) name what they hold like the builder does. */
    private static final RequestOrigin DEFAULT_ORIGIN = io.github.vaultk8strust.TrustEnvironment.builder().request().origin();
}
