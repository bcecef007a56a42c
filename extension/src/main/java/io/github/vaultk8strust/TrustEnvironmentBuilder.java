package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Describe and start an environment without JUnit's annotation: in a Spring test, TestNG, a {@code main}, or a
 * JUnit {@code @RegisterExtension}-style field with computed settings. Obtained from
 * {@link TrustEnvironment#builder()}; every method mirrors an attribute of {@code @VaultK8sTrust}, with the same
 * defaults, and settings not given here are read from system properties, then environment variables
 * ({@link ConfigKeys}).
 *
 * <pre>{@code
 * try (ClosableTrustEnvironment env = TrustEnvironment.builder().vaultMode(VaultMode.DEV).start()) {
 *     VaultSession workload = env.login("k8s-dev");
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TrustEnvironmentBuilder {

    private static final String ORIGIN = "TrustEnvironment.builder()";

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
    private final java.util.Set<AuthMethod> authMethods = java.util.EnumSet.noneOf(AuthMethod.class);
    private String kubernetesAuthPath;
    private TokenReviewer tokenReviewer;
    private final List<KubernetesRoleSpec> kubernetesRoles = new ArrayList<>();
    private Function<String, Optional<String>> configuration = key -> Optional.ofNullable(System.getProperty(key));

    TrustEnvironmentBuilder() {
    }

    /** Choose where the cluster and Vault run; default: {@link ConfigKeys#BACKEND_KEY}, then {@link Backend#AUTO}. */
    public TrustEnvironmentBuilder backend(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend") == Backend.DEFAULT ? null : backend;
        return this;
    }

    /** Choose how Vault starts; default: {@link ConfigKeys#VAULT_MODE_KEY}, then {@link VaultMode#INIT}. */
    public TrustEnvironmentBuilder vaultMode(VaultMode vaultMode) {
        this.vaultMode = Objects.requireNonNull(vaultMode, "vaultMode") == VaultMode.DEFAULT ? null : vaultMode;
        return this;
    }

    /**
     * Choose where Vault runs ({@link VaultPlacement#PROCESS}, {@link VaultPlacement#CONTAINER},
     * {@link VaultPlacement#IN_CLUSTER}); default: {@link ConfigKeys#VAULT_PLACEMENT_KEY}, then the backend's.
     * Sets that key in code.
     */
    public TrustEnvironmentBuilder vaultPlacement(VaultPlacement placement) {
        if (Objects.requireNonNull(placement, "placement") == VaultPlacement.DEFAULT) {
            settings.remove(ConfigKeys.VAULT_PLACEMENT_KEY);
        } else {
            settings.put(ConfigKeys.VAULT_PLACEMENT_KEY, placement.settingValue());
        }
        return this;
    }

    /**
     * Choose the Kubernetes version, e.g. {@code "1.33"} (its newest known patch) or {@code "1.33.13"}; default:
     * {@link ConfigKeys#KUBERNETES_VERSION_KEY}, then {@value ConfigKeys#DEFAULT_KUBERNETES_VERSION}. Sets that key in code.
     */
    public TrustEnvironmentBuilder kubernetesVersion(String version) {
        settings.put(ConfigKeys.KUBERNETES_VERSION_KEY, Objects.requireNonNull(version, "version"));
        return this;
    }

    /**
     * Choose the Vault version, e.g. {@code "1.19"} or {@code "1.19.5"}; default: {@link ConfigKeys#VAULT_VERSION_KEY},
     * then {@value ConfigKeys#DEFAULT_VAULT_VERSION}. Sets that key in code.
     */
    public TrustEnvironmentBuilder vaultVersion(String version) {
        settings.put(ConfigKeys.VAULT_VERSION_KEY, Objects.requireNonNull(version, "version"));
        return this;
    }

    /** Choose HashiCorp Vault or OpenBao; default: {@link ConfigKeys#VAULT_FLAVOR_KEY}, then Vault. Sets that key in code. */
    public TrustEnvironmentBuilder vaultFlavor(VaultFlavor flavor) {
        if (Objects.requireNonNull(flavor, "flavor") == VaultFlavor.DEFAULT) {
            settings.remove(ConfigKeys.VAULT_FLAVOR_KEY);
        } else {
            settings.put(ConfigKeys.VAULT_FLAVOR_KEY, flavor.settingValue());
        }
        return this;
    }

    /** Set the budget for all servers and the trust setup together; default 120 seconds. */
    public TrustEnvironmentBuilder startupTimeout(Duration timeout) {
        this.startupTimeout = Objects.requireNonNull(timeout, "timeout").toString();
        return this;
    }

    /** Include (default) or leave out the walkthrough's role {@code k8s-dev}, policy and service account. */
    public TrustEnvironmentBuilder seedScenario(boolean include) {
        this.seedScenario = include;
        return this;
    }

    /** Set the path KV version 2 is mounted at; default {@code kvv2}. */
    public TrustEnvironmentBuilder kvPath(String path) {
        this.kvPath = Objects.requireNonNull(path, "path");
        return this;
    }

    /** Set the path the {@code jwt} auth method is enabled at; default {@code jwt}. */
    public TrustEnvironmentBuilder authPath(String path) {
        this.authPath = Objects.requireNonNull(path, "path");
        return this;
    }

    /**
     * Choose the auth methods to enable: {@link AuthMethod#JWT} (default, the walkthrough),
     * {@link AuthMethod#KUBERNETES}, or both; default: {@link ConfigKeys#AUTH_METHODS_KEY}, then {@code jwt}.
     */
    public TrustEnvironmentBuilder authMethods(AuthMethod... methods) {
        authMethods.clear();
        for (AuthMethod method : methods) {
            authMethods.add(Objects.requireNonNull(method, "method"));
        }
        return this;
    }

    /** Set the path the {@code kubernetes} auth method is enabled at; default {@code kubernetes}. */
    public TrustEnvironmentBuilder kubernetesAuthPath(String path) {
        this.kubernetesAuthPath = Objects.requireNonNull(path, "path");
        return this;
    }

    /**
     * Choose who calls TokenReview for the {@code kubernetes} auth method; default:
     * {@link ConfigKeys#TOKEN_REVIEWER_KEY}, then {@link TokenReviewer#REVIEWER_SERVICE_ACCOUNT}.
     */
    public TrustEnvironmentBuilder tokenReviewer(TokenReviewer reviewer) {
        this.tokenReviewer = Objects.requireNonNull(reviewer, "reviewer") == TokenReviewer.DEFAULT ? null : reviewer;
        return this;
    }

    /**
     * Add a role of the {@code kubernetes} auth method, e.g.
     * {@code KubernetesRoleSpec.builder("reader").boundServiceAccount("apps", "reader").policies("reader").build()};
     * enable the method with {@link #authMethods(AuthMethod...)}.
     */
    public TrustEnvironmentBuilder kubernetesRole(KubernetesRoleSpec role) {
        kubernetesRoles.add(Objects.requireNonNull(role, "role"));
        return this;
    }

    /** Set the auth method's {@code default_role}; empty for none; default {@code k8s-dev}. */
    public TrustEnvironmentBuilder defaultRole(String role) {
        this.defaultRole = Objects.requireNonNull(role, "role");
        return this;
    }

    /** Add a JWT role, e.g. {@code RoleSpec.builder("reader").boundSubject(...).policies("reader").build()}. */
    public TrustEnvironmentBuilder role(RoleSpec role) {
        roles.add(Objects.requireNonNull(role, "role"));
        return this;
    }

    /** Add a Vault ACL policy given as HCL. */
    public TrustEnvironmentBuilder policy(String name, String hcl) {
        policies.add(new PolicySpec(Objects.requireNonNull(name, "name"), Objects.requireNonNull(hcl, "hcl"),
                "inline HCL"));
        return this;
    }

    /**
     * Add a Vault ACL policy read from a class-path resource, e.g. {@code "policies/reader.hcl"}.
     *
     * @throws VaultK8sTrustConfigurationException when the resource is missing or empty
     */
    public TrustEnvironmentBuilder policyResource(String name, String resource) {
        Objects.requireNonNull(resource, "resource");
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(TrustEnvironmentBuilder.class.getClassLoader());
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new VaultK8sTrustConfigurationException(ORIGIN + ".policyResource(\"" + name + "\", \"" + resource
                        + "\"): no such resource on the class path; put the file under src/test/resources/" + path);
            }
            String hcl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (hcl.isBlank()) {
                throw new VaultK8sTrustConfigurationException(ORIGIN + ".policyResource(\"" + name + "\", \""
                        + resource + "\"): the resource is empty");
            }
            policies.add(new PolicySpec(name, hcl, "classpath resource " + path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read class-path resource " + path, e);
        }
    }

    /** Add a service account (its namespace is created when missing). */
    public TrustEnvironmentBuilder serviceAccount(String namespace, String name) {
        serviceAccounts.add(new ServiceAccountSpec(Objects.requireNonNull(namespace, "namespace"),
                Objects.requireNonNull(name, "name")));
        return this;
    }

    /** Add a namespace. */
    public TrustEnvironmentBuilder namespace(String name) {
        namespaces.add(Objects.requireNonNull(name, "name"));
        return this;
    }

    /**
     * Set a configuration key ({@link ConfigKeys}, e.g. {@code vaultk8s.k3s.image}) in code; it wins over system
     * properties and environment variables.
     */
    public TrustEnvironmentBuilder setting(String key, String value) {
        settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Say that the tests need pods, so that AUTO picks a backend that runs them. */
    public TrustEnvironmentBuilder requirePods() {
        this.needsPods = true;
        return this;
    }

    /**
     * Read configuration keys not set in code from this source instead of system properties (environment variables
     * still come after it), e.g. a Spring {@code Environment::getProperty} wrapped in {@code Optional}.
     */
    public TrustEnvironmentBuilder configuration(Function<String, Optional<String>> source) {
        this.configuration = Objects.requireNonNull(source, "source");
        return this;
    }

    /** Return the request this builder describes (nothing is validated or started). */
    public TrustRequest request() {
        return new TrustRequest(ORIGIN, backend, vaultMode, startupTimeout, seedScenario, kvPath, authPath,
                defaultRole, roles, policies, serviceAccounts, namespaces, settings, needsPods, configuration, authMethods,
                kubernetesAuthPath, tokenReviewer, kubernetesRoles);
    }

    /**
     * Validate, start the servers and perform the trust setup. The caller closes the result, which stops and
     * deletes everything; it is not shared with anything else.
     *
     * @throws VaultK8sTrustConfigurationException when a setting cannot work (nothing is started)
     * @throws VaultK8sTrustException when the environment cannot be started (everything started is stopped)
     */
    public ClosableTrustEnvironment start() {
        return EnvironmentLauncher.load().start(request());
    }
}
