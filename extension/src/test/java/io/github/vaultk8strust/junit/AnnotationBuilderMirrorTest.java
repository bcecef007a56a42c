package io.github.vaultk8strust.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code @VaultK8sTrust} and {@code TrustEnvironment.builder()} mirror each other: every attribute has a builder
 * method of the same name, and the only differences are the deliberate ones listed here (and in the builder's
 * Javadoc).
 */
class AnnotationBuilderMirrorTest {

    /** An environment started by the builder is always the caller's own: nothing to share. */
    private static final Set<String> ANNOTATION_ONLY = Set.of("shared");
    /**
     * The builder's own: {@code policyResource} (the annotation's {@code @VaultPolicy(resource = ...)}), {@code setting}
     * (the annotation reads configuration parameters), {@code requirePods} (the annotation sees
     * {@code @InClusterWorkload} itself), {@code configuration} (the annotation reads JUnit's), and the terminal
     * {@code request} and {@code start}.
     */
    private static final Set<String> BUILDER_ONLY = Set.of("policyResource", "setting", "requirePods", "configuration",
            "request", "start");
    /** Plural attributes that the builder adds one at a time. */
    private static final Set<String> ADDED_ONE_AT_A_TIME = Set.of("roles:role", "policies:policy",
            "serviceAccounts:serviceAccount", "namespaces:namespace", "kubernetesRoles:kubernetesRole");
    /**
     * Plural attributes the builder also takes as a collection, under the attribute's own name (a directory of role
     * files: {@code roles(RoleSpec.fromResourceDirectory(...))}).
     */
    private static final Set<String> ALSO_ALL_AT_ONCE = Set.of("roles", "kubernetesRoles");

    private static Set<String> attributes() {
        Set<String> names = Arrays.stream(VaultK8sTrust.class.getDeclaredMethods()).map(Method::getName)
                .map(AnnotationBuilderMirrorTest::asBuilderName).collect(Collectors.toCollection(TreeSet::new));
        names.addAll(ALSO_ALL_AT_ONCE);
        return names;
    }

    private static String asBuilderName(String attribute) {
        return ADDED_ONE_AT_A_TIME.stream().filter(p -> p.startsWith(attribute + ":")).map(p -> p.split(":")[1])
                .findFirst().orElse(attribute);
    }

    private static Set<String> builderMethods() {
        return Arrays.stream(TrustEnvironmentBuilder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * {@code @JwtRole} and {@code RoleSpec}, {@code @KubernetesRole} and {@code KubernetesRoleSpec}: each attribute
     * has a builder method (a plural one added one at a time), or for the role files a static reader.
     */
    @Test
    void everyRoleAttributeHasACounterpartInCode() {
        Map<String, String> renamed = Map.of("boundClaims", "boundClaim", "claimMappings", "claimMapping",
                "resource", "fromResource", "directory", "fromResourceDirectory", "name", "withName");
        for (Class<?>[] pair : new Class<?>[][] {{JwtRole.class, RoleSpec.class, RoleSpec.Builder.class},
                {KubernetesRole.class, KubernetesRoleSpec.class, KubernetesRoleSpec.Builder.class}}) {
            Set<String> inCode = new TreeSet<>();
            for (Class<?> type : List.of(pair[1], pair[2])) {
                Arrays.stream(type.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                        .map(Method::getName).forEach(inCode::add);
            }
            Set<String> missing = new TreeSet<>();
            for (Method attribute : pair[0].getDeclaredMethods()) {
                String name = renamed.getOrDefault(attribute.getName(), attribute.getName());
                if (!inCode.contains(name)) {
                    missing.add(attribute.getName());
                }
            }
            assertThat(missing).as(pair[0].getSimpleName() + " attributes without a counterpart in "
                    + pair[1].getSimpleName()).isEmpty();
            assertThat(inCode).as(pair[1].getSimpleName() + " reads files and directories, from the class path and "
                    + "the file system").contains("fromResource", "fromFile", "fromResourceDirectory", "fromDirectory");
        }
    }

    @Test
    void everyAttributeHasABuilderMethodExceptTheListedOnes() {
        Set<String> missing = new TreeSet<>(attributes());
        missing.removeAll(builderMethods());
        assertThat(missing).isEqualTo(ANNOTATION_ONLY);
    }

    @Test
    void everyBuilderMethodHasAnAttributeExceptTheListedOnes() {
        Set<String> extra = new TreeSet<>(builderMethods());
        extra.removeAll(attributes());
        assertThat(extra).isEqualTo(new TreeSet<>(BUILDER_ONLY));
    }
}
