package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RequestOrigin;
import io.github.vaultk8strust.RoleFile;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.VaultFlavor;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultPlacement;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Turn {@code @VaultK8sTrust} into the same {@link TrustRequest} the builder makes. Only what is annotation-shaped is
 * checked here (HCL inline or from a resource, a claim given twice, a role file or directory named beside other
 * attributes; the role files are read here, through the test class's class loader); the core validates the rest.
 */
final class AnnotationRequests {

    /** How {@code @VaultK8sTrust} names what its user wrote: attributes, nested annotations, configuration parameters. */
    static final RequestOrigin ORIGIN = new AnnotationOrigin();

    private AnnotationRequests() {
    }

    static TrustRequest toRequest(VaultK8sTrust annotation, boolean needsPods,
                                  Function<String, Optional<String>> configuration, ClassLoader classLoader) {
        return toRequest(annotation, needsPods, configuration, classLoader, Map.of());
    }

    /** The request, with settings a {@link TrustMatrix} invocation gives in code added. */
    static TrustRequest toRequest(VaultK8sTrust annotation, boolean needsPods,
                                  Function<String, Optional<String>> configuration, ClassLoader classLoader,
                                  Map<String, String> matrixSettings) {
        TrustRequest.Builder request = TrustRequest.builder(ORIGIN)
                .backend(annotation.backend())
                .vaultMode(annotation.vaultMode())
                .startupTimeout(annotation.startupTimeout())
                .seedScenario(annotation.seedScenario())
                .kvPath(annotation.kvPath())
                .authPath(annotation.authPath())
                .defaultRole(annotation.defaultRole())
                .needsPods(needsPods)
                .configuration(configuration)
                .authMethods(Set.copyOf(List.of(annotation.authMethods())))
                .kubernetesAuthPath(annotation.kubernetesAuthPath())
                .tokenReviewer(annotation.tokenReviewer());
        Arrays.stream(annotation.roles()).flatMap(r -> roles(r, classLoader).stream()).forEach(request::role);
        Arrays.stream(annotation.kubernetesRoles()).flatMap(r -> kubernetesRoles(r, classLoader).stream())
                .forEach(request::kubernetesRole);
        Arrays.stream(annotation.policies()).map(p -> policy(p, classLoader)).forEach(request::policy);
        Arrays.stream(annotation.serviceAccounts()).map(sa -> new ServiceAccountSpec(sa.namespace(), sa.name()))
                .forEach(request::serviceAccount);
        List.of(annotation.namespaces()).forEach(request::namespace);
        if (!annotation.k3sImage().isBlank()) {
            request.setting(ConfigKeys.K3S_IMAGE_KEY, annotation.k3sImage());
        }
        if (!annotation.vaultImage().isBlank()) {
            request.setting(ConfigKeys.K3S_VAULT_IMAGE_KEY, annotation.vaultImage());
        }
        if (!annotation.kubernetesVersion().isBlank()) {
            request.setting(ConfigKeys.KUBERNETES_VERSION_KEY, annotation.kubernetesVersion());
        }
        if (annotation.vaultFlavor() != VaultFlavor.DEFAULT) {
            request.setting(ConfigKeys.VAULT_FLAVOR_KEY, annotation.vaultFlavor().settingValue());
        }
        if (!annotation.vaultVersion().isBlank()) {
            request.setting(ConfigKeys.VAULT_VERSION_KEY, annotation.vaultVersion());
        }
        if (annotation.vaultPlacement() != VaultPlacement.DEFAULT) {
            request.setting(ConfigKeys.VAULT_PLACEMENT_KEY, annotation.vaultPlacement().settingValue());
        }
        matrixSettings.forEach(request::setting);
        return request.build();
    }

    private static List<RoleSpec> roles(JwtRole role, ClassLoader classLoader) {
        List<RoleFile> files = roleFiles(role, "@JwtRole", role.name(), role.resource(), role.directory(),
                classLoader);
        if (files != null) {
            return files.stream().map(RoleSpec::from)
                    .map(r -> role.name().isBlank() ? r : r.withName(role.name())).toList();
        }
        return List.of(role(role));
    }

    private static List<KubernetesRoleSpec> kubernetesRoles(KubernetesRole role, ClassLoader classLoader) {
        List<RoleFile> files = roleFiles(role, "@KubernetesRole", role.name(), role.resource(), role.directory(),
                classLoader);
        if (files != null) {
            return files.stream().map(KubernetesRoleSpec::from)
                    .map(r -> role.name().isBlank() ? r : r.withName(role.name())).toList();
        }
        return List.of(kubernetesRole(role));
    }

    /**
     * Read the role files a {@code @JwtRole} or {@code @KubernetesRole} names, or return {@code null} when it names
     * none (a role declared attribute by attribute, which must then have a name).
     */
    private static List<RoleFile> roleFiles(Annotation role, String type, String name, String resource,
                                            String directory, ClassLoader classLoader) {
        boolean file = !resource.isBlank();
        boolean dir = !directory.isBlank();
        if (!file && !dir) {
            if (name.isBlank()) {
                throw misuse(type + " without a name: name is required for a role declared attribute by attribute, "
                        + "e.g. " + type + "(name = \"reader\", ...); or read the role from a file: " + type
                        + "(resource = \"vault/roles/reader.json\")");
            }
            return null;
        }
        String where = type + "(" + (dir ? "directory = " + RequestOrigin.quote(directory)
                : (name.isBlank() ? "" : "name = " + RequestOrigin.quote(name) + ", ") + "resource = "
                + RequestOrigin.quote(resource)) + ")";
        if (file && dir) {
            throw misuse(type + "(resource = " + RequestOrigin.quote(resource) + ", directory = "
                    + RequestOrigin.quote(directory) + "): give one of resource (a role file) or directory (a "
                    + "directory of role files), not both");
        }
        if (dir && !name.isBlank()) {
            throw misuse(where + ": name = " + RequestOrigin.quote(name) + " is not allowed with directory: each "
                    + "role is named after its file; name one file with resource = \"...\" to give it a name");
        }
        List<String> alsoSet = new ArrayList<>();
        for (Method attribute : role.annotationType().getDeclaredMethods()) {
            if (!Set.of("name", "resource", "directory").contains(attribute.getName())
                    && !Objects.deepEquals(value(role, attribute), attribute.getDefaultValue())) {
                alsoSet.add(attribute.getName());
            }
        }
        if (!alsoSet.isEmpty()) {
            throw misuse(where + ": " + String.join(", ", alsoSet.stream().sorted().toList()) + (alsoSet.size() == 1
                    ? " is" : " are") + " set too, but a role from a file takes everything from the file (it is sent "
                    + "to Vault as it is); put it in the file, or declare the role attribute by attribute");
        }
        try {
            return dir ? RoleFile.resourceDirectory(directory, classLoader)
                    : List.of(RoleFile.resource(resource, classLoader));
        } catch (VaultK8sTrustConfigurationException e) {
            throw new ExtensionConfigurationException(ORIGIN.name() + ": " + where + ": " + e.getMessage(), e);
        }
    }

    private static Object value(Annotation annotation, Method attribute) {
        try {
            return attribute.invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + attribute, e);
        }
    }

    private static RoleSpec role(JwtRole role) {
        String where = "@JwtRole(name = \"" + role.name() + "\")";
        Map<String, List<String>> claims = new LinkedHashMap<>();
        for (Claim claim : role.boundClaims()) {
            if (claims.put(claim.name(), List.of(claim.value())) != null) {
                throw misuse(where + ": boundClaims @Claim(name = \"" + claim.name() + "\") is declared twice; list all "
                        + "accepted values in one @Claim, e.g. value = {\"a\", \"b\"}");
            }
        }
        Map<String, String> mappings = new LinkedHashMap<>();
        for (ClaimMapping mapping : role.claimMappings()) {
            if (mappings.put(mapping.claim(), mapping.metadata()) != null) {
                throw misuse(where + ": claimMappings @ClaimMapping(claim = \"" + mapping.claim() + "\", metadata = \""
                        + mapping.metadata() + "\"): claim \"" + mapping.claim() + "\" is mapped twice");
            }
        }
        return new RoleSpec(role.name(), role.boundSubject(), List.of(role.boundAudiences()), role.userClaim(),
                List.of(role.policies()), role.ttl(), claims, role.boundClaimsType().name().toLowerCase(Locale.ROOT),
                mappings);
    }

    private static KubernetesRoleSpec kubernetesRole(KubernetesRole role) {
        return new KubernetesRoleSpec(role.name(), List.of(role.boundServiceAccountNames()),
                List.of(role.boundServiceAccountNamespaces()), role.audience(), role.aliasNameSource(),
                List.of(role.policies()), role.ttl());
    }

    private static PolicySpec policy(VaultPolicy policy, ClassLoader classLoader) {
        String where = "@VaultPolicy(name = \"" + policy.name() + "\")";
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
            throw new ExtensionConfigurationException(where + ": cannot read resource \"" + policy.resource() + "\": "
                    + e, e);
        }
    }

    private static ExtensionConfigurationException misuse(String detail) {
        return new ExtensionConfigurationException(ORIGIN.name() + ": " + detail);
    }

    /** The annotation's naming: {@code @VaultK8sTrust(kvPath = "x")}, {@code @JwtRole(name = "r"): ttl = "1x"}. */
    private static final class AnnotationOrigin implements RequestOrigin {

        @Override
        public String name() {
            return "@VaultK8sTrust";
        }

        @Override
        public String attribute(String attribute, String value) {
            return "@VaultK8sTrust(" + attribute + " = " + value + ")";
        }

        @Override
        public String setting(String key, String value) {
            // Keys given in code come from attributes, or from a @TrustMatrix invocation (versions it resolved).
            return RequestOrigin.attributeOf(key).map(a -> attribute(a, RequestOrigin.attributeValue(key, value)))
                    .orElseGet(() -> "@VaultK8sTrust (" + key + " = " + RequestOrigin.quote(value) + ")");
        }

        @Override
        public String configurationKey(String key) {
            return "Configuration parameter " + key;
        }

        @Override
        public String jwtRole(String name) {
            return "@JwtRole(name = " + RequestOrigin.quote(name) + ")";
        }

        @Override
        public String kubernetesRole(String name) {
            return "@KubernetesRole(name = " + RequestOrigin.quote(name) + ")";
        }

        @Override
        public String roleFile(AuthMethod method, RoleFile file, String name) {
            String annotation = method == AuthMethod.KUBERNETES ? "@KubernetesRole" : "@JwtRole";
            boolean renamed = !name.equals(file.roleName());
            if (!file.directoryEntry().isEmpty()) {
                return annotation + "(directory = " + RequestOrigin.quote(file.declared()) + "): "
                        + file.directoryEntry() + (renamed ? " (as role " + RequestOrigin.quote(name) + ")" : "");
            }
            return annotation + "(" + (renamed ? "name = " + RequestOrigin.quote(name) + ", " : "")
                    + (file.classPath() ? "resource" : "file") + " = " + RequestOrigin.quote(file.declared()) + ")";
        }

        @Override
        public String policy(String name) {
            return "@VaultPolicy(name = " + RequestOrigin.quote(name) + ")";
        }

        @Override
        public String serviceAccount(String namespace, String name) {
            return "@K8sServiceAccount(namespace = " + RequestOrigin.quote(namespace) + ", name = "
                    + RequestOrigin.quote(name) + ")";
        }

        @Override
        public String member(String element, String attribute, String value) {
            return element + ": " + attribute + " = " + value;
        }

        @Override
        public String declareJwtRole(String name) {
            return attribute("roles", "@JwtRole(name = " + RequestOrigin.quote(name) + ", ...)");
        }

        @Override
        public String declareKubernetesRole(String name) {
            return attribute("kubernetesRoles", "@KubernetesRole(name = " + RequestOrigin.quote(name) + ", ...)");
        }

        @Override
        public String declarePolicy(String name) {
            return attribute("policies", "@VaultPolicy(name = " + RequestOrigin.quote(name) + ", ...)");
        }

        @Override
        public String declareServiceAccount(String namespace, String name) {
            return attribute("serviceAccounts", serviceAccount(namespace, name));
        }
    }
}
