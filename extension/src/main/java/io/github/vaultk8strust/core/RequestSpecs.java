package io.github.vaultk8strust.core;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RequestOrigin;
import io.github.vaultk8strust.RoleFile;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.Seed;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validate what a request declares (paths, policies, roles of both auth methods, service accounts, namespaces) and put
 * it together with the seed scenario's items. Every message names the item as the user wrote it, through the
 * request's {@link RequestOrigin}: {@code @JwtRole(name = "r"): ttl = "1x"} for the annotation,
 * {@code RoleSpec.builder("r").ttl("1x")} for the builder.
 */
final class RequestSpecs {

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

    /** The declared items, validated, with the seed's. */
    record Checked(String kvPath, String authPath, String defaultRole, List<RoleSpec> roles, List<PolicySpec> policies,
                   List<KubernetesRoleSpec> kubernetesRoles, List<ServiceAccountSpec> serviceAccounts,
                   List<String> namespaces) {
    }

    private final RequestOrigin origin;

    private RequestSpecs(RequestOrigin origin) {
        this.origin = origin;
    }

    /**
     * Validate the request's declarations for these auth methods.
     *
     * @param config the request's layered configuration, to name the auth-method settings
     * @param kubernetesAuthPath the {@code kubernetes} auth method's path, already read
     */
    static Checked check(TrustRequest request, LayeredConfig config, Set<AuthMethod> authMethods,
                         String kubernetesAuthPath) {
        return new RequestSpecs(request.origin()).checked(request, config, authMethods, kubernetesAuthPath);
    }

    /** Check a mount path; {@code written} names it as the user wrote it, with its value. */
    static String mountPath(String written, String value, List<String> reserved) {
        boolean isReserved = reserved.stream().anyMatch(r -> value.equals(r) || value.startsWith(r + "/"));
        if (!MOUNT_PATH.matcher(value).matches() || isReserved) {
            throw new VaultK8sTrustConfigurationException(written + " is not a usable mount path: use letters, digits, "
                    + "'_' and '-' separated by '/', not starting with a path Vault reserves ("
                    + String.join(", ", reserved) + ")");
        }
        return value;
    }

    private Checked checked(TrustRequest request, LayeredConfig config, Set<AuthMethod> authMethods,
                            String kubernetesAuthPath) {
        String kvPath = mountPath(attribute("kvPath", request.kvPath()), request.kvPath(), RESERVED_SECRET_PREFIXES);
        String authPath = mountPath(attribute("authPath", request.authPath()), request.authPath(), List.of("token"));
        if (kvPath.equals(authPath)) {
            throw misuse(attribute("kvPath", kvPath) + " and " + attribute("authPath", authPath) + " are the same "
                    + "path; give them different paths");
        }
        boolean jwt = authMethods.contains(AuthMethod.JWT);
        boolean kubernetes = authMethods.contains(AuthMethod.KUBERNETES);
        if (jwt && kubernetes && authPath.equals(kubernetesAuthPath)) {
            throw misuse(attribute("authPath", authPath) + " (jwt) and " + config.describe(
                    ConfigKeys.KUBERNETES_AUTH_PATH_KEY) + " (kubernetes) are the same path; Vault enables one auth "
                    + "method per path: give each its own, e.g. " + attribute("authPath", "jwt") + " and "
                    + attribute("kubernetesAuthPath", "kubernetes"));
        }

        List<PolicySpec> policies = new ArrayList<>();
        List<RoleSpec> roles = new ArrayList<>();
        List<KubernetesRoleSpec> kubernetesRoles = new ArrayList<>();
        if (request.seedScenario()) {
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
        for (PolicySpec policy : request.policies()) {
            policies.add(policy(policy));
        }
        if (!jwt && !request.roles().isEmpty()) {
            throw misuse(elements(request.roles().stream().map(r -> origin.jwtRole(r.name())).toList()) + ": "
                    + request.roles().size() + " jwt role(s), but the jwt auth method is not enabled ("
                    + config.describe(ConfigKeys.AUTH_METHODS_KEY) + "); enable it, e.g. "
                    + attribute("authMethods", "{AuthMethod.JWT, AuthMethod.KUBERNETES}", false)
                    + ", or declare them as kubernetes roles");
        }
        if (!kubernetes && !request.kubernetesRoles().isEmpty()) {
            throw misuse(elements(request.kubernetesRoles().stream().map(r -> origin.kubernetesRole(r.name()))
                    .toList()) + ": " + request.kubernetesRoles().size() + " kubernetes role(s), but the kubernetes "
                    + "auth method is not enabled (" + config.describe(ConfigKeys.AUTH_METHODS_KEY) + "); enable it, "
                    + "e.g. " + attribute("authMethods", "{AuthMethod.JWT, AuthMethod.KUBERNETES}", false));
        }
        int jwtSeeds = roles.size();
        int kubernetesSeeds = kubernetesRoles.size();
        for (RoleSpec role : request.roles()) {
            roles.add(role.file().isPresent() ? fileRole(role) : role(role));
        }
        for (KubernetesRoleSpec role : request.kubernetesRoles()) {
            kubernetesRoles.add(role.file().isPresent() ? kubernetesFileRole(role) : kubernetesRole(role));
        }
        rejectRoleFileClashes(roles, kubernetesRoles, jwtSeeds, kubernetesSeeds);
        rejectDuplicates(policies.stream().map(PolicySpec::name).toList(), origin::policy, request.seedScenario());
        rejectDuplicates(roles.stream().map(RoleSpec::name).toList(), origin::jwtRole, request.seedScenario());
        rejectDuplicates(kubernetesRoles.stream().map(KubernetesRoleSpec::name).toList(), origin::kubernetesRole,
                request.seedScenario());
        Set<String> jwtNames = roles.stream().map(RoleSpec::name).collect(Collectors.toSet());
        for (KubernetesRoleSpec role : kubernetesRoles) {
            if (jwtNames.contains(role.name())) {
                throw misuse(origin.kubernetesRole(role.name()) + " has the name of a jwt role ("
                        + origin.jwtRole(role.name()) + "); role names must be unique across auth methods, because a "
                        + "login by role name (@VaultLogin, login(role), the policy matrix) picks the method from the "
                        + "role. Rename one of them.");
            }
        }

        Set<String> policyNames = policies.stream().map(PolicySpec::name).collect(Collectors.toSet());
        // Vault keeps policy names in lower case, and so matches a role's policies to them.
        Set<String> lowerPolicyNames = policyNames.stream().map(p -> p.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<RolePolicies> rolePolicies = new ArrayList<>();
        roles.forEach(r -> rolePolicies.add(new RolePolicies(element(r), r.policies(), r.file())));
        kubernetesRoles.forEach(r -> rolePolicies.add(new RolePolicies(element(r), r.policies(), r.file())));
        for (RolePolicies role : rolePolicies) {
            for (String p : role.policies()) {
                String lower = p.toLowerCase(Locale.ROOT);
                if (lower.equals("default") || lowerPolicyNames.contains(lower)) {
                    continue;
                }
                String declared = "declared policies: " + sorted(policyNames) + " (plus Vault's built-in \"default\"). "
                        + "Declare it: " + origin.declarePolicy(p) + ".";
                if (role.file().isPresent()) {
                    RoleFile file = role.file().get();
                    // Vault's rule: token_policies, else the older policies.
                    String key = file.parameters().get("token_policies") != null ? "token_policies" : "policies";
                    throw misuse(role.element() + ": " + key + line(file, key)
                            + " names policy \"" + p + "\", but no policy of that name is declared; " + declared);
                }
                throw misuse(origin.member(role.element(), "policies", RequestOrigin.quote(p)) + ": no policy named \""
                        + p + "\" is declared; " + declared);
            }
        }

        String defaultRole = request.defaultRole();
        if (jwt && !defaultRole.isEmpty() && roles.stream().noneMatch(r -> r.name().equals(defaultRole))) {
            throw misuse(attribute("defaultRole", defaultRole) + " names no configured role; configured roles: "
                    + sorted(jwtNames) + ". Name one of them, or use " + attribute("defaultRole", "") + " for none.");
        }

        Set<ServiceAccountSpec> serviceAccounts = new LinkedHashSet<>();
        roles.forEach(r -> r.boundServiceAccount().ifPresent(serviceAccounts::add));
        kubernetesRoles.forEach(r -> serviceAccounts.addAll(r.boundServiceAccounts()));
        for (ServiceAccountSpec sa : request.serviceAccounts()) {
            serviceAccounts.add(serviceAccount(sa));
        }
        Set<String> namespaces = new LinkedHashSet<>();
        for (String ns : request.namespaces()) {
            namespaces.add(namespace(attribute("namespaces", ns), ns));
        }
        serviceAccounts.forEach(sa -> namespaces.add(sa.namespace()));
        return new Checked(kvPath, authPath, defaultRole, roles, policies, kubernetesRoles,
                List.copyOf(serviceAccounts), List.copyOf(namespaces));
    }

    private PolicySpec policy(PolicySpec policy) {
        String element = origin.policy(policy.name());
        requireVaultName(element, "name", policy.name());
        if (policy.hcl().isBlank()) {
            throw misuse(element + ": the HCL is empty");
        }
        return policy;
    }

    private RoleSpec role(RoleSpec role) {
        String element = origin.jwtRole(role.name());
        requireVaultName(element, "name", role.name());
        if (role.boundSubject().isBlank() && role.boundClaims().isEmpty()) {
            throw misuse(member(element, "boundSubject", role.boundSubject()) + " is empty and no boundClaims are "
                    + "given; a jwt role must bind the subject, e.g. boundSubject "
                    + "\"system:serviceaccount:<namespace>:<service-account>\", or claims, e.g. boundClaims with "
                    + "claim \"/kubernetes.io/namespace\" and value \"payments\"");
        }
        boundSubject(element, role.boundSubject());
        Map<String, List<String>> boundClaims = boundClaims(element, role);
        Map<String, String> claimMappings = claimMappings(element, role);
        if (role.boundAudiences().isEmpty() || role.boundAudiences().stream().anyMatch(String::isBlank)) {
            throw misuse(origin.member(element, "boundAudiences", quoted(role.boundAudiences()))
                    + " must list at least one non-empty audience; Kubernetes tokens always carry an audience and "
                    + "Vault refuses them on a role without one. Use e.g. "
                    + origin.member(element, "boundAudiences", RequestOrigin.quote(Seed.AUDIENCE)));
        }
        if (role.userClaim().isBlank()) {
            throw misuse(member(element, "userClaim", role.userClaim()) + " is empty; use a claim every token has, "
                    + "e.g. \"sub\"");
        }
        if (!VAULT_DURATION.matcher(role.ttl()).matches()) {
            throw misuse(member(element, "ttl", role.ttl()) + " is not a Vault duration; use e.g. \"1h\", \"30m\", "
                    + "\"90s\" or a number of seconds");
        }
        for (String p : role.policies()) {
            requireVaultName(element, "policies", p);
        }
        if (!role.boundClaimsType().equals("string") && !role.boundClaimsType().equals("glob")) {
            throw misuse(member(element, "boundClaimsType", role.boundClaimsType()) + " is not valid; accepted: "
                    + "string, glob");
        }
        RoleSpec spec = new RoleSpec(role.name(), role.boundSubject(), role.boundAudiences(), role.userClaim(),
                role.policies(), role.ttl(), boundClaims, role.boundClaimsType(), claimMappings);
        spec.boundServiceAccount().ifPresent(sa -> {
            namespace(element + " boundSubject namespace = " + RequestOrigin.quote(sa.namespace()), sa.namespace());
            serviceAccountName(element + " boundSubject service account = " + RequestOrigin.quote(sa.name()),
                    sa.name());
        });
        return spec;
    }

    /**
     * Reject a subject Vault would compare byte for byte with a token's {@code sub} and never match: surrounding
     * whitespace, or a service-account subject that is not exactly {@code system:serviceaccount:<ns>:<name>}.
     */
    private void boundSubject(String element, String subject) {
        if (!subject.isEmpty()) {
            boundSubject(element, member(element, "boundSubject", subject), subject);
        }
    }

    /** Check a bound subject; {@code written} names it as the user wrote it, with its value. */
    private void boundSubject(String element, String written, String subject) {
        String prefix = "system:serviceaccount:";
        if (!subject.equals(subject.strip())) {
            throw misuse(written + " has leading or trailing whitespace; a token's sub never has, so no token would "
                    + "match. Use \"" + subject.strip() + "\"");
        }
        if (!subject.startsWith(prefix)) {
            return;
        }
        String[] parts = subject.substring(prefix.length()).split(":", -1);
        if (parts.length != 2) {
            throw misuse(written + " is not a service-account subject: expected exactly "
                    + "\"system:serviceaccount:<namespace>:<service-account>\" (" + (parts.length < 2
                    ? "the service account name is missing" : (parts.length - 2) + " extra ':'-separated part(s)")
                    + "), e.g. \"system:serviceaccount:default:my-app\"");
        }
        namespace(element + " boundSubject namespace = " + RequestOrigin.quote(parts[0]), parts[0]);
        serviceAccountName(element + " boundSubject service account = " + RequestOrigin.quote(parts[1]), parts[1]);
    }

    /**
     * A role from a file goes to Vault as it is, so Vault judges its parameters (and the setup reads it back); only
     * what this library itself uses is checked here: the name, and the service accounts it would create.
     */
    private RoleSpec fileRole(RoleSpec role) {
        RoleFile file = role.file().orElseThrow();
        String element = element(role);
        fileRoleName(element, file, role.name());
        if (!role.boundSubject().isEmpty()) {
            boundSubject(element, element + ": bound_subject = " + RequestOrigin.quote(role.boundSubject())
                    + line(file, "bound_subject"), role.boundSubject());
        }
        return role;
    }

    private KubernetesRoleSpec kubernetesFileRole(KubernetesRoleSpec role) {
        RoleFile file = role.file().orElseThrow();
        String element = element(role);
        fileRoleName(element, file, role.name());
        for (String name : role.boundServiceAccountNames()) {
            if (!name.contains("*")) {
                serviceAccountName(element + ": bound_service_account_names " + RequestOrigin.quote(name)
                        + line(file, "bound_service_account_names"), name);
            }
        }
        for (String ns : role.boundServiceAccountNamespaces()) {
            if (!ns.contains("*")) {
                namespace(element + ": bound_service_account_namespaces " + RequestOrigin.quote(ns)
                        + line(file, "bound_service_account_namespaces"), ns);
            }
        }
        return role;
    }

    private void fileRoleName(String element, RoleFile file, String name) {
        if (!VAULT_NAME.matcher(name).matches()) {
            throw misuse(element + ": role name " + RequestOrigin.quote(name) + " is not a valid name: use letters, "
                    + "digits, '_', '.', '@' and '-', starting with a letter or digit"
                    + (name.equals(file.roleName()) ? "; the name comes from the file name " + file.fileName()
                    + ": rename the file, or give the role a name" : ""));
        }
    }

    /**
     * Refuse a role from a file whose name another role has (a declared one, another file's, or the seed's), naming
     * both: the rest of the library finds roles by name. Clashes among declared roles alone keep their own messages.
     */
    private void rejectRoleFileClashes(List<RoleSpec> roles, List<KubernetesRoleSpec> kubernetesRoles, int jwtSeeds,
                                       int kubernetesSeeds) {
        record Named(String name, String element, AuthMethod method, Optional<RoleFile> file, boolean seed) {
        }
        List<Named> ordered = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            RoleSpec r = roles.get(i);
            ordered.add(i < jwtSeeds ? new Named(r.name(), "the seed scenario's jwt role " + RequestOrigin.quote(r.name()),
                    AuthMethod.JWT, r.file(), true) : new Named(r.name(), element(r), AuthMethod.JWT, r.file(), false));
        }
        for (int i = 0; i < kubernetesRoles.size(); i++) {
            KubernetesRoleSpec r = kubernetesRoles.get(i);
            ordered.add(i < kubernetesSeeds ? new Named(r.name(), "the seed scenario's kubernetes role "
                    + RequestOrigin.quote(r.name()), AuthMethod.KUBERNETES, r.file(), true)
                    : new Named(r.name(), element(r), AuthMethod.KUBERNETES, r.file(), false));
        }
        // The seed's roles first, so that a clash with one is named as such.
        ordered.sort(Comparator.comparing(n -> !n.seed()));
        Map<String, Named> byName = new LinkedHashMap<>();
        for (Named n : ordered) {
            Named prior = byName.putIfAbsent(n.name(), n);
            if (prior == null || (prior.file().isEmpty() && n.file().isEmpty())) {
                continue;
            }
            Named fromFile = n.file().isPresent() ? n : prior;
            String rename = fromFile.file().get().directoryEntry().isEmpty()
                    ? ", e.g. " + origin.roleFile(fromFile.method(), fromFile.file().get(), n.name() + "-2") : "";
            if (prior.seed()) {
                throw misuse(n.element() + " declares role " + RequestOrigin.quote(n.name()) + ", which "
                        + prior.element() + " is already called. Set " + origin.attribute("seedScenario", "false")
                        + " to replace the seed's role with yours, or give yours another name" + rename + ".");
            }
            throw misuse(n.element() + " declares role " + RequestOrigin.quote(n.name()) + ", as " + prior.element()
                    + " does; role names must be unique across both auth methods (a login by role name picks the "
                    + "role, and its method, by name). Give one of them another name" + rename + ".");
        }
    }

    /** Name a jwt role as the user declared it: its annotation or builder call, or the file it was read from. */
    private String element(RoleSpec role) {
        return role.file().map(f -> origin.roleFile(AuthMethod.JWT, f, role.name()))
                .orElseGet(() -> origin.jwtRole(role.name()));
    }

    /** Name a kubernetes role as the user declared it. */
    private String element(KubernetesRoleSpec role) {
        return role.file().map(f -> origin.roleFile(AuthMethod.KUBERNETES, f, role.name()))
                .orElseGet(() -> origin.kubernetesRole(role.name()));
    }

    /** A role's policies, to check that each is declared. */
    private record RolePolicies(String element, List<String> policies, Optional<RoleFile> file) {
    }

    /** Return " (line N)" for a key of a role file, or nothing when the line is unknown. */
    private static String line(RoleFile file, String key) {
        return file.line(key).isPresent() ? " (line " + file.line(key).getAsInt() + ")" : "";
    }

    private KubernetesRoleSpec kubernetesRole(KubernetesRoleSpec role) {
        String element = origin.kubernetesRole(role.name());
        requireVaultName(element, "name", role.name());
        boundList(element, "boundServiceAccountNames", role.boundServiceAccountNames(), "\"vault-writer\"");
        boundList(element, "boundServiceAccountNamespaces", role.boundServiceAccountNamespaces(), "\"default\"");
        for (String name : role.boundServiceAccountNames()) {
            if (!name.contains("*")) {
                serviceAccountName(origin.member(element, "boundServiceAccountNames", RequestOrigin.quote(name)), name);
            }
        }
        for (String ns : role.boundServiceAccountNamespaces()) {
            if (!ns.contains("*")) {
                namespace(origin.member(element, "boundServiceAccountNamespaces", RequestOrigin.quote(ns)), ns);
            }
        }
        if (!role.audience().equals(role.audience().strip())) {
            throw misuse(member(element, "audience", role.audience()) + " has blanks around it");
        }
        if (!VAULT_DURATION.matcher(role.ttl()).matches()) {
            throw misuse(member(element, "ttl", role.ttl()) + " is not a Vault duration; use e.g. \"1h\", \"30m\", "
                    + "\"90s\" or a number of seconds");
        }
        for (String p : role.policies()) {
            requireVaultName(element, "policies", p);
        }
        return role;
    }

    /** Vault's kubernetes roles need both lists, non-empty; {@code *} must stand alone. */
    private void boundList(String element, String attribute, List<String> values, String example) {
        String written = origin.member(element, attribute, quoted(values));
        if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
            throw misuse(written + " must list at least one non-empty value (Vault refuses a kubernetes role without "
                    + "it); use e.g. " + origin.member(element, attribute, example) + ", or \"*\" to accept any");
        }
        if (values.size() > 1 && values.contains("*")) {
            throw misuse(written + " mixes \"*\" with other values; Vault refuses that: give \"*\" alone or drop it");
        }
    }

    private Map<String, List<String>> boundClaims(String element, RoleSpec role) {
        if (role.boundClaimsType().equals("glob") && role.boundClaims().isEmpty()) {
            throw misuse(origin.member(element, "boundClaimsType", "GLOB") + " but no boundClaims are given; add a "
                    + "bound claim with a glob value (\"...*\") or drop boundClaimsType");
        }
        Map<String, List<String>> claims = new LinkedHashMap<>();
        role.boundClaims().forEach((name, values) -> {
            String claim = origin.member(element, "boundClaims", "@Claim(name = " + RequestOrigin.quote(name) + ")");
            claimName(claim, "name", name);
            if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
                throw misuse(claim + ": value = " + quoted(values) + " must list at least one non-empty "
                        + "value, e.g. value = \"payments\" or value = {\"payments\", \"billing\"}");
            }
            claims.put(name, values);
        });
        return claims;
    }

    private Map<String, String> claimMappings(String element, RoleSpec role) {
        Map<String, String> mappings = new LinkedHashMap<>();
        Set<String> targets = new LinkedHashSet<>();
        role.claimMappings().forEach((claim, metadata) -> {
            String mapping = origin.member(element, "claimMappings", "@ClaimMapping(claim = "
                    + RequestOrigin.quote(claim) + ", metadata = " + RequestOrigin.quote(metadata) + ")");
            claimName(mapping, "claim", claim);
            if (metadata.isBlank()) {
                throw misuse(mapping + ": metadata is empty; name the metadata key, e.g. metadata = "
                        + "\"service_account\"");
            }
            if (metadata.equals("role")) {
                throw misuse(mapping + ": Vault reserves the metadata key \"role\" (it holds the role name); choose "
                        + "another key");
            }
            if (!targets.add(metadata)) {
                throw misuse(mapping + ": metadata key \"" + metadata + "\" is the target of two mappings; "
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

    private ServiceAccountSpec serviceAccount(ServiceAccountSpec sa) {
        String element = origin.serviceAccount(sa.namespace(), sa.name());
        namespace(element + " namespace = " + RequestOrigin.quote(sa.namespace()), sa.namespace());
        serviceAccountName(element + " name = " + RequestOrigin.quote(sa.name()), sa.name());
        return sa;
    }

    /** Check a namespace name; {@code written} names it as the user wrote it, with its value. */
    private String namespace(String written, String value) {
        if (!DNS_LABEL.matcher(value).matches()) {
            throw misuse(written + " is not a valid namespace name: use lower-case letters, digits and '-', 1 to 63 "
                    + "characters, starting and ending with a letter or digit");
        }
        return value;
    }

    private void serviceAccountName(String written, String value) {
        if (!DNS_SUBDOMAIN.matcher(value).matches()) {
            throw misuse(written + " is not a valid service account name: use lower-case letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit");
        }
    }

    private void requireVaultName(String element, String attribute, String value) {
        if (!VAULT_NAME.matcher(value).matches()) {
            throw misuse(member(element, attribute, value) + " is not a valid name: use letters, digits, '_', '.', "
                    + "'@' and '-', starting with a letter or digit");
        }
    }

    private void rejectDuplicates(List<String> names, java.util.function.UnaryOperator<String> element, boolean seed) {
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                String hint = seed && (name.equals(Seed.ROLE) || name.equals(Seed.POLICY))
                        ? " The seed scenario already declares \"" + name + "\"; set "
                        + origin.attribute("seedScenario", "false") + " to replace it."
                        : "";
                throw misuse(element.apply(name) + " is declared twice." + hint);
            }
        }
    }

    /** Name a top-level attribute with a string value as the user wrote it. */
    private String attribute(String attribute, String value) {
        return origin.attribute(attribute, RequestOrigin.quote(value));
    }

    /** Name a top-level attribute with a value given as Java source (not quoted). */
    private String attribute(String attribute, String source, boolean quote) {
        return origin.attribute(attribute, quote ? RequestOrigin.quote(source) : source);
    }

    private String member(String element, String attribute, String value) {
        return origin.member(element, attribute, RequestOrigin.quote(value));
    }

    /** Name the first of several elements, and how many more there are. */
    private static String elements(List<String> written) {
        return written.get(0) + (written.size() > 1 ? " (and " + (written.size() - 1) + " more)" : "");
    }

    private static String quoted(List<String> values) {
        return values.stream().map(RequestOrigin::quote).collect(Collectors.joining(", ", "{", "}"));
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static VaultK8sTrustConfigurationException misuse(String message) {
        return new VaultK8sTrustConfigurationException(message);
    }
}
