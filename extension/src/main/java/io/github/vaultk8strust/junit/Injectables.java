package io.github.vaultk8strust.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The one table of what this library injects: which targets (parameter or field) it claims, which types each accepts,
 * and how it resolves them. {@code supportsParameter}, {@code resolveParameter}, field injection and every error
 * message read this table; adding an injectable is adding a row.
 */
final class Injectables {

    /** Where a value goes: a parameter or a field, with its description for messages. */
    record Target(AnnotatedElement element, Class<?> type, String description) {

        <A extends Annotation> Optional<A> annotation(Class<A> type) {
            return AnnotationSupport.findAnnotation(element, type);
        }
    }

    /** What a resolver needs: the environment, and a place for things to close when the test (or class) ends. */
    interface Scope {

        DefaultTrustEnvironment environment();

        <T extends AutoCloseable> T closeAfter(T resource);
    }

    @FunctionalInterface
    interface Resolver {
        Object resolve(Target target, Scope scope);
    }

    /**
     * One row: a target is claimed when it carries {@code annotation} (or, for annotation-less rows, has one of the
     * accepted types); its type must then be one of {@code accepted}.
     */
    record Row(String name, Class<? extends Annotation> annotation, List<Class<?>> accepted, Resolver resolver) {

        boolean claims(Target target) {
            return annotation != null ? target.annotation(annotation).isPresent() : accepted.contains(target.type());
        }
    }

    static final List<Row> TABLE = List.of(
            new Row("@KubeAdmin", KubeAdmin.class, List.of(KubernetesClient.class),
                    (t, s) -> s.closeAfter(s.environment().newKubernetesClient())),
            new Row("@VaultRoot", VaultRoot.class, List.of(Vault.class, VaultSession.class),
                    (t, s) -> session(t, s.environment().root())),
            new Row("@VaultLogin", VaultLogin.class, List.of(Vault.class, VaultSession.class),
                    (t, s) -> session(t, s.closeAfter(login(t, s.environment(), t.annotation(VaultLogin.class)
                            .orElseThrow())))),
            new Row("@ServiceAccountToken", ServiceAccountToken.class, List.of(String.class, ServiceAccountJwt.class),
                    (t, s) -> token(t, s.environment(), t.annotation(ServiceAccountToken.class).orElseThrow())),
            new Row("@InClusterWorkload", InClusterWorkload.class, List.of(Workload.class),
                    (t, s) -> s.closeAfter(workload(t, s.environment(),
                            t.annotation(InClusterWorkload.class).orElseThrow()))),
            new Row("TrustEnvironment", null, List.of(TrustEnvironment.class), (t, s) -> s.environment()),
            new Row("ServiceAccountJwt", null, List.of(ServiceAccountJwt.class),
                    (t, s) -> token(t, s.environment(), SeedToken.annotation())),
            new Row("VaultSession", null, List.of(VaultSession.class), (t, s) -> {
                throw new ParameterResolutionException(t.description() + ": a VaultSession needs @VaultRoot (the root "
                        + "token) or @VaultLogin(role = \"...\") (a workload login).");
            }));

    private Injectables() {
    }

    /** Return the row that claims the target: annotated rows first, so an annotation decides over a bare type. */
    static Optional<Row> rowFor(Target target) {
        return TABLE.stream().filter(r -> r.annotation() != null && r.claims(target)).findFirst()
                .or(() -> TABLE.stream().filter(r -> r.annotation() == null && r.claims(target)).findFirst());
    }

    /** Resolve the target through its row, checking the declared type against the row's accepted types first. */
    static Object resolve(Row row, Target target, Scope scope) {
        if (!row.accepted().contains(target.type())) {
            throw new ParameterResolutionException(target.description() + ": " + row.name() + " can inject "
                    + names(row.accepted()) + ", not " + target.type().getName() + ".");
        }
        return row.resolver().resolve(target, scope);
    }

    private static String names(List<Class<?>> accepted) {
        if (accepted.size() == 1) {
            return accepted.get(0).getName();
        }
        return accepted.subList(0, accepted.size() - 1).stream().map(Class::getName).collect(Collectors.joining(", "))
                + " or " + accepted.get(accepted.size() - 1).getName();
    }

    private static Object session(Target target, VaultSession session) {
        return target.type() == VaultSession.class ? session : session.kv();
    }

    private static VaultSession login(Target target, DefaultTrustEnvironment environment, VaultLogin login) {
        String role = login.role();
        try {
            return environment.loginAs(role, blankToNull(login.namespace()), blankToNull(login.serviceAccount()),
                    blankToNull(login.audience()), "@VaultLogin(role = \"" + role + "\")", "say whose token to use "
                            + "with @VaultLogin(role = \"" + role + "\", namespace = \"...\", serviceAccount = \"...\")");
        } catch (IllegalArgumentException | VaultK8sTrustException e) {
            throw new ParameterResolutionException(target.description() + ": " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static Object token(Target target, DefaultTrustEnvironment environment, ServiceAccountToken token) {
        if (token.expirationSeconds() < 600) {
            throw new ParameterResolutionException(target.description() + ": @ServiceAccountToken(expirationSeconds = "
                    + token.expirationSeconds() + ") is below Kubernetes' minimum of 600 seconds; use 600 or more.");
        }
        if (token.audience().isBlank() || token.serviceAccount().isBlank() || token.namespace().isBlank()) {
            throw new ParameterResolutionException(target.description() + ": @ServiceAccountToken needs a non-empty "
                    + "serviceAccount, namespace and audience; got serviceAccount = \"" + token.serviceAccount()
                    + "\", namespace = \"" + token.namespace() + "\", audience = \"" + token.audience() + "\".");
        }
        try {
            ServiceAccountJwt jwt = environment.mintToken(token.namespace(), token.serviceAccount(), token.audience(),
                    token.expirationSeconds());
            return target.type() == String.class ? jwt.raw() : jwt;
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(target.description() + ": " + e.getMessage(), e);
        }
    }

    private static Workload workload(Target target, DefaultTrustEnvironment environment, InClusterWorkload annotation) {
        WorkloadSpec spec;
        try {
            spec = WorkloadSpec.seed().withName(annotation.name()).withNamespace(annotation.namespace())
                    .withServiceAccount(annotation.serviceAccount()).withAudience(annotation.audience())
                    .withExpirationSeconds(annotation.expirationSeconds()).withImage(annotation.image());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(target.description() + ": @InClusterWorkload: " + e.getMessage(), e);
        }
        if (!environment.runsPods()) {
            // Only reached with vaultk8s.k3s-only=fail: with skip, InClusterWorkloadExtension disabled the test.
            throw new ParameterResolutionException(target.description() + ": "
                    + environment.k3sOnlyReason("@InClusterWorkload") + " Failed because " + VaultK8sTrust.K3S_ONLY_KEY
                    + "=fail.");
        }
        try {
            return environment.startWorkload(spec);
        } catch (VaultK8sTrustException e) {
            throw new ParameterResolutionException(target.description() + ": " + e.getMessage(), e);
        }
    }

    /** Supplies the annotation defaults for a bare {@link ServiceAccountJwt}: the seed's token. */
    private static final class SeedToken {

        @SuppressWarnings("unused")
        private static void holder(@ServiceAccountToken ServiceAccountJwt token) {
        }

        static ServiceAccountToken annotation() {
            try {
                return SeedToken.class.getDeclaredMethod("holder", ServiceAccountJwt.class).getParameters()[0]
                        .getAnnotation(ServiceAccountToken.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
