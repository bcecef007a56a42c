package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RequestOrigin;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.VaultFlavor;
import io.github.vaultk8strust.VaultPlacement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Turn {@code @VaultK8sTrust} into the same {@link TrustRequest} the builder makes. Only what is annotation-shaped is
 * checked here (HCL inline or from a resource, a claim given twice); the core validates the rest.
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
        Arrays.stream(annotation.roles()).map(AnnotationRequests::role).forEach(request::role);
        Arrays.stream(annotation.kubernetesRoles()).map(AnnotationRequests::kubernetesRole)
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
