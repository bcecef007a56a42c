package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.BoundClaimsType;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.backend.k3s.K3sReleases;
import io.github.vaultk8strust.backend.local.BinarySources;
import io.github.vaultk8strust.backend.local.ServerBinary;
import io.github.vaultk8strust.core.TrustSettings;
import io.github.vaultk8strust.core.TrustSettings.K3sOnlyPolicy;
import io.github.vaultk8strust.core.TrustSettings.K3sOptions;
import io.github.vaultk8strust.core.TrustSettings.LocalOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
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
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Turn a {@link VaultK8sTrust} annotation plus configuration parameters and environment variables into validated
 * {@link TrustSettings}. Layers, first wins: annotation attribute, configuration parameter, environment variable
 * (mechanical name), default.
 */
public final class SettingsResolver {

    /** The seed's {@code k8s-dev-writer} policy, verbatim. */
    public static final String SEED_POLICY_HCL = """
            path "kvv2/metadata/k8s-dev/*" {
                capabilities = ["list"]
            }

            path "kvv2/data/k8s-dev/*" {
                capabilities = ["create", "update", "patch", "read", "delete"]
            }
            """;

    static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);

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

    private static final Pattern IMAGE =
            Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?");

    private final Function<String, Optional<String>> configurationParameter;
    private final Function<String, String> environment;
    private final ClassLoader classLoader;

    /**
     * @param configurationParameter JUnit configuration parameters (which include system properties)
     * @param environment environment variables, usually {@code System::getenv}
     * @param classLoader where policy resources are looked up
     */
    public SettingsResolver(Function<String, Optional<String>> configurationParameter,
                            Function<String, String> environment, ClassLoader classLoader) {
        this.configurationParameter = configurationParameter;
        this.environment = environment;
        this.classLoader = classLoader;
    }

    /** Return the environment-variable name for a configuration key: {@code vaultk8s.backend} to {@code VAULTK8S_BACKEND}. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Resolve and validate; misuse raises {@link ExtensionConfigurationException} naming attribute and value. */
    public TrustSettings resolve(VaultK8sTrust annotation) {
        Backend backend = annotation.backend() != Backend.DEFAULT
                ? annotation.backend()
                : setting(VaultK8sTrust.BACKEND_KEY).map(v -> parseEnum(VaultK8sTrust.BACKEND_KEY, v, Backend.class))
                        .orElse(Backend.AUTO);
        VaultMode vaultMode = annotation.vaultMode() != VaultMode.DEFAULT
                ? annotation.vaultMode()
                : setting(VaultK8sTrust.VAULT_MODE_KEY)
                        .map(v -> parseEnum(VaultK8sTrust.VAULT_MODE_KEY, v, VaultMode.class))
                        .orElse(VaultMode.INIT);
        Duration startupTimeout = !annotation.startupTimeout().isBlank()
                ? parseTimeout("@VaultK8sTrust(startupTimeout = \"" + annotation.startupTimeout() + "\")",
                        annotation.startupTimeout())
                : setting(VaultK8sTrust.STARTUP_TIMEOUT_KEY)
                        .map(v -> parseTimeout("Configuration parameter " + VaultK8sTrust.STARTUP_TIMEOUT_KEY
                                + " (or environment variable " + environmentVariable(VaultK8sTrust.STARTUP_TIMEOUT_KEY)
                                + ")", v))
                        .orElse(DEFAULT_STARTUP_TIMEOUT);

        String kvPath = mountPath("kvPath", annotation.kvPath(), RESERVED_SECRET_PREFIXES);
        String authPath = mountPath("authPath", annotation.authPath(), List.of("token"));
        if (kvPath.equals(authPath)) {
            throw misuse("kvPath and authPath are both \"" + kvPath + "\"; give them different paths");
        }

        List<PolicySpec> policies = new ArrayList<>();
        List<RoleSpec> roles = new ArrayList<>();
        if (annotation.seedScenario()) {
            policies.add(new PolicySpec(VaultK8sTrust.SEED_POLICY, SEED_POLICY_HCL.replace("kvv2/", kvPath + "/"),
                    "the seed scenario"));
            roles.add(new RoleSpec(VaultK8sTrust.SEED_ROLE,
                    "system:serviceaccount:" + VaultK8sTrust.SEED_NAMESPACE + ":" + VaultK8sTrust.SEED_SERVICE_ACCOUNT,
                    List.of(VaultK8sTrust.SEED_AUDIENCE), "sub", List.of(VaultK8sTrust.SEED_POLICY), "1h"));
        }
        for (VaultPolicy policy : annotation.policies()) {
            policies.add(policy(policy));
        }
        for (JwtRole role : annotation.roles()) {
            roles.add(role(role));
        }
        rejectDuplicates("policies", "@VaultPolicy", policies.stream().map(PolicySpec::name).toList(),
                annotation.seedScenario());
        rejectDuplicates("roles", "@JwtRole", roles.stream().map(RoleSpec::name).toList(), annotation.seedScenario());

        Set<String> policyNames = policies.stream().map(PolicySpec::name).collect(Collectors.toSet());
        for (RoleSpec role : roles) {
            for (String p : role.policies()) {
                if (!p.equals("default") && !policyNames.contains(p)) {
                    throw misuse("@JwtRole(name = \"" + role.name() + "\", policies = \"" + p + "\"): no policy named \""
                            + p + "\" is declared; declared policies: " + sorted(policyNames)
                            + " (plus Vault's built-in \"default\"). Add @VaultPolicy(name = \"" + p + "\", ...) to policies.");
                }
            }
        }

        String defaultRole = annotation.defaultRole();
        if (!defaultRole.isEmpty() && roles.stream().noneMatch(r -> r.name().equals(defaultRole))) {
            throw misuse("defaultRole = \"" + defaultRole + "\" names no configured role; configured roles: "
                    + sorted(roles.stream().map(RoleSpec::name).collect(Collectors.toSet()))
                    + ". Name one of them, or use defaultRole = \"\" for none.");
        }

        Set<ServiceAccountSpec> serviceAccounts = new LinkedHashSet<>();
        roles.forEach(r -> r.boundServiceAccount().ifPresent(serviceAccounts::add));
        for (K8sServiceAccount sa : annotation.serviceAccounts()) {
            serviceAccounts.add(serviceAccount(sa));
        }
        Set<String> namespaces = new LinkedHashSet<>();
        for (String ns : annotation.namespaces()) {
            namespaces.add(namespace("namespaces", ns));
        }
        serviceAccounts.forEach(sa -> namespaces.add(sa.namespace()));

        return new TrustSettings(backend, vaultMode, startupTimeout, kvPath, authPath, defaultRole, roles, policies,
                List.copyOf(serviceAccounts), List.copyOf(namespaces), localOptions(), k3sOptions(annotation));
    }

    private K3sOptions k3sOptions(VaultK8sTrust annotation) {
        String k3sImage = image("k3sImage", annotation.k3sImage(), VaultK8sTrust.K3S_IMAGE_KEY,
                VaultK8sTrust.DEFAULT_K3S_IMAGE);
        String vaultImage = image("vaultImage", annotation.vaultImage(), VaultK8sTrust.K3S_VAULT_IMAGE_KEY,
                VaultK8sTrust.DEFAULT_VAULT_IMAGE);
        List<String> systemImages = setting(VaultK8sTrust.K3S_SYSTEM_IMAGES_KEY)
                .map(v -> v.equalsIgnoreCase("none") ? List.<String>of() : Arrays.stream(v.split(","))
                        .map(String::trim).filter(i -> !i.isEmpty())
                        .map(i -> checkImage("Configuration parameter " + VaultK8sTrust.K3S_SYSTEM_IMAGES_KEY, i))
                        .toList())
                .orElseGet(() -> K3sReleases.systemImages(k3sImage));
        K3sOnlyPolicy k3sOnly = setting(VaultK8sTrust.K3S_ONLY_KEY)
                .map(v -> parseEnum(VaultK8sTrust.K3S_ONLY_KEY, v, K3sOnlyPolicy.class))
                .orElse(K3sOnlyPolicy.SKIP);
        boolean privileged = setting(ConfigKeys.K3S_PRIVILEGED_KEY)
                .map(v -> parseBoolean(ConfigKeys.K3S_PRIVILEGED_KEY, v)).orElse(true);
        return new K3sOptions(k3sImage, vaultImage, systemImages, k3sOnly, privileged);
    }

    private String image(String attribute, String annotationValue, String key, String defaultValue) {
        if (!annotationValue.isBlank()) {
            return checkImage("@VaultK8sTrust(" + attribute + " = \"" + annotationValue + "\")", annotationValue.trim());
        }
        return setting(key).filter(v -> !v.isBlank())
                .map(v -> checkImage("Configuration parameter " + key + " (or environment variable "
                        + environmentVariable(key) + ")", v))
                .orElse(defaultValue);
    }

    private static String checkImage(String where, String image) {
        if (!IMAGE.matcher(image).matches()) {
            throw new ExtensionConfigurationException(where + ": \"" + image + "\" is not an image name; use "
                    + "[registry/]repository[:tag][@digest], e.g. \"hashicorp/vault:1.20\" or "
                    + "\"mirror.example.com/rancher/k3s:v1.34.1-k3s1\"");
        }
        return image;
    }

    private LocalOptions localOptions() {
        Map<ServerBinary, Path> explicit = new EnumMap<>(ServerBinary.class);
        for (ServerBinary binary : ServerBinary.values()) {
            setting(binary.settingKey()).filter(v -> !v.isBlank()).ifPresent(v -> explicit.put(binary, Path.of(v)));
        }
        Path cacheDir = setting(VaultK8sTrust.CACHE_DIR_KEY).filter(v -> !v.isBlank()).map(Path::of)
                .orElseGet(BinarySources::defaultCacheDir);
        boolean download = setting(VaultK8sTrust.DOWNLOAD_KEY).map(v -> parseBoolean(VaultK8sTrust.DOWNLOAD_KEY, v))
                .orElse(true);
        boolean build = setting(VaultK8sTrust.BUILD_KEY).map(v -> parseBoolean(VaultK8sTrust.BUILD_KEY, v))
                .orElse(true);
        return new LocalOptions(explicit, cacheDir.toAbsolutePath(), download, build);
    }

    private Optional<String> setting(String key) {
        Optional<String> parameter = configurationParameter.apply(key).map(String::trim);
        if (parameter.isPresent()) {
            return parameter;
        }
        return Optional.ofNullable(environment.apply(environmentVariable(key))).map(String::trim);
    }

    private PolicySpec policy(VaultPolicy policy) {
        String where = "@VaultPolicy(name = \"" + policy.name() + "\")";
        requireVaultName(where, "name", policy.name());
        boolean inline = !policy.hcl().isBlank();
        boolean resource = !policy.resource().isBlank();
        if (inline == resource) {
            throw misuse(where + ": give exactly one of hcl = \"...\" (inline HCL) or resource = \"path/on/classpath.hcl\""
                    + (inline ? "; both are set" : "; neither is set"));
        }
        if (inline) {
            return new PolicySpec(policy.name(), policy.hcl(), "inline HCL");
        }
        String path = policy.resource().startsWith("/") ? policy.resource().substring(1) : policy.resource();
        try (InputStream in = classLoader.getResourceAsStream(path)) {
            if (in == null) {
                throw misuse(where + ": resource = \"" + policy.resource()
                        + "\" is not on the test classpath; put the file under src/test/resources/" + path);
            }
            String hcl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (hcl.isBlank()) {
                throw misuse(where + ": resource = \"" + policy.resource() + "\" is empty");
            }
            return new PolicySpec(policy.name(), hcl, "classpath resource " + path);
        } catch (IOException e) {
            throw new ExtensionConfigurationException(where + ": cannot read resource \"" + policy.resource() + "\": " + e, e);
        }
    }

    private RoleSpec role(JwtRole role) {
        String where = "@JwtRole(name = \"" + role.name() + "\")";
        requireVaultName(where, "name", role.name());
        if (role.boundSubject().isBlank() && role.boundClaims().length == 0) {
            throw misuse(where + ": boundSubject = \"" + role.boundSubject() + "\" is empty and no boundClaims are "
                    + "given; a jwt role must bind the subject, e.g. boundSubject = "
                    + "\"system:serviceaccount:<namespace>:<service-account>\", or claims, e.g. boundClaims = "
                    + "@Claim(name = \"/kubernetes.io/namespace\", value = \"payments\")");
        }
        Map<String, List<String>> boundClaims = boundClaims(where, role);
        Map<String, String> claimMappings = claimMappings(where, role);
        if (role.boundAudiences().length == 0 || Arrays.stream(role.boundAudiences()).anyMatch(String::isBlank)) {
            throw misuse(where + ": boundAudiences = " + Arrays.stream(role.boundAudiences())
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
        RoleSpec spec = new RoleSpec(role.name(), role.boundSubject(), List.of(role.boundAudiences()),
                role.userClaim(), List.of(role.policies()), role.ttl(), boundClaims,
                role.boundClaimsType().name().toLowerCase(Locale.ROOT), claimMappings);
        spec.boundServiceAccount().ifPresent(sa -> {
            namespace(where + " boundSubject namespace", sa.namespace());
            serviceAccountName(where + " boundSubject service account", sa.name());
        });
        return spec;
    }

    private static Map<String, List<String>> boundClaims(String where, JwtRole role) {
        if (role.boundClaimsType() == BoundClaimsType.GLOB && role.boundClaims().length == 0) {
            throw misuse(where + ": boundClaimsType = GLOB but no boundClaims are given; add boundClaims = "
                    + "@Claim(name = \"...\", value = \"...*\") or drop boundClaimsType");
        }
        Map<String, List<String>> claims = new LinkedHashMap<>();
        for (Claim claim : role.boundClaims()) {
            String what = where + ": boundClaims @Claim(name = \"" + claim.name() + "\")";
            claimName(what, "name", claim.name());
            if (claim.value().length == 0 || Arrays.stream(claim.value()).anyMatch(String::isEmpty)) {
                throw misuse(what + ": value = " + quoted(claim.value()) + " must list at least one non-empty "
                        + "value, e.g. value = \"payments\" or value = {\"payments\", \"billing\"}");
            }
            if (claims.put(claim.name(), List.of(claim.value())) != null) {
                throw misuse(what + " is declared twice; list all accepted values in one @Claim, e.g. value = "
                        + "{\"a\", \"b\"}");
            }
        }
        return claims;
    }

    private static Map<String, String> claimMappings(String where, JwtRole role) {
        Map<String, String> mappings = new LinkedHashMap<>();
        Set<String> targets = new LinkedHashSet<>();
        for (ClaimMapping mapping : role.claimMappings()) {
            String what = where + ": claimMappings @ClaimMapping(claim = \"" + mapping.claim() + "\", metadata = \""
                    + mapping.metadata() + "\")";
            claimName(what, "claim", mapping.claim());
            if (mapping.metadata().isBlank()) {
                throw misuse(what + ": metadata is empty; name the metadata key, e.g. metadata = \"service_account\"");
            }
            if (mapping.metadata().equals("role")) {
                throw misuse(what + ": Vault reserves the metadata key \"role\" (it holds the role name); choose "
                        + "another key");
            }
            if (!targets.add(mapping.metadata())) {
                throw misuse(what + ": metadata key \"" + mapping.metadata() + "\" is the target of two mappings; "
                        + "Vault refuses that");
            }
            if (mappings.put(mapping.claim(), mapping.metadata()) != null) {
                throw misuse(what + ": claim \"" + mapping.claim() + "\" is mapped twice");
            }
        }
        return mappings;
    }

    /** A top-level claim name or a JSON pointer ({@code /a/b}) without empty segments. */
    private static void claimName(String where, String attribute, String value) {
        boolean pointer = value.startsWith("/");
        boolean valid = !value.isBlank() && value.equals(value.strip())
                && (!pointer || (value.length() > 1 && !value.endsWith("/") && !value.contains("//")));
        if (!valid) {
            throw misuse(where + ": " + attribute + " = \"" + value + "\" is not a claim: give a top-level claim "
                    + "such as \"sub\", or a JSON pointer without empty segments such as "
                    + "\"/kubernetes.io/namespace\"");
        }
    }

    private static String quoted(String[] values) {
        return Arrays.stream(values).map(a -> "\"" + a + "\"").collect(Collectors.joining(", ", "{", "}"));
    }

    private ServiceAccountSpec serviceAccount(K8sServiceAccount sa) {
        String where = "@K8sServiceAccount(namespace = \"" + sa.namespace() + "\", name = \"" + sa.name() + "\")";
        namespace(where + " namespace", sa.namespace());
        serviceAccountName(where + " name", sa.name());
        return new ServiceAccountSpec(sa.namespace(), sa.name());
    }

    private static String namespace(String where, String value) {
        if (!DNS_LABEL.matcher(value).matches()) {
            throw misuse(where + " = \"" + value + "\" is not a valid namespace name: use lower-case letters, digits "
                    + "and '-', 1 to 63 characters, starting and ending with a letter or digit");
        }
        return value;
    }

    private static void serviceAccountName(String where, String value) {
        if (!DNS_SUBDOMAIN.matcher(value).matches()) {
            throw misuse(where + " = \"" + value + "\" is not a valid service account name: use lower-case letters, "
                    + "digits, '-' and '.', starting and ending with a letter or digit");
        }
    }

    private static void requireVaultName(String where, String attribute, String value) {
        if (!VAULT_NAME.matcher(value).matches()) {
            throw misuse(where + ": " + attribute + " = \"" + value + "\" is not a valid name: use letters, digits, "
                    + "'_', '.', '@' and '-', starting with a letter or digit");
        }
    }

    private static String mountPath(String attribute, String value, List<String> reserved) {
        boolean isReserved = reserved.stream().anyMatch(r -> value.equals(r) || value.startsWith(r + "/"));
        if (!MOUNT_PATH.matcher(value).matches() || isReserved) {
            throw misuse(attribute + " = \"" + value + "\" is not a usable mount path: use letters, digits, '_' and "
                    + "'-' separated by '/', not starting with a path Vault reserves (" + String.join(", ", reserved)
                    + ")");
        }
        return value;
    }

    private static void rejectDuplicates(String attribute, String annotation, List<String> names, boolean seed) {
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                String hint = seed && (name.equals(VaultK8sTrust.SEED_ROLE) || name.equals(VaultK8sTrust.SEED_POLICY))
                        ? " The seed scenario already declares \"" + name + "\"; set seedScenario = false to replace it."
                        : "";
                throw misuse(attribute + ": " + annotation + " name \"" + name + "\" is declared twice." + hint);
            }
        }
    }

    private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value) && !constant.name().equals("DEFAULT")) {
                return constant;
            }
        }
        throw new ExtensionConfigurationException("Configuration parameter " + key + " (or environment variable "
                + environmentVariable(key) + ") = \"" + value + "\" is not valid; accepted: "
                + Arrays.stream(type.getEnumConstants()).map(Enum::name).filter(n -> !n.equals("DEFAULT"))
                        .map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ExtensionConfigurationException("Configuration parameter " + key + " (or environment variable "
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
            throw new ExtensionConfigurationException(where + ": \"" + value + "\" is not a positive duration; use e.g. "
                    + "\"90s\", \"2m\", \"500ms\", a number of seconds, or ISO-8601 such as \"PT2M\"");
        }
        return d;
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static ExtensionConfigurationException misuse(String detail) {
        return new ExtensionConfigurationException("@VaultK8sTrust: " + detail);
    }
}
