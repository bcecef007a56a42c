package io.github.vaultk8strust.junit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.core.EnvironmentSlot;
import io.github.vaultk8strust.core.TrustSettings;
import java.lang.reflect.Parameter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The thin JUnit adapter behind {@link VaultK8sTrust}: find the annotation, resolve settings, get or start the
 * shared environment from the root store, and inject what parameters ask for. Holds no state of its own.
 */
final class VaultK8sTrustExtension implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(VaultK8sTrustExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        environment(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == TrustEnvironment.class
                || type == ServiceAccountJwt.class
                || type == VaultSession.class
                || parameterContext.isAnnotated(KubeAdmin.class)
                || parameterContext.isAnnotated(VaultRoot.class)
                || parameterContext.isAnnotated(VaultLogin.class)
                || parameterContext.isAnnotated(ServiceAccountToken.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        Class<?> type = parameter.getType();
        if (type == TrustEnvironment.class) {
            return environment(extensionContext);
        }
        Optional<KubeAdmin> kubeAdmin = parameterContext.findAnnotation(KubeAdmin.class);
        if (kubeAdmin.isPresent()) {
            requireType(parameterContext, "@KubeAdmin", KubernetesClient.class);
            return closeAfter(extensionContext, environment(extensionContext).newKubernetesClient());
        }
        if (parameterContext.isAnnotated(VaultRoot.class)) {
            requireType(parameterContext, "@VaultRoot", Vault.class, VaultSession.class);
            VaultSession root = environment(extensionContext).root();
            return type == VaultSession.class ? root : root.kv();
        }
        Optional<VaultLogin> login = parameterContext.findAnnotation(VaultLogin.class);
        if (login.isPresent()) {
            requireType(parameterContext, "@VaultLogin", Vault.class, VaultSession.class);
            VaultSession session = closeAfter(extensionContext, login(parameterContext, extensionContext, login.get()));
            return type == VaultSession.class ? session : session.kv();
        }
        if (type == VaultSession.class) {
            throw new ParameterResolutionException(describe(parameterContext) + ": a VaultSession parameter needs "
                    + "@VaultRoot (the root token) or @VaultLogin(role = \"...\") (a workload login).");
        }
        ServiceAccountToken token = parameterContext.findAnnotation(ServiceAccountToken.class)
                .orElseGet(SeedToken::annotation);
        requireType(parameterContext, "@ServiceAccountToken", String.class, ServiceAccountJwt.class);
        ServiceAccountJwt jwt = mint(parameterContext, extensionContext, token);
        return type == String.class ? jwt.raw() : jwt;
    }

    private VaultSession login(ParameterContext parameterContext, ExtensionContext context, VaultLogin login) {
        DefaultTrustEnvironment environment = environment(context);
        RoleSpec role = environment.settings().role(login.role()).orElseThrow(() -> new ParameterResolutionException(
                describe(parameterContext) + ": @VaultLogin(role = \"" + login.role() + "\") names no configured role; "
                        + "configured roles: " + environment.roles() + ". Declare it with @VaultK8sTrust(roles = "
                        + "@JwtRole(name = \"" + login.role() + "\", ...)) or fix the name."));
        Optional<ServiceAccountSpec> bound = role.boundServiceAccount();
        String namespace = !login.namespace().isEmpty() ? login.namespace()
                : bound.map(ServiceAccountSpec::namespace).orElse(null);
        String serviceAccount = !login.serviceAccount().isEmpty() ? login.serviceAccount()
                : bound.map(ServiceAccountSpec::name).orElse(null);
        if (namespace == null || serviceAccount == null) {
            String binds = role.boundSubject().isEmpty() ? "binds claims, not a subject"
                    : "binds subject \"" + role.boundSubject() + "\", which names no service account";
            throw new ParameterResolutionException(describe(parameterContext) + ": role \"" + role.name() + "\" "
                    + binds + "; say whose token to use with @VaultLogin(role = \"" + role.name()
                    + "\", namespace = \"...\", serviceAccount = \"...\").");
        }
        String audience = !login.audience().isEmpty() ? login.audience() : role.boundAudiences().get(0);
        try {
            ServiceAccountJwt jwt = environment.mintToken(namespace, serviceAccount, audience);
            return environment.login(role.name(), jwt.raw());
        } catch (IllegalArgumentException | VaultK8sTrustException e) {
            throw new ParameterResolutionException(describe(parameterContext) + ": " + e.getMessage(), e);
        }
    }

    private ServiceAccountJwt mint(ParameterContext parameterContext, ExtensionContext context,
                                   ServiceAccountToken token) {
        if (token.expirationSeconds() < 600) {
            throw new ParameterResolutionException(describe(parameterContext) + ": @ServiceAccountToken("
                    + "expirationSeconds = " + token.expirationSeconds() + ") is below Kubernetes' minimum of 600 "
                    + "seconds; use 600 or more.");
        }
        if (token.audience().isBlank() || token.serviceAccount().isBlank() || token.namespace().isBlank()) {
            throw new ParameterResolutionException(describe(parameterContext) + ": @ServiceAccountToken needs a "
                    + "non-empty serviceAccount, namespace and audience; got serviceAccount = \""
                    + token.serviceAccount() + "\", namespace = \"" + token.namespace() + "\", audience = \""
                    + token.audience() + "\".");
        }
        try {
            return environment(context).mintToken(token.namespace(), token.serviceAccount(), token.audience(),
                    token.expirationSeconds());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(describe(parameterContext) + ": " + e.getMessage(), e);
        }
    }

    static DefaultTrustEnvironment environment(ExtensionContext context) {
        TrustSettings settings = settings(context);
        AtomicBoolean started = new AtomicBoolean();
        EnvironmentSlot slot = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(settings, key -> {
            started.set(true);
            return EnvironmentSlot.start(key, DefaultTrustEnvironment::start);
        }, EnvironmentSlot.class);
        return slot.environment(started.get());
    }

    private static TrustSettings settings(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(testClass.getName() + "#settings", key -> {
            VaultK8sTrust annotation = findAnnotation(testClass);
            return new SettingsResolver(context::getConfigurationParameter, System::getenv, testClass.getClassLoader())
                    .resolve(annotation);
        }, TrustSettings.class);
    }

    private static VaultK8sTrust findAnnotation(Class<?> testClass) {
        // @Nested classes inherit the enclosing class's environment.
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<VaultK8sTrust> found = AnnotationSupport.findAnnotation(c, VaultK8sTrust.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException("No @VaultK8sTrust on " + testClass.getName()
                + " or its enclosing classes; annotate the test class with @VaultK8sTrust.");
    }

    private static <T extends AutoCloseable> T closeAfter(ExtensionContext context, T resource) {
        // The store closes AutoCloseable values when this test (or class, for constructor parameters) ends.
        context.getStore(NAMESPACE).put(new Object(), resource);
        return resource;
    }

    static void requireType(ParameterContext parameterContext, String annotation, Class<?>... accepted) {
        Class<?> type = parameterContext.getParameter().getType();
        for (Class<?> candidate : accepted) {
            if (type == candidate) {
                return;
            }
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < accepted.length; i++) {
            names.append(i == 0 ? "" : i == accepted.length - 1 ? " or " : ", ").append(accepted[i].getName());
        }
        throw new ParameterResolutionException(describe(parameterContext) + ": " + annotation + " can inject "
                + names + ", not " + type.getName() + ".");
    }

    static String describe(ParameterContext parameterContext) {
        Parameter parameter = parameterContext.getParameter();
        return "Parameter '" + parameter.getName() + "' of " + parameter.getDeclaringExecutable().getDeclaringClass()
                .getSimpleName() + "." + parameter.getDeclaringExecutable().getName();
    }

    /** Supplies the annotation defaults for a bare {@link ServiceAccountJwt} parameter: the seed's token. */
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
