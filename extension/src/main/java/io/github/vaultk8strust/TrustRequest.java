package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

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
 * {@link TrustEnvironment#builder()} or from {@code @VaultK8sTrust}. Values left {@code null} defer to the
 * configuration ({@link ConfigKeys}), then to the documented default.
 *
 * @param origin how the request was written, named in error messages: {@code "@VaultK8sTrust"} or
 *               {@code "TrustEnvironment.builder()"}
 * @param backend the backend, or {@code null} for the configuration's ({@link ConfigKeys#BACKEND_KEY}), then AUTO
 * @param vaultMode how Vault starts, or {@code null} for the configuration's, then {@link VaultMode#INIT}
 * @param startupTimeout the start-up budget as written ({@code "90s"}, {@code "PT2M"}), or {@code null}
 * @param seedScenario whether the walkthrough's role, policy and service account are included
 * @param kvPath the KV version 2 mount path
 * @param authPath the {@code jwt} auth method's mount path
 * @param defaultRole the auth method's {@code default_role}; empty for none
 * @param roles roles to add
 * @param policies policies to add
 * @param serviceAccounts service accounts to add
 * @param namespaces namespaces to add
 * @param settings configuration keys given in code; they win over configuration parameters and environment variables
 * @param needsPods whether the tests need a backend that runs pods (then AUTO picks one)
 * @param configuration where configuration keys are looked up after {@code settings}: JUnit configuration parameters
 *                      for the annotation, system properties for the builder; environment variables come after it
 * @param authMethods the auth methods to enable, or empty for the configuration's ({@link ConfigKeys#AUTH_METHODS_KEY}),
 *                    then {@code jwt} alone
 * @param kubernetesAuthPath the {@code kubernetes} auth method's mount path, or {@code null} for the configuration's,
 *                           then {@code kubernetes}
 * @param tokenReviewer who calls TokenReview for {@code kubernetes}, or {@code null} for the configuration's, then
 *                      {@link TokenReviewer#REVIEWER_SERVICE_ACCOUNT}
 * @param kubernetesRoles roles of the {@code kubernetes} auth method to add
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TrustRequest(String origin, Backend backend, VaultMode vaultMode, String startupTimeout,
                           boolean seedScenario, String kvPath, String authPath, String defaultRole,
                           List<RoleSpec> roles, List<PolicySpec> policies, List<ServiceAccountSpec> serviceAccounts,
                           List<String> namespaces, Map<String, String> settings, boolean needsPods,
                           Function<String, Optional<String>> configuration, Set<AuthMethod> authMethods,
                           String kubernetesAuthPath, TokenReviewer tokenReviewer,
                           List<KubernetesRoleSpec> kubernetesRoles) {

    /** A request for the {@code jwt} auth method only, as before the {@code kubernetes} auth method existed. */
    public TrustRequest(String origin, Backend backend, VaultMode vaultMode, String startupTimeout,
                        boolean seedScenario, String kvPath, String authPath, String defaultRole,
                        List<RoleSpec> roles, List<PolicySpec> policies, List<ServiceAccountSpec> serviceAccounts,
                        List<String> namespaces, Map<String, String> settings, boolean needsPods,
                        Function<String, Optional<String>> configuration) {
        this(origin, backend, vaultMode, startupTimeout, seedScenario, kvPath, authPath, defaultRole, roles, policies,
                serviceAccounts, namespaces, settings, needsPods, configuration, Set.of(), null, null, List.of());
    }

    public TrustRequest {
        authMethods = authMethods == null || authMethods.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(authMethods));
        tokenReviewer = tokenReviewer == TokenReviewer.DEFAULT ? null : tokenReviewer;
        kubernetesRoles = List.copyOf(kubernetesRoles);
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(kvPath, "kvPath");
        Objects.requireNonNull(authPath, "authPath");
        Objects.requireNonNull(defaultRole, "defaultRole");
        roles = List.copyOf(roles);
        policies = List.copyOf(policies);
        serviceAccounts = List.copyOf(serviceAccounts);
        namespaces = List.copyOf(namespaces);
        settings = Map.copyOf(new LinkedHashMap<>(settings));
        Objects.requireNonNull(configuration, "configuration");
    }
}
