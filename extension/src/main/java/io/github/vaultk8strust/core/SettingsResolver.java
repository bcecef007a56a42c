package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.Seed;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.core.TrustSettings.FeaturePolicy;
import io.github.vaultk8strust.spi.BackendConfig;
import io.github.vaultk8strust.support.ServerVersions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;


/**
 * Turn a {@link TrustRequest} (from {@code @VaultK8sTrust} or {@link io.github.vaultk8strust.TrustEnvironmentBuilder})
 * plus configuration parameters and environment variables into validated {@link TrustSettings}. Layers, first wins:
 * value in code, configuration parameter (or system property), environment variable (mechanical name), default.
 * Misuse throws {@link VaultK8sTrustConfigurationException} naming where the value was given, the value and what is
 * accepted; nothing has started then.
 */
@API(status = INTERNAL, since = "0.1")
public final class SettingsResolver {

    static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);
    static final Duration MIN_STARTUP_TIMEOUT = Duration.ofSeconds(1);

    /** Vault refuses secrets mounts under these paths (vault/mount.go). */
    private static final List<String> RESERVED_SECRET_PREFIXES = List.of("audit", "auth", "sys", "cubbyhole", "identity");
    private static final Pattern VAULT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]*");
    private static final Pattern MOUNT_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern VAULT_DURATION =
            // Vault's parseutil.ParseDurationSecond: whole seconds, whole days ("7d"), or a Go duration.
            Pattern.compile("\\d+|\\d+d|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");

    private final Function<String, String> environment;
    private final Backends backends;
    private TrustRequest request;

    /**
     * @param environment environment variables, usually {@code System::getenv}
     * @param backends the backends on the class path
     */
    public SettingsResolver(Function<String, String> environment, Backends backends) {
        this.environment = environment;
        this.backends = backends;
    }

    /** Return the environment-variable name for a configuration key: {@code vaultk8s.backend} to {@code VAULTK8S_BACKEND}. */
    public static String environmentVariable(String key) {
        return ConfigKeys.environmentVariable(key);
    }

    /** Resolve and validate; misuse throws {@link VaultK8sTrustConfigurationException} naming setting and value. */
    public TrustSettings resolve(TrustRequest request) {
        this.request = request;
        TrustRequest annotation = request;
        String backendName = annotation.backend() != null && annotation.backend() != Backend.DEFAULT
                ? annotation.backend().name().toLowerCase(Locale.ROOT)
                : setting(ConfigKeys.BACKEND_KEY).map(v -> backendName(v)).orElse("auto");
        VaultMode vaultMode = annotation.vaultMode() != null && annotation.vaultMode() != VaultMode.DEFAULT
                ? annotation.vaultMode()
                : setting(ConfigKeys.VAULT_MODE_KEY)
                        .map(v -> parseEnum(ConfigKeys.VAULT_MODE_KEY, v, VaultMode.class))
                        .orElse(VaultMode.INIT);
        Duration startupTimeout = annotation.startupTimeout() != null && !annotation.startupTimeout().isBlank()
                ? parseTimeout(request.origin() + "(startupTimeout = \"" + annotation.startupTimeout() + "\")",
                        annotation.startupTimeout())
                : setting(ConfigKeys.STARTUP_TIMEOUT_KEY)
                        .map(v -> parseTimeout("Configuration parameter " + ConfigKeys.STARTUP_TIMEOUT_KEY
                                + " (or environment variable " + environmentVariable(ConfigKeys.STARTUP_TIMEOUT_KEY)
                                + ")", v))
                        .orElse(DEFAULT_STARTUP_TIMEOUT);

        String kvPath = mountPath("kvPath", annotation.kvPath(), RESERVED_SECRET_PREFIXES);
        String authPath = mountPath("authPath", annotation.authPath(), List.of("token"));
        if (kvPath.equals(authPath)) {
            throw misuse("kvPath and authPath are both \"" + kvPath + "\"; give them different paths");
        }
        Set<AuthMethod> authMethods = !annotation.authMethods().isEmpty() ? annotation.authMethods()
                : setting(ConfigKeys.AUTH_METHODS_KEY).map(SettingsResolver::authMethods)
                        .orElse(Set.of(AuthMethod.JWT));
        boolean jwt = authMethods.contains(AuthMethod.JWT);
        boolean kubernetes = authMethods.contains(AuthMethod.KUBERNETES);
        String kubernetesAuthPath = annotation.kubernetesAuthPath() != null
                ? mountPath("kubernetesAuthPath", annotation.kubernetesAuthPath(), List.of("token"))
                : setting(ConfigKeys.KUBERNETES_AUTH_PATH_KEY)
                        .map(v -> mountPath(ConfigKeys.KUBERNETES_AUTH_PATH_KEY, v, List.of("token")))
                        .orElse(ConfigKeys.DEFAULT_KUBERNETES_AUTH_PATH);
        if (jwt && kubernetes && authPath.equals(kubernetesAuthPath)) {
            throw misuse("authPath (jwt) and kubernetesAuthPath (kubernetes) are both \"" + authPath + "\"; Vault "
                    + "enables one auth method per path: give each its own, e.g. authPath = \"jwt\", "
                    + "kubernetesAuthPath = \"kubernetes\"");
        }
        TokenReviewer tokenReviewer = annotation.tokenReviewer() != null ? annotation.tokenReviewer()
                : setting(ConfigKeys.TOKEN_REVIEWER_KEY).map(SettingsResolver::tokenReviewer)
                        .orElse(TokenReviewer.REVIEWER_SERVICE_ACCOUNT);

        List<PolicySpec> policies = new ArrayList<>();
        List<RoleSpec> roles = new ArrayList<>();
        List<KubernetesRoleSpec> kubernetesRoles = new ArrayList<>();
        if (annotation.seedScenario()) {
            policies.add(new PolicySpec(Seed.POLICY, Seed.POLICY_HCL.replace("kvv2/", kvPath + "/"),
                    "the seed scenario"));
            if (jwt) {
                roles.add(new RoleSpec(Seed.ROLE, "system:serviceaccount:" + Seed.NAMESPACE + ":"
                        + Seed.SERVICE_ACCOUNT, List.of(Seed.AUDIENCE), "sub", List.of(Seed.POLICY), "1h"));
            }
            if (kubernetes) {
                kubernetesRoles.add(KubernetesRoleSpec.builder(jwt ? Seed.KUBERNETES_ROLE : Seed.ROLE)
                        .boundServiceAccount(Seed.NAMESPACE, Seed.SERVICE_ACCOUNT).audience(Seed.AUDIENCE)
                        .policies(Seed.POLICY).build());
            }
        }
        for (PolicySpec policy : annotation.policies()) {
            policies.add(policy(policy));
        }
        if (!jwt && !annotation.roles().isEmpty()) {
            throw misuse("roles: " + annotation.roles().size() + " @JwtRole given, but the jwt auth method is not "
                    + "enabled (authMethods = " + authMethods + "); add AuthMethod.JWT to authMethods or declare them "
                    + "as @KubernetesRole");
        }
        if (!kubernetes && !annotation.kubernetesRoles().isEmpty()) {
            throw misuse("kubernetesRoles: " + annotation.kubernetesRoles().size() + " @KubernetesRole given, but the "
                    + "kubernetes auth method is not enabled (authMethods = " + authMethods + "); use authMethods = "
                    + "{JWT, KUBERNETES} or {KUBERNETES}");
        }
        for (RoleSpec role : annotation.roles()) {
            roles.add(role(role));
        }
        for (KubernetesRoleSpec role : annotation.kubernetesRoles()) {
            kubernetesRoles.add(kubernetesRole(role));
        }
        rejectDuplicates("policies", "@VaultPolicy", policies.stream().map(PolicySpec::name).toList(),
                annotation.seedScenario());
        rejectDuplicates("roles", "@JwtRole", roles.stream().map(RoleSpec::name).toList(), annotation.seedScenario());
        rejectDuplicates("kubernetesRoles", "@KubernetesRole",
                kubernetesRoles.stream().map(KubernetesRoleSpec::name).toList(), annotation.seedScenario());
        Set<String> jwtNames = roles.stream().map(RoleSpec::name).collect(Collectors.toSet());
        for (KubernetesRoleSpec role : kubernetesRoles) {
            if (jwtNames.contains(role.name())) {
                throw misuse("@KubernetesRole(name = \"" + role.name() + "\") has the name of a @JwtRole; role names "
                        + "must be unique across auth methods, because a login by role name (@VaultLogin, login(role), "
                        + "the policy matrix) picks the method from the role. Rename one of them.");
            }
        }

        Set<String> policyNames = policies.stream().map(PolicySpec::name).collect(Collectors.toSet());
        Map<String, List<String>> rolePolicies = new LinkedHashMap<>();
        roles.forEach(r -> rolePolicies.put("@JwtRole(name = \"" + r.name() + "\"", r.policies()));
        kubernetesRoles.forEach(r -> rolePolicies.put("@KubernetesRole(name = \"" + r.name() + "\"", r.policies()));
        rolePolicies.forEach((where, names) -> {
            for (String p : names) {
                if (!p.equals("default") && !policyNames.contains(p)) {
                    throw misuse(where + ", policies = \"" + p + "\"): no policy named \""
                            + p + "\" is declared; declared policies: " + sorted(policyNames)
                            + " (plus Vault's built-in \"default\"). Add @VaultPolicy(name = \"" + p + "\", ...) to policies.");
                }
            }
        });

        String defaultRole = annotation.defaultRole();
        if (jwt && !defaultRole.isEmpty() && roles.stream().noneMatch(r -> r.name().equals(defaultRole))) {
            throw misuse("defaultRole = \"" + defaultRole + "\" names no configured role; configured roles: "
                    + sorted(roles.stream().map(RoleSpec::name).collect(Collectors.toSet()))
                    + ". Name one of them, or use defaultRole = \"\" for none.");
        }

        Set<ServiceAccountSpec> serviceAccounts = new LinkedHashSet<>();
        roles.forEach(r -> r.boundServiceAccount().ifPresent(serviceAccounts::add));
        kubernetesRoles.forEach(r -> serviceAccounts.addAll(r.boundServiceAccounts()));
        for (ServiceAccountSpec sa : annotation.serviceAccounts()) {
            serviceAccounts.add(serviceAccount(sa));
        }
        Set<String> namespaces = new LinkedHashSet<>();
        for (String ns : annotation.namespaces()) {
            namespaces.add(namespace("namespaces", ns));
        }
        serviceAccounts.forEach(sa -> namespaces.add(sa.namespace()));

        // Versions: resolved here, once, for every backend ("1.33" -> "1.33.13"); backends read the resolved value.
        Optional<String> kubernetesVersion = version(ServerVersions.Product.KUBERNETES);
        Optional<String> flavor = setting(ConfigKeys.VAULT_FLAVOR_KEY).filter(v -> !v.isBlank())
                .map(v -> parseEnum(ConfigKeys.VAULT_FLAVOR_KEY, v, io.github.vaultk8strust.VaultFlavor.class))
                .map(io.github.vaultk8strust.VaultFlavor::settingValue);
        boolean openBao = flavor.filter("openbao"::equals).isPresent();
        if (openBao && setting(ConfigKeys.VAULT_VERSION_KEY).filter(v -> !v.isBlank()).isPresent()) {
            throw misuse("vaultFlavor = OPENBAO with a Vault version (" + ConfigKeys.VAULT_VERSION_KEY + " = \""
                    + setting(ConfigKeys.VAULT_VERSION_KEY).orElseThrow() + "\"): the library knows no OpenBao versions, "
                    + "because it cannot build OpenBao (the Go module proxy refuses github.com/openbao/openbao) and "
                    + "downloads only HashiCorp releases. Leave the version unset and provide the bao you want: on the "
                    + "PATH or with " + ConfigKeys.LOCAL_VAULT_KEY + " (releases: https://github.com/openbao/openbao/releases)");
        }
        Optional<String> vaultVersion = openBao ? Optional.empty() : version(ServerVersions.Product.VAULT);
        BackendConfig config = key -> key.equals(ConfigKeys.KUBERNETES_VERSION_KEY) ? kubernetesVersion
                : key.equals(ConfigKeys.VAULT_VERSION_KEY) ? vaultVersion
                : key.equals(ConfigKeys.VAULT_FLAVOR_KEY) ? flavor : setting(key);
        Backends.Choice choice = backends.choose(backendName, request.needsPods(), config,
                request.origin() + "(backend)");
        Map<String, String> shape;
        try {
            shape = choice.provider().shape(config);
        } catch (VaultK8sTrustConfigurationException e) {
            throw misuse(e.getMessage());
        }
        FeaturePolicy k3sOnly = setting(ConfigKeys.K3S_ONLY_KEY)
                .map(v -> parseEnum(ConfigKeys.K3S_ONLY_KEY, v, FeaturePolicy.class)).orElse(FeaturePolicy.SKIP);
        boolean keepOnFailure = setting(ConfigKeys.KEEP_ON_FAILURE_KEY)
                .map(v -> parseBoolean(ConfigKeys.KEEP_ON_FAILURE_KEY, v)).orElse(false);
        return new TrustSettings(choice.provider().name(), shape, vaultMode, startupTimeout, kvPath, authPath,
                defaultRole, roles, policies, List.copyOf(serviceAccounts), List.copyOf(namespaces), k3sOnly,
                keepOnFailure, choice.reason(), config, authMethods, kubernetesAuthPath, tokenReviewer,
                kubernetesRoles);
    }

    private Optional<String> version(ServerVersions.Product product) {
        String key = product.key();
        Optional<String> value = setting(key).filter(v -> !v.isBlank());
        String where = request.settings().containsKey(key)
                ? request.origin() + "(" + product.attribute() + " = \"" + request.settings().get(key).trim() + "\")"
                : "Configuration parameter " + key + " (or environment variable " + environmentVariable(key) + ")";
        return value.map(v -> ServerVersions.resolve(product, v, where));
    }

    private Optional<String> setting(String key) {
        String inCode = request.settings().get(key);
        if (inCode != null) {
            return Optional.of(inCode.trim());
        }
        Optional<String> parameter = request.configuration().apply(key).map(String::trim);
        if (parameter.isPresent()) {
            return parameter;
        }
        return Optional.ofNullable(environment.apply(environmentVariable(key))).map(String::trim);
    }

    private PolicySpec policy(PolicySpec policy) {
        String where = "@VaultPolicy(name = \"" + policy.name() + "\")";
        requireVaultName(where, "name", policy.name());
        if (policy.hcl().isBlank()) {
            throw misuse(where + ": the HCL is empty");
        }
        return policy;
    }

    private RoleSpec role(RoleSpec role) {
        String where = "@JwtRole(name = \"" + role.name() + "\")";
        requireVaultName(where, "name", role.name());
        if (role.boundSubject().isBlank() && role.boundClaims().isEmpty()) {
            throw misuse(where + ": boundSubject = \"" + role.boundSubject() + "\" is empty and no boundClaims are "
                    + "given; a jwt role must bind the subject, e.g. boundSubject = "
                    + "\"system:serviceaccount:<namespace>:<service-account>\", or claims, e.g. boundClaims = "
                    + "@Claim(name = \"/kubernetes.io/namespace\", value = \"payments\")");
        }
        boundSubject(where, role.boundSubject());
        Map<String, List<String>> boundClaims = boundClaims(where, role);
        Map<String, String> claimMappings = claimMappings(where, role);
        if (role.boundAudiences().isEmpty() || role.boundAudiences().stream().anyMatch(String::isBlank)) {
            throw misuse(where + ": boundAudiences = " + role.boundAudiences().stream()
                    .map(a -> "\"" + a + "\"").collect(Collectors.joining(", ", "{", "}"))
                    + " must list at least one non-empty audience; Kubernetes tokens always carry an audience and "
                    + "Vault refuses them on a role without one. Use e.g. boundAudiences = \"vault-dev\"");
        }
        if (role.userClaim().isBlank()) {
            throw misuse(where + ": userClaim is empty; use a claim every token has, e.g. \"sub\"");
        }
        if (!VAULT_DURATION.matcher(role.ttl()).matches()) {
            throw misuse(where + ": ttl = \"" + role.ttl() + "\" is not a Vault duration; use e.g. \"1h\", \"30m\", "
                    + "\"90s\" or a number of seconds");
        }
        for (String p : role.policies()) {
            requireVaultName(where, "policies", p);
        }
        if (!role.boundClaimsType().equals("string") && !role.boundClaimsType().equals("glob")) {
            throw misuse(where + ": boundClaimsType = \"" + role.boundClaimsType() + "\" is not valid; accepted: "
                    + "string, glob");
        }
        RoleSpec spec = new RoleSpec(role.name(), role.boundSubject(), role.boundAudiences(), role.userClaim(),
                role.policies(), role.ttl(), boundClaims, role.boundClaimsType(), claimMappings);
        spec.boundServiceAccount().ifPresent(sa -> {
            namespace(where + " boundSubject namespace", sa.namespace());
            serviceAccountName(where + " boundSubject service account", sa.name());
        });
        return spec;
    }

    /**
     * Reject a subject Vault would compare byte for byte with a token's {@code sub} and never match: surrounding
     * whitespace, or a service-account subject that is not exactly {@code system:serviceaccount:<ns>:<name>}.
     */
    private void boundSubject(String where, String subject) {
        String prefix = "system:serviceaccount:";
        if (subject.isEmpty()) {
            return;
        }
        if (!subject.equals(subject.strip())) {
            throw misuse(where + ": boundSubject = \"" + subject + "\" has leading or trailing whitespace; a token's "
                    + "sub never has, so no token would match. Use \"" + subject.strip() + "\"");
        }
        if (!subject.startsWith(prefix)) {
            return;
        }
        String[] parts = subject.substring(prefix.length()).split(":", -1);
        if (parts.length != 2) {
            throw misuse(where + ": boundSubject = \"" + subject + "\" is not a service-account subject: expected "
                    + "exactly \"system:serviceaccount:<namespace>:<service-account>\" (" + (parts.length < 2
                    ? "the service account name is missing" : (parts.length - 2) + " extra ':'-separated part(s)")
                    + "), e.g. \"system:serviceaccount:default:my-app\"");
        }
        namespace(where + " boundSubject namespace", parts[0]);
        serviceAccountName(where + " boundSubject service account", parts[1]);
    }

    private KubernetesRoleSpec kubernetesRole(KubernetesRoleSpec role) {
        String where = "@KubernetesRole(name = \"" + role.name() + "\")";
        requireVaultName(where, "name", role.name());
        boundList(where, "boundServiceAccountNames", role.boundServiceAccountNames(), "\"vault-writer\"");
        boundList(where, "boundServiceAccountNamespaces", role.boundServiceAccountNamespaces(), "\"default\"");
        for (String name : role.boundServiceAccountNames()) {
            if (!name.contains("*")) {
                serviceAccountName(where + " boundServiceAccountNames", name);
            }
        }
        for (String ns : role.boundServiceAccountNamespaces()) {
            if (!ns.contains("*")) {
                namespace(where + " boundServiceAccountNamespaces", ns);
            }
        }
        if (!role.audience().equals(role.audience().strip())) {
            throw misuse(where + ": audience = \"" + role.audience() + "\" has blanks around it");
        }
        if (!VAULT_DURATION.matcher(role.ttl()).matches()) {
            throw misuse(where + ": ttl = \"" + role.ttl() + "\" is not a Vault duration; use e.g. \"1h\", \"30m\", "
                    + "\"90s\" or a number of seconds");
        }
        for (String p : role.policies()) {
            requireVaultName(where, "policies", p);
        }
        return role;
    }

    /** Vault's kubernetes roles need both lists, non-empty; {@code *} must stand alone. */
    private void boundList(String where, String attribute, List<String> values, String example) {
        if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
            throw misuse(where + ": " + attribute + " = " + quoted(values) + " must list at least one non-empty "
                    + "value (Vault refuses a kubernetes role without it); use e.g. " + attribute + " = " + example
                    + ", or \"*\" to accept any");
        }
        if (values.size() > 1 && values.contains("*")) {
            throw misuse(where + ": " + attribute + " = " + quoted(values) + " mixes \"*\" with other values; Vault "
                    + "refuses that: give \"*\" alone or drop it");
        }
    }

    private static Set<AuthMethod> authMethods(String value) {
        Set<AuthMethod> methods = java.util.EnumSet.noneOf(AuthMethod.class);
        for (String part : value.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            methods.add(Arrays.stream(AuthMethod.values()).filter(m -> m.vaultType().equalsIgnoreCase(name))
                    .findFirst().orElseThrow(() -> new VaultK8sTrustConfigurationException("Configuration parameter "
                            + ConfigKeys.AUTH_METHODS_KEY + " (or environment variable "
                            + environmentVariable(ConfigKeys.AUTH_METHODS_KEY) + ") = \"" + value + "\" names \""
                            + name + "\"; accepted: jwt, kubernetes, comma separated")));
        }
        if (methods.isEmpty()) {
            throw new VaultK8sTrustConfigurationException("Configuration parameter " + ConfigKeys.AUTH_METHODS_KEY
                    + " is empty; accepted: jwt, kubernetes, comma separated");
        }
        return methods;
    }

    private static TokenReviewer tokenReviewer(String value) {
        return parseEnum(ConfigKeys.TOKEN_REVIEWER_KEY, value.replace('-', '_'), TokenReviewer.class);
    }

    private Map<String, List<String>> boundClaims(String where, RoleSpec role) {
        if (role.boundClaimsType().equals("glob") && role.boundClaims().isEmpty()) {
            throw misuse(where + ": boundClaimsType = GLOB but no boundClaims are given; add boundClaims = "
                    + "@Claim(name = \"...\", value = \"...*\") or drop boundClaimsType");
        }
        Map<String, List<String>> claims = new LinkedHashMap<>();
        role.boundClaims().forEach((name, values) -> {
            String what = where + ": boundClaims @Claim(name = \"" + name + "\")";
            claimName(what, "name", name);
            if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
                throw misuse(what + ": value = " + quoted(values) + " must list at least one non-empty "
                        + "value, e.g. value = \"payments\" or value = {\"payments\", \"billing\"}");
            }
            claims.put(name, values);
        });
        return claims;
    }

    private Map<String, String> claimMappings(String where, RoleSpec role) {
        Map<String, String> mappings = new LinkedHashMap<>();
        Set<String> targets = new LinkedHashSet<>();
        role.claimMappings().forEach((claim, metadata) -> {
            String what = where + ": claimMappings @ClaimMapping(claim = \"" + claim + "\", metadata = \""
                    + metadata + "\")";
            claimName(what, "claim", claim);
            if (metadata.isBlank()) {
                throw misuse(what + ": metadata is empty; name the metadata key, e.g. metadata = \"service_account\"");
            }
            if (metadata.equals("role")) {
                throw misuse(what + ": Vault reserves the metadata key \"role\" (it holds the role name); choose "
                        + "another key");
            }
            if (!targets.add(metadata)) {
                throw misuse(what + ": metadata key \"" + metadata + "\" is the target of two mappings; "
                        + "Vault refuses that");
            }
            mappings.put(claim, metadata);
        });
        return mappings;
    }

    /** A top-level claim name or a JSON pointer ({@code /a/b}) without empty segments. */
    private void claimName(String where, String attribute, String value) {
        boolean pointer = value.startsWith("/");
        boolean valid = !value.isBlank() && value.equals(value.strip())
                && (!pointer || (value.length() > 1 && !value.endsWith("/") && !value.contains("//")));
        if (!valid) {
            throw misuse(where + ": " + attribute + " = \"" + value + "\" is not a claim: give a top-level claim "
                    + "such as \"sub\", or a JSON pointer without empty segments such as "
                    + "\"/kubernetes.io/namespace\"");
        }
    }

    private static String quoted(List<String> values) {
        return values.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ", "{", "}"));
    }

    private ServiceAccountSpec serviceAccount(ServiceAccountSpec sa) {
        String where = "@K8sServiceAccount(namespace = \"" + sa.namespace() + "\", name = \"" + sa.name() + "\")";
        namespace(where + " namespace", sa.namespace());
        serviceAccountName(where + " name", sa.name());
        return sa;
    }

    private String namespace(String where, String value) {
        if (!DNS_LABEL.matcher(value).matches()) {
            throw misuse(where + " = \"" + value + "\" is not a valid namespace name: use lower-case letters, digits "
                    + "and '-', 1 to 63 characters, starting and ending with a letter or digit");
        }
        return value;
    }

    private void serviceAccountName(String where, String value) {
        if (!DNS_SUBDOMAIN.matcher(value).matches()) {
            throw misuse(where + " = \"" + value + "\" is not a valid service account name: use lower-case letters, "
                    + "digits, '-' and '.', starting and ending with a letter or digit");
        }
    }

    private void requireVaultName(String where, String attribute, String value) {
        if (!VAULT_NAME.matcher(value).matches()) {
            throw misuse(where + ": " + attribute + " = \"" + value + "\" is not a valid name: use letters, digits, "
                    + "'_', '.', '@' and '-', starting with a letter or digit");
        }
    }

    private String mountPath(String attribute, String value, List<String> reserved) {
        boolean isReserved = reserved.stream().anyMatch(r -> value.equals(r) || value.startsWith(r + "/"));
        if (!MOUNT_PATH.matcher(value).matches() || isReserved) {
            throw misuse(attribute + " = \"" + value + "\" is not a usable mount path: use letters, digits, '_' and "
                    + "'-' separated by '/', not starting with a path Vault reserves (" + String.join(", ", reserved)
                    + ")");
        }
        return value;
    }

    private void rejectDuplicates(String attribute, String annotation, List<String> names, boolean seed) {
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                String hint = seed && (name.equals(Seed.ROLE) || name.equals(Seed.POLICY))
                        ? " The seed scenario already declares \"" + name + "\"; set seedScenario = false to replace it."
                        : "";
                throw misuse(attribute + ": " + annotation + " name \"" + name + "\" is declared twice." + hint);
            }
        }
    }

    private String backendName(String value) {
        String name = value.toLowerCase(Locale.ROOT);
        if (!name.equals("auto") && backends.named(name).isEmpty()) {
            throw new VaultK8sTrustConfigurationException("Configuration parameter " + ConfigKeys.BACKEND_KEY
                    + " (or environment variable " + environmentVariable(ConfigKeys.BACKEND_KEY) + ") = \"" + value
                    + "\" is not valid; accepted: auto, " + String.join(", ", backends.names()));
        }
        return name;
    }

    private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value) && !constant.name().equals("DEFAULT")) {
                return constant;
            }
        }
        throw new VaultK8sTrustConfigurationException("Configuration parameter " + key + " (or environment variable "
                + environmentVariable(key) + ") = \"" + value + "\" is not valid; accepted: "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).filter(n -> !n.equals("DEFAULT"))
                        .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new VaultK8sTrustConfigurationException("Configuration parameter " + key + " (or environment variable "
                + environmentVariable(key) + ") = \"" + value + "\" is not valid; accepted: true, false");
    }

    /** Parse {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}, a number of seconds, or ISO-8601 {@code PT2M}. */
    static Duration parseTimeout(String where, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("pt")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.matches("\\d+")) {
                d = Duration.ofSeconds(Long.parseLong(v));
            } else if (v.matches("\\d+ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.matches("\\d+[smh]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                d = switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } else {
                d = null;
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            d = null;
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw new VaultK8sTrustConfigurationException(where + ": \"" + value + "\" is not a positive duration; use e.g. "
                    + "\"90s\", \"2m\", \"1500ms\", a number of seconds, or ISO-8601 such as \"PT2M\"");
        }
        if (d.compareTo(MIN_STARTUP_TIMEOUT) < 0) {
            throw new VaultK8sTrustConfigurationException(where + ": \"" + value + "\" is below the minimum of 1 s; no "
                    + "environment starts that fast (a warm start takes several seconds). Use e.g. \"120s\" (the "
                    + "default) or \"2m\"");
        }
        return d;
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private VaultK8sTrustConfigurationException misuse(String detail) {
        return new VaultK8sTrustConfigurationException(request.origin() + ": " + detail);
    }
}
