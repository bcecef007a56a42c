package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Describe and start an environment without JUnit's annotation: in a Spring test, TestNG, a {@code main}, or a
 * JUnit {@code @RegisterExtension}-style field with computed settings. Obtained from
 * {@link TrustEnvironment#builder()}. Each attribute of {@code @VaultK8sTrust} has a method of the same name and
 * default here, except {@code shared} (an environment started here is always the caller's own); the builder adds
 * {@link #policyResource}, {@link #setting}, {@link #requirePods} (the annotation sees {@code @InClusterWorkload}
 * itself) and {@link #configuration}; the plural attributes {@code roles} and {@code kubernetesRoles} are added one
 * at a time ({@link #role}, {@link #kubernetesRole}) or as a collection ({@link #roles}, {@link #kubernetesRoles}).
 * Settings not given here are read from system properties, then environment variables ({@link ConfigKeys}).
 *
 * <pre>{@code
 * try (ClosableTrustEnvironment env = TrustEnvironment.builder().vaultMode(VaultMode.DEV).start()) {
 *     VaultSession workload = env.login("k8s-dev");
 * }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TrustEnvironmentBuilder {

    private static final String NAME = "TrustEnvironment.builder()";

    private final TrustRequest.Builder request;
    private boolean customConfiguration;

    TrustEnvironmentBuilder() {
        this.request = TrustRequest.builder(new Origin(this))
                .configuration(key -> Optional.ofNullable(System.getProperty(key)));
    }

    /** Choose where the cluster and Vault run; default: {@link ConfigKeys#BACKEND_KEY}, then {@link Backend#AUTO}. */
    public TrustEnvironmentBuilder backend(Backend backend) {
        request.backend(Objects.requireNonNull(backend, "backend"));
        return this;
    }

    /** Choose how Vault starts; default: {@link ConfigKeys#VAULT_MODE_KEY}, then {@link VaultMode#INIT}. */
    public TrustEnvironmentBuilder vaultMode(VaultMode vaultMode) {
        request.vaultMode(Objects.requireNonNull(vaultMode, "vaultMode"));
        return this;
    }

    /**
     * Choose where Vault runs ({@link VaultPlacement#PROCESS}, {@link VaultPlacement#CONTAINER},
     * {@link VaultPlacement#IN_CLUSTER}); default: {@link ConfigKeys#VAULT_PLACEMENT_KEY}, then the backend's.
     * Sets that key in code.
     */
    public TrustEnvironmentBuilder vaultPlacement(VaultPlacement placement) {
        if (Objects.requireNonNull(placement, "placement") == VaultPlacement.DEFAULT) {
            request.clearSetting(ConfigKeys.VAULT_PLACEMENT_KEY);
        } else {
            request.setting(ConfigKeys.VAULT_PLACEMENT_KEY, placement.settingValue());
        }
        return this;
    }

    /**
     * Choose the Kubernetes version, e.g. {@code "1.33"} (its newest known patch) or {@code "1.33.13"}; default:
     * {@link ConfigKeys#KUBERNETES_VERSION_KEY}, then {@value ConfigKeys#DEFAULT_KUBERNETES_VERSION}. Sets that key in code.
     */
    public TrustEnvironmentBuilder kubernetesVersion(String version) {
        request.setting(ConfigKeys.KUBERNETES_VERSION_KEY, Objects.requireNonNull(version, "version"));
        return this;
    }

    /**
     * Choose the Vault version, e.g. {@code "1.19"} or {@code "1.19.5"}; default: {@link ConfigKeys#VAULT_VERSION_KEY},
     * then {@value ConfigKeys#DEFAULT_VAULT_VERSION}. Sets that key in code.
     */
    public TrustEnvironmentBuilder vaultVersion(String version) {
        request.setting(ConfigKeys.VAULT_VERSION_KEY, Objects.requireNonNull(version, "version"));
        return this;
    }

    /** Choose HashiCorp Vault or OpenBao; default: {@link ConfigKeys#VAULT_FLAVOR_KEY}, then Vault. Sets that key in code. */
    public TrustEnvironmentBuilder vaultFlavor(VaultFlavor flavor) {
        if (Objects.requireNonNull(flavor, "flavor") == VaultFlavor.DEFAULT) {
            request.clearSetting(ConfigKeys.VAULT_FLAVOR_KEY);
        } else {
            request.setting(ConfigKeys.VAULT_FLAVOR_KEY, flavor.settingValue());
        }
        return this;
    }

    /**
     * Set the k3s image of the {@link Backend#K3S} backend (any image compatible with {@code rancher/k3s}); default:
     * {@link ConfigKeys#K3S_IMAGE_KEY}, then {@value ConfigKeys#DEFAULT_K3S_IMAGE}. Sets that key in code.
     */
    public TrustEnvironmentBuilder k3sImage(String image) {
        request.setting(ConfigKeys.K3S_IMAGE_KEY, Objects.requireNonNull(image, "image"));
        return this;
    }

    /**
     * Set the Vault image the {@link Backend#K3S} backend deploys ({@code hashicorp/vault} or {@code openbao/openbao});
     * default: {@link ConfigKeys#K3S_VAULT_IMAGE_KEY}, then {@value ConfigKeys#DEFAULT_VAULT_IMAGE}. Sets that key in
     * code.
     */
    public TrustEnvironmentBuilder vaultImage(String image) {
        request.setting(ConfigKeys.K3S_VAULT_IMAGE_KEY, Objects.requireNonNull(image, "image"));
        return this;
    }

    /** Set the budget for all servers and the trust setup together; default: {@link ConfigKeys#STARTUP_TIMEOUT_KEY}, then 120 seconds. */
    public TrustEnvironmentBuilder startupTimeout(Duration timeout) {
        request.startupTimeout(Objects.requireNonNull(timeout, "timeout").toString());
        return this;
    }

    /** Include (default) or leave out the walkthrough's role {@code k8s-dev}, policy and service account. */
    public TrustEnvironmentBuilder seedScenario(boolean include) {
        request.seedScenario(include);
        return this;
    }

    /** Set the path KV version 2 is mounted at; default {@code kvv2}. */
    public TrustEnvironmentBuilder kvPath(String path) {
        request.kvPath(Objects.requireNonNull(path, "path"));
        return this;
    }

    /** Set the path the {@code jwt} auth method is enabled at; default {@code jwt}. */
    public TrustEnvironmentBuilder authPath(String path) {
        request.authPath(Objects.requireNonNull(path, "path"));
        return this;
    }

    /**
     * Choose the auth methods to enable: {@link AuthMethod#JWT} (default, the walkthrough),
     * {@link AuthMethod#KUBERNETES}, or both; default: {@link ConfigKeys#AUTH_METHODS_KEY}, then {@code jwt}.
     */
    public TrustEnvironmentBuilder authMethods(AuthMethod... methods) {
        request.authMethods(new LinkedHashSet<>(Arrays.asList(methods)));
        return this;
    }

    /** Set the path the {@code kubernetes} auth method is enabled at; default {@code kubernetes}. */
    public TrustEnvironmentBuilder kubernetesAuthPath(String path) {
        request.kubernetesAuthPath(Objects.requireNonNull(path, "path"));
        return this;
    }

    /**
     * Choose who calls TokenReview for the {@code kubernetes} auth method; default:
     * {@link ConfigKeys#TOKEN_REVIEWER_KEY}, then {@link TokenReviewer#REVIEWER_SERVICE_ACCOUNT}.
     */
    public TrustEnvironmentBuilder tokenReviewer(TokenReviewer reviewer) {
        request.tokenReviewer(Objects.requireNonNull(reviewer, "reviewer"));
        return this;
    }

    /**
     * Add a role of the {@code kubernetes} auth method, e.g.
     * {@code KubernetesRoleSpec.builder("reader").boundServiceAccount("apps", "reader").policies("reader").build()},
     * or the role file you ship, {@code KubernetesRoleSpec.fromResource("vault/roles/reader.json")}; enable the method
     * with {@link #authMethods(AuthMethod...)}.
     */
    public TrustEnvironmentBuilder kubernetesRole(KubernetesRoleSpec role) {
        request.kubernetesRole(Objects.requireNonNull(role, "role"));
        return this;
    }

    /**
     * Add several roles of the {@code kubernetes} auth method, e.g. a directory of role files:
     * {@code kubernetesRoles(KubernetesRoleSpec.fromResourceDirectory("vault/roles/kubernetes"))}.
     */
    public TrustEnvironmentBuilder kubernetesRoles(Collection<KubernetesRoleSpec> roles) {
        Objects.requireNonNull(roles, "roles").forEach(this::kubernetesRole);
        return this;
    }

    /** Set the auth method's {@code default_role}; empty for none; default {@code k8s-dev}. */
    public TrustEnvironmentBuilder defaultRole(String role) {
        request.defaultRole(Objects.requireNonNull(role, "role"));
        return this;
    }

    /**
     * Add a JWT role, e.g. {@code RoleSpec.builder("reader").boundSubject(...).policies("reader").build()}, or the role
     * file you ship, {@code RoleSpec.fromResource("vault/roles/reader.json")} (sent to Vault as it is).
     */
    public TrustEnvironmentBuilder role(RoleSpec role) {
        request.role(Objects.requireNonNull(role, "role"));
        return this;
    }

    /** Add several JWT roles, e.g. a directory of role files: {@code roles(RoleSpec.fromResourceDirectory("vault/roles"))}. */
    public TrustEnvironmentBuilder roles(Collection<RoleSpec> roles) {
        Objects.requireNonNull(roles, "roles").forEach(this::role);
        return this;
    }

    /** Add a Vault ACL policy given as HCL. */
    public TrustEnvironmentBuilder policy(String name, String hcl) {
        request.policy(new PolicySpec(Objects.requireNonNull(name, "name"), Objects.requireNonNull(hcl, "hcl"),
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
                throw new VaultK8sTrustConfigurationException(NAME + ".policyResource(\"" + name + "\", \"" + resource
                        + "\"): no such resource on the class path; put the file under src/test/resources/" + path);
            }
            String hcl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (hcl.isBlank()) {
                throw new VaultK8sTrustConfigurationException(NAME + ".policyResource(\"" + name + "\", \""
                        + resource + "\"): the resource is empty");
            }
            request.policy(new PolicySpec(name, hcl, "classpath resource " + path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read class-path resource " + path, e);
        }
    }

    /** Add a service account (its namespace is created when missing). */
    public TrustEnvironmentBuilder serviceAccount(String namespace, String name) {
        request.serviceAccount(new ServiceAccountSpec(Objects.requireNonNull(namespace, "namespace"),
                Objects.requireNonNull(name, "name")));
        return this;
    }

    /** Add a namespace. */
    public TrustEnvironmentBuilder namespace(String name) {
        request.namespace(Objects.requireNonNull(name, "name"));
        return this;
    }

    /**
     * Set a configuration key ({@link ConfigKeys}, e.g. {@code vaultk8s.k3s.system-images}) in code; it wins over
     * system properties and environment variables.
     */
    public TrustEnvironmentBuilder setting(String key, String value) {
        request.setting(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Say that the tests need pods, so that AUTO picks a backend that runs them. */
    public TrustEnvironmentBuilder requirePods() {
        request.needsPods(true);
        return this;
    }

    /**
     * Read configuration keys not set in code from this source instead of system properties (environment variables
     * still come after it), e.g. a Spring {@code Environment::getProperty} wrapped in {@code Optional}.
     */
    public TrustEnvironmentBuilder configuration(Function<String, Optional<String>> source) {
        request.configuration(Objects.requireNonNull(source, "source"));
        customConfiguration = true;
        return this;
    }

    /** Return the request this builder describes (nothing is validated or started). */
    public TrustRequest request() {
        return request.build();
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

    /** How the builder names what its user wrote: builder calls, and system properties (or their own source). */
    private record Origin(TrustEnvironmentBuilder builder) implements RequestOrigin {

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String attribute(String attribute, String value) {
            // Array attributes of the annotation ({a, b}) are varargs here.
            String arguments = value.startsWith("{") && value.endsWith("}") ? value.substring(1, value.length() - 1)
                    : value;
            return NAME + "." + attribute + "(" + arguments + ")";
        }

        @Override
        public String setting(String key, String value) {
            if (key.equals(ConfigKeys.STARTUP_TIMEOUT_KEY)) {
                return attribute("startupTimeout", "Duration.parse(" + RequestOrigin.quote(value) + ")");
            }
            return RequestOrigin.attributeOf(key).map(a -> attribute(a, RequestOrigin.attributeValue(key, value)))
                    .orElseGet(() -> NAME + ".setting(" + RequestOrigin.quote(key) + ", " + RequestOrigin.quote(value)
                            + ")");
        }

        @Override
        public String configurationKey(String key) {
            return builder.customConfiguration ? "Configuration key " + key + " (from " + NAME + ".configuration(...))"
                    : "System property " + key;
        }

        @Override
        public String jwtRole(String name) {
            return "RoleSpec.builder(" + RequestOrigin.quote(name) + ")";
        }

        @Override
        public String kubernetesRole(String name) {
            return "KubernetesRoleSpec.builder(" + RequestOrigin.quote(name) + ")";
        }

        @Override
        public String roleFile(AuthMethod method, RoleFile file, String name) {
            String type = method == AuthMethod.KUBERNETES ? "KubernetesRoleSpec" : "RoleSpec";
            String argument = file.classPath() ? RequestOrigin.quote(file.declared())
                    : "Path.of(" + RequestOrigin.quote(file.declared()) + ")";
            if (!file.directoryEntry().isEmpty()) {
                return type + (file.classPath() ? ".fromResourceDirectory(" : ".fromDirectory(") + argument + "): "
                        + file.directoryEntry() + (name.equals(file.roleName()) ? ""
                        : " (as role " + RequestOrigin.quote(name) + ")");
            }
            return type + (file.classPath() ? ".fromResource(" : ".fromFile(") + argument + ")"
                    + (name.equals(file.roleName()) ? "" : ".withName(" + RequestOrigin.quote(name) + ")");
        }

        @Override
        public String policy(String name) {
            return NAME + ".policy(" + RequestOrigin.quote(name) + ", ...)";
        }

        @Override
        public String serviceAccount(String namespace, String name) {
            return NAME + ".serviceAccount(" + RequestOrigin.quote(namespace) + ", " + RequestOrigin.quote(name) + ")";
        }

        @Override
        public String member(String element, String attribute, String value) {
            if (attribute.equals("name")) {
                return element;
            }
            String method = switch (attribute) {
                case "boundClaims" -> "boundClaim";
                case "claimMappings" -> "claimMapping";
                default -> attribute;
            };
            String arguments = value.startsWith("{") && value.endsWith("}") ? value.substring(1, value.length() - 1)
                    : value;
            return element + "." + method + "(" + arguments + ")";
        }

        @Override
        public String declareJwtRole(String name) {
            return NAME + ".role(" + jwtRole(name) + "...build())";
        }

        @Override
        public String declareKubernetesRole(String name) {
            return NAME + ".kubernetesRole(" + kubernetesRole(name) + "...build())";
        }

        @Override
        public String declarePolicy(String name) {
            return NAME + ".policy(" + RequestOrigin.quote(name) + ", \"<hcl>\")";
        }

        @Override
        public String declareServiceAccount(String namespace, String name) {
            return serviceAccount(namespace, name);
        }
    }
}
