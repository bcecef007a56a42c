package io.github.vaultk8strust.core;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleDefinitionException;
import io.github.vaultk8strust.RoleFile;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.support.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write the roles of both auth methods and check that Vault took each as written. A role from a file is sent as the
 * file says; a declared one as its attributes say. Then, for every role:
 *
 * <ol>
 *   <li>each key must be a parameter of the role path, as the running Vault describes the path
 *       ({@link RoleParameters}). Vault ignores a key it does not know, and says so (a warning in the answer) only
 *       when the endpoint answers with a body at all, which a role write mostly does not: the check cannot rest on
 *       Vault's warning;</li>
 *   <li>the role is read back, and each key must read back as written, through Vault's normalisations
 *       ({@link RoleReadBack}).</li>
 * </ol>
 *
 * Problems of all roles are collected and reported together ({@link #failOnProblems()}); a write Vault refuses fails
 * at once.
 */
final class RoleWriter {

    private static final Pattern IGNORED = Pattern.compile("ignored these unrecognized parameters: \\[([^\\]]*)]");
    private static final Pattern FIELD = Pattern.compile("field \"([^\"]+)\"");

    private final VaultApi vault;
    private final TrustSettings settings;
    private final Map<String, Optional<RoleParameters>> parametersByMount = new HashMap<>();
    private final List<String> report = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int rolesWithProblems;

    RoleWriter(VaultApi vault, TrustSettings settings) {
        this.vault = vault;
        this.settings = settings;
    }

    // 5. "vault write auth/jwt/role/k8s-dev bound_subject=... bound_audiences=... role_type=jwt ..."
    /** Write the {@code jwt} roles. */
    void writeJwtRoles() {
        for (RoleSpec role : settings.roles()) {
            String element = role.file().map(f -> settings.origin().roleFile(AuthMethod.JWT, f, role.name()))
                    .orElseGet(() -> settings.origin().jwtRole(role.name()));
            write(settings.authPath(), role.name(), "role", element, role.file(),
                    role.file().map(RoleFile::parameters).orElseGet(() -> body(role)));
        }
    }

    // "vault write auth/kubernetes/role/<name> bound_service_account_names=... bound_service_account_namespaces=..."
    /** Write the {@code kubernetes} roles. */
    void writeKubernetesRoles() {
        for (KubernetesRoleSpec role : settings.kubernetesRoles()) {
            String element = role.file().map(f -> settings.origin().roleFile(AuthMethod.KUBERNETES, f, role.name()))
                    .orElseGet(() -> settings.origin().kubernetesRole(role.name()));
            write(settings.kubernetesAuthPath(), role.name(), "kubernetes role", element, role.file(),
                    role.file().map(RoleFile::parameters).orElseGet(() -> body(role)));
        }
    }

    /**
     * Throw {@link RoleDefinitionException} when a role did not go in as written, naming each role, file, line and
     * key.
     */
    void failOnProblems() {
        if (report.isEmpty()) {
            return;
        }
        throw new RoleDefinitionException("Vault did not take " + rolesWithProblems + " role(s) as written. Each key "
                + "of a role must be a parameter Vault knows (Vault ignores the others, mostly without a word) and must "
                + "read back as written:\n" + String.join("\n", report), problems);
    }

    /** The body of a role declared attribute by attribute, as the walkthrough writes {@code k8s-dev}. */
    static Map<String, Object> body(RoleSpec role) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role_type", "jwt");
        if (!role.boundSubject().isEmpty()) {
            body.put("bound_subject", role.boundSubject());
        }
        body.put("bound_audiences", String.join(",", role.boundAudiences()));
        if (!role.boundClaims().isEmpty()) {
            body.put("bound_claims", role.boundClaims());
            body.put("bound_claims_type", role.boundClaimsType());
        }
        if (!role.claimMappings().isEmpty()) {
            body.put("claim_mappings", role.claimMappings());
        }
        body.put("user_claim", role.userClaim());
        body.put("policies", String.join(",", role.policies()));
        body.put("ttl", role.ttl());
        return body;
    }

    /** The body of a kubernetes role declared attribute by attribute. */
    static Map<String, Object> body(KubernetesRoleSpec role) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("bound_service_account_names", String.join(",", role.boundServiceAccountNames()));
        body.put("bound_service_account_namespaces", String.join(",", role.boundServiceAccountNamespaces()));
        if (!role.audience().isEmpty()) {
            body.put("audience", role.audience());
        }
        body.put("alias_name_source", role.aliasNameSource().vaultName());
        body.put("token_policies", String.join(",", role.policies()));
        body.put("token_ttl", role.ttl());
        return body;
    }

    private void write(String mount, String name, String kind, String element, Optional<RoleFile> file,
                       Map<String, Object> body) {
        String path = "auth/" + mount + "/role/" + name;
        VaultApi.Answer write = vault.write(path, body);
        if (!write.ok()) {
            throw new VaultK8sTrustException("Vault rejected " + kind + " \"" + name + "\" (HTTP " + write.status()
                    + "): " + String.join("; ", write.errors()) + fieldLines(write.errors(), file) + ". Check "
                    + (file.isPresent() ? "the file of " : "the attributes of ") + element + ".");
        }
        Set<String> ignored = new LinkedHashSet<>();
        for (String warning : warnings(write)) {
            Matcher m = IGNORED.matcher(warning);
            if (m.find()) {
                ignored.addAll(List.of(m.group(1).trim().split("\\s+")));
            } else {
                Progress.say("Vault warns about " + kind + " \"" + name + "\" (" + element + "): " + warning);
            }
        }
        Optional<RoleParameters> accepted = parametersByMount.computeIfAbsent(mount, m -> {
            Optional<RoleParameters> described = RoleParameters.read(vault, m, name);
            if (described.isEmpty()) {
                Progress.say("Vault does not describe the parameters of auth/" + m + "/role (GET " + path + "?help=1); "
                        + "role keys are checked against Vault's warnings and the read-back only");
            }
            return described;
        });
        List<String> found = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (String key : body.keySet()) {
            if (ignored.contains(key) || accepted.map(p -> !p.accepts(key)).orElse(false)) {
                unknown.add(key);
                found.add(where(element, file, key) + ": " + unknown(key, "auth/" + mount + "/role", accepted, body));
            }
        }
        Set<String> skip = new LinkedHashSet<>(unknown);
        accepted.ifPresent(p -> skip.addAll(p.pathParameters()));
        if (body.get("name") != null && !String.valueOf(body.get("name")).equals(name)) {
            found.add(where(element, file, "name") + ": `name` is " + VaultApi.JSON.valueToTree(body.get("name"))
                    + ", but the role is written as \"" + name + "\" (the URL's name wins; the role's name comes from "
                    + "the file name or the code that names it)");
        }
        VaultApi.Answer read = vault.read(path);
        if (!read.ok()) {
            throw new VaultK8sTrustException("Vault wrote " + kind + " \"" + name + "\" but cannot read it back from "
                    + path + " (HTTP " + read.status() + "): " + String.join("; ", read.errors()));
        }
        for (RoleReadBack.Difference d : RoleReadBack.compare(body, read.body().path("data"), skip, file.isPresent())) {
            found.add(where(element, file, d.key()) + ": `" + d.key() + "` does not read back as written: "
                    + d.message());
        }
        if (!found.isEmpty()) {
            rolesWithProblems++;
            problems.addAll(found);
            report.add(kind + " \"" + name + "\" (" + element + "), written to " + path + ":");
            found.forEach(p -> report.add("  " + p));
        }
    }

    /** Say that a key is not a parameter of the role path, and which one was probably meant. */
    static String unknown(String key, String rolePath, Optional<RoleParameters> accepted, Map<String, Object> body) {
        StringBuilder text = new StringBuilder("`").append(key).append("` is not a parameter of ").append(rolePath);
        if (accepted.isPresent()) {
            RoleParameters parameters = accepted.get();
            Optional<String> nearest = EditDistance.nearest(key, parameters.names(), parameters.deprecated());
            if (nearest.isPresent()) {
                String suggestion = nearest.get();
                text.append("; did you mean `").append(suggestion).append("`?");
                if (parameters.deprecated().contains(suggestion) && parameters.names().contains("token_" + suggestion)) {
                    text.append(" (deprecated: Vault's current name is `token_").append(suggestion).append("`)");
                }
            } else {
                text.append("; it accepts ").append(String.join(", ", parameters.names()));
            }
        }
        text.append(text.charAt(text.length() - 1) == '?' ? " " : ". ").append("Vault ignored it: the role runs without "
                + "it.");
        if (key.equals("data") && body.get("data") instanceof Map<?, ?>) {
            text.append(" The file looks like the output of `vault read -format=json`: keep only the object under "
                    + "\"data\".");
        }
        return text.toString();
    }

    private static List<String> warnings(VaultApi.Answer answer) {
        List<String> warnings = new ArrayList<>();
        answer.body().path("warnings").forEach(w -> warnings.add(w.asText()));
        return warnings;
    }

    /** Point at the file's line for a field Vault names in its error ({@code field "ttl"}). */
    private static String fieldLines(List<String> errors, Optional<RoleFile> file) {
        if (file.isEmpty()) {
            return "";
        }
        Set<String> lines = new LinkedHashSet<>();
        for (String error : errors) {
            Matcher m = FIELD.matcher(error);
            while (m.find()) {
                file.get().line(m.group(1)).ifPresent(l -> lines.add(file.get().describe() + " line " + l));
            }
        }
        return lines.isEmpty() ? "" : " (" + String.join(", ", lines) + ")";
    }

    private static String where(String element, Optional<RoleFile> file, String key) {
        return file.map(f -> f.where(key)).orElse(element);
    }
}
