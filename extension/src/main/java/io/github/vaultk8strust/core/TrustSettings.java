package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.BackendConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The resolved, validated configuration of one environment. Immutable. {@link #key()} holds only what shapes the
 * environment, and is what equal environments are shared under; the rest (timeouts, where binaries come from, what
 * a pod-only test does elsewhere) only changes how it is started or used.
 *
 * @param backend the name of the backend provider, e.g. {@code local}
 * @param backendShape the backend's options that make environments differ (versions, images, binaries)
 * @param backendReason why this backend was chosen, for the run's one line about it
 * @param config the layered configuration the backend reads its own keys from
 * @param authMethods the enabled auth methods
 * @param kubernetesAuthPath the {@code kubernetes} auth method's mount path
 * @param tokenReviewer who calls TokenReview for {@code kubernetes}
 * @param kubernetesRoles the roles of the {@code kubernetes} auth method
 */
@API(status = INTERNAL, since = "0.1")
public record TrustSettings(
        String backend,
        Map<String, String> backendShape,
        VaultMode vaultMode,
        Duration startupTimeout,
        String kvPath,
        String authPath,
        String defaultRole,
        List<RoleSpec> roles,
        List<PolicySpec> policies,
        List<ServiceAccountSpec> serviceAccounts,
        List<String> namespaces,
        FeaturePolicy k3sOnly,
        boolean keepOnFailure,
        String backendReason,
        BackendConfig config,
        Set<AuthMethod> authMethods,
        String kubernetesAuthPath,
        TokenReviewer tokenReviewer,
        List<KubernetesRoleSpec> kubernetesRoles) {

    /** Settings with the {@code jwt} auth method alone, as before {@code kubernetes} existed. */
    public TrustSettings(String backend, Map<String, String> backendShape, VaultMode vaultMode, Duration startupTimeout,
                         String kvPath, String authPath, String defaultRole, List<RoleSpec> roles,
                         List<PolicySpec> policies, List<ServiceAccountSpec> serviceAccounts, List<String> namespaces,
                         FeaturePolicy k3sOnly, boolean keepOnFailure, String backendReason, BackendConfig config) {
        this(backend, backendShape, vaultMode, startupTimeout, kvPath, authPath, defaultRole, roles, policies,
                serviceAccounts, namespaces, k3sOnly, keepOnFailure, backendReason, config, Set.of(AuthMethod.JWT),
                io.github.vaultk8strust.ConfigKeys.DEFAULT_KUBERNETES_AUTH_PATH, TokenReviewer.REVIEWER_SERVICE_ACCOUNT,
                List.of());
    }

    public TrustSettings {
        authMethods = Collections.unmodifiableSet(EnumSet.copyOf(authMethods));
        kubernetesRoles = List.copyOf(kubernetesRoles);
        backendShape = Map.copyOf(backendShape);
        roles = List.copyOf(roles);
        policies = List.copyOf(policies);
        serviceAccounts = List.copyOf(serviceAccounts);
        namespaces = List.copyOf(namespaces);
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

    /** Return the Kubernetes version: the backend's ({@code kubernetes-version} in its shape), else the one asked for, else the pin. */
    public String kubernetesVersion() {
        return backendShape.containsKey("kubernetes-version") ? backendShape.get("kubernetes-version") : config.get(io.github.vaultk8strust.ConfigKeys.KUBERNETES_VERSION_KEY)
                .orElse(io.github.vaultk8strust.ConfigKeys.DEFAULT_KUBERNETES_VERSION);
    }

    /** Return the Vault version: the backend's ({@code vault-version} in its shape), else the one asked for, else the pin. */
    public String vaultVersion() {
        return backendShape.containsKey("vault-version") ? backendShape.get("vault-version") : config.get(io.github.vaultk8strust.ConfigKeys.VAULT_VERSION_KEY)
                .orElse(io.github.vaultk8strust.ConfigKeys.DEFAULT_VAULT_VERSION);
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
                    .toLowerCase(java.util.Locale.ROOT) + ", roles " + roles.stream().map(RoleSpec::name).toList()
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
}
