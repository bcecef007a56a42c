package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * What a test asked for, before defaults, configuration layers and validation: built by
 * {@link TrustEnvironment#builder()} or from {@code @VaultK8sTrust}, both through {@link #builder(RequestOrigin)}.
 * Values left {@code null} (or empty) defer to the configuration ({@link ConfigKeys}), then to the documented default.
 * Immutable.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TrustRequest {

    private final RequestOrigin origin;
    private final Backend backend;
    private final VaultMode vaultMode;
    private final String startupTimeout;
    private final boolean seedScenario;
    private final String kvPath;
    private final String authPath;
    private final String defaultRole;
    private final List<RoleSpec> roles;
    private final List<PolicySpec> policies;
    private final List<ServiceAccountSpec> serviceAccounts;
    private final List<String> namespaces;
    private final Map<String, String> settings;
    private final boolean needsPods;
    private final Function<String, Optional<String>> configuration;
    private final Set<AuthMethod> authMethods;
    private final String kubernetesAuthPath;
    private final TokenReviewer tokenReviewer;
    private final List<KubernetesRoleSpec> kubernetesRoles;

    private TrustRequest(Builder b) {
        this.origin = Objects.requireNonNull(b.origin, "origin");
        this.backend = b.backend == Backend.DEFAULT ? null : b.backend;
        this.vaultMode = b.vaultMode == VaultMode.DEFAULT ? null : b.vaultMode;
        this.startupTimeout = b.startupTimeout == null || b.startupTimeout.isBlank() ? null : b.startupTimeout;
        this.seedScenario = b.seedScenario;
        this.kvPath = Objects.requireNonNull(b.kvPath, "kvPath");
        this.authPath = Objects.requireNonNull(b.authPath, "authPath");
        this.defaultRole = Objects.requireNonNull(b.defaultRole, "defaultRole");
        this.roles = List.copyOf(b.roles);
        this.policies = List.copyOf(b.policies);
        this.serviceAccounts = List.copyOf(b.serviceAccounts);
        this.namespaces = List.copyOf(b.namespaces);
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
        this.needsPods = b.needsPods;
        this.configuration = Objects.requireNonNull(b.configuration, "configuration");
        this.authMethods = b.authMethods.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(b.authMethods));
        this.kubernetesAuthPath = b.kubernetesAuthPath == null || b.kubernetesAuthPath.isBlank() ? null
                : b.kubernetesAuthPath;
        this.tokenReviewer = b.tokenReviewer == TokenReviewer.DEFAULT ? null : b.tokenReviewer;
        this.kubernetesRoles = List.copyOf(b.kubernetesRoles);
    }

    /**
     * Return a builder with the defaults of {@code @VaultK8sTrust}: the seed scenario, {@code kvv2}, {@code jwt},
     * default role {@code k8s-dev}, everything else deferred to the configuration, which is empty until
     * {@link Builder#configuration(Function)} names one.
     *
     * @param origin how the request is written, named in every message about it
     */
    public static Builder builder(RequestOrigin origin) {
        return new Builder(origin);
    }

    /** Return how the request was written, which names its settings in messages. */
    public RequestOrigin origin() {
        return origin;
    }

    /** Return the backend, or {@code null} for the configuration's ({@link ConfigKeys#BACKEND_KEY}), then AUTO. */
    public Backend backend() {
        return backend;
    }

    /** Return how Vault starts, or {@code null} for the configuration's, then {@link VaultMode#INIT}. */
    public VaultMode vaultMode() {
        return vaultMode;
    }

    /** Return the start-up budget as written ({@code "90s"}, {@code "PT2M"}), or {@code null}. */
    public String startupTimeout() {
        return startupTimeout;
    }

    /** Return whether the walkthrough's role, policy and service account are included. */
    public boolean seedScenario() {
        return seedScenario;
    }

    /** Return the KV version 2 mount path. */
    public String kvPath() {
        return kvPath;
    }

    /** Return the {@code jwt} auth method's mount path. */
    public String authPath() {
        return authPath;
    }

    /** Return the auth method's {@code default_role}; empty for none. */
    public String defaultRole() {
        return defaultRole;
    }

    /** Return the jwt roles to add. */
    public List<RoleSpec> roles() {
        return roles;
    }

    /** Return the policies to add. */
    public List<PolicySpec> policies() {
        return policies;
    }

    /** Return the service accounts to add. */
    public List<ServiceAccountSpec> serviceAccounts() {
        return serviceAccounts;
    }

    /** Return the namespaces to add. */
    public List<String> namespaces() {
        return namespaces;
    }

    /** Return the configuration keys given in code; they win over configuration parameters and environment variables. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Return whether the tests need a backend that runs pods (then AUTO picks one). */
    public boolean needsPods() {
        return needsPods;
    }

    /**
     * Return where configuration keys are looked up after {@link #settings()}: JUnit configuration parameters for the
     * annotation, system properties for the builder; environment variables come after it.
     */
    public Function<String, Optional<String>> configuration() {
        return configuration;
    }

    /** Return the auth methods to enable, or empty for the configuration's, then {@code jwt} alone. */
    public Set<AuthMethod> authMethods() {
        return authMethods;
    }

    /** Return the {@code kubernetes} auth method's mount path, or {@code null} for the configuration's. */
    public String kubernetesAuthPath() {
        return kubernetesAuthPath;
    }

    /** Return who calls TokenReview for {@code kubernetes}, or {@code null} for the configuration's. */
    public TokenReviewer tokenReviewer() {
        return tokenReviewer;
    }

    /** Return the roles of the {@code kubernetes} auth method to add. */
    public List<KubernetesRoleSpec> kubernetesRoles() {
        return kubernetesRoles;
    }

    @Override
    public String toString() {
        return "TrustRequest[" + origin.name() + ", roles " + roles.stream().map(RoleSpec::name).toList()
                + ", kubernetes roles " + kubernetesRoles.stream().map(KubernetesRoleSpec::name).toList()
                + ", settings " + settings + "]";
    }

    /** Build a {@link TrustRequest}; nothing is validated here (the core does that, naming what was written). */
    public static final class Builder {

        private final RequestOrigin origin;
        private Backend backend;
        private VaultMode vaultMode;
        private String startupTimeout;
        private boolean seedScenario = true;
        private String kvPath = "kvv2";
        private String authPath = "jwt";
        private String defaultRole = Seed.ROLE;
        private final List<RoleSpec> roles = new ArrayList<>();
        private final List<PolicySpec> policies = new ArrayList<>();
        private final List<ServiceAccountSpec> serviceAccounts = new ArrayList<>();
        private final List<String> namespaces = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private boolean needsPods;
        private Function<String, Optional<String>> configuration = key -> Optional.empty();
        private final Set<AuthMethod> authMethods = EnumSet.noneOf(AuthMethod.class);
        private String kubernetesAuthPath;
        private TokenReviewer tokenReviewer;
        private final List<KubernetesRoleSpec> kubernetesRoles = new ArrayList<>();

        private Builder(RequestOrigin origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
        }

        /** Set the backend; {@code null} or {@link Backend#DEFAULT} defers to the configuration. */
        public Builder backend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** Set how Vault starts; {@code null} or {@link VaultMode#DEFAULT} defers to the configuration. */
        public Builder vaultMode(VaultMode vaultMode) {
            this.vaultMode = vaultMode;
            return this;
        }

        /** Set the start-up budget as written, e.g. {@code "90s"}; {@code null} or blank defers. */
        public Builder startupTimeout(String startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** Include (default) or leave out the walkthrough's role, policy and service account. */
        public Builder seedScenario(boolean seedScenario) {
            this.seedScenario = seedScenario;
            return this;
        }

        /** Set the KV version 2 mount path; default {@code kvv2}. */
        public Builder kvPath(String kvPath) {
            this.kvPath = kvPath;
            return this;
        }

        /** Set the {@code jwt} auth method's mount path; default {@code jwt}. */
        public Builder authPath(String authPath) {
            this.authPath = authPath;
            return this;
        }

        /** Set the {@code default_role}; empty for none; default {@code k8s-dev}. */
        public Builder defaultRole(String defaultRole) {
            this.defaultRole = defaultRole;
            return this;
        }

        /** Add a jwt role. */
        public Builder role(RoleSpec role) {
            roles.add(Objects.requireNonNull(role, "role"));
            return this;
        }

        /** Add a policy. */
        public Builder policy(PolicySpec policy) {
            policies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** Add a service account. */
        public Builder serviceAccount(ServiceAccountSpec serviceAccount) {
            serviceAccounts.add(Objects.requireNonNull(serviceAccount, "serviceAccount"));
            return this;
        }

        /** Add a namespace. */
        public Builder namespace(String namespace) {
            namespaces.add(Objects.requireNonNull(namespace, "namespace"));
            return this;
        }

        /** Give a configuration key in code. */
        public Builder setting(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Take a configuration key out of the settings given in code (it defers to the configuration again). */
        public Builder clearSetting(String key) {
            settings.remove(key);
            return this;
        }

        /** Say whether the tests need pods. */
        public Builder needsPods(boolean needsPods) {
            this.needsPods = needsPods;
            return this;
        }

        /** Read keys not given in code from this source (environment variables still come after it). */
        public Builder configuration(Function<String, Optional<String>> configuration) {
            this.configuration = Objects.requireNonNull(configuration, "configuration");
            return this;
        }

        /** Set the auth methods to enable; none defers to the configuration. */
        public Builder authMethods(Set<AuthMethod> methods) {
            authMethods.clear();
            methods.forEach(m -> authMethods.add(Objects.requireNonNull(m, "method")));
            return this;
        }

        /** Set the {@code kubernetes} auth method's mount path; {@code null} or blank defers. */
        public Builder kubernetesAuthPath(String kubernetesAuthPath) {
            this.kubernetesAuthPath = kubernetesAuthPath;
            return this;
        }

        /** Set who calls TokenReview; {@code null} or {@link TokenReviewer#DEFAULT} defers. */
        public Builder tokenReviewer(TokenReviewer tokenReviewer) {
            this.tokenReviewer = tokenReviewer;
            return this;
        }

        /** Add a role of the {@code kubernetes} auth method. */
        public Builder kubernetesRole(KubernetesRoleSpec role) {
            kubernetesRoles.add(Objects.requireNonNull(role, "role"));
            return this;
        }

        /** Return the request. */
        public TrustRequest build() {
            return new TrustRequest(this);
        }
    }
}
