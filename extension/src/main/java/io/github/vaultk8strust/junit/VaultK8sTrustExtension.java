package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.core.EnvironmentCache;
import io.github.vaultk8strust.core.LayeredConfig;
import io.github.vaultk8strust.core.SettingsResolver;
import io.github.vaultk8strust.core.TrustSettings;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The thin JUnit adapter behind {@link VaultK8sTrust}: find the annotation, turn it into a request, get the
 * environment from the run's {@link EnvironmentCache} (or a private one for {@code shared = false}), and inject
 * through the {@link Injectables} table into parameters and fields. Holds no state of its own: everything lives in
 * JUnit's stores, which close it in reverse order.
 */
final class VaultK8sTrustExtension implements BeforeAllCallback, BeforeClassTemplateInvocationCallback,
        ParameterResolver, TestInstancePostProcessor, TestInstantiationAwareExtension, TestWatcher {

    private static final Namespace NAMESPACE = Namespace.create(VaultK8sTrustExtension.class);
    private static final String CACHE = "cache";

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        // Constructor-injected resources (a @VaultLogin token, a client) then live per test, as @TempDir's do.
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (AnnotationSupport.isAnnotated(context.getRequiredTestClass(), TrustMatrix.class)
                && cell(context).isEmpty()) {
            // A class template runs beforeAll once around all its invocations: each invocation starts its own.
            return;
        }
        environment(context);
    }

    @Override
    public void beforeClassTemplateInvocation(ExtensionContext context) {
        // A @TrustMatrix invocation: its environment starts before its tests, so their times stay their own; a
        // combination that cannot run here starts nothing (its tests are skipped with the reason, or it fails).
        Optional<TrustMatrixExtension.Cell> cell = cell(context);
        if (cell.isPresent() && TrustMatrixExtension.unavailable(context, cell.get()).isPresent()) {
            return;
        }
        environment(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return Injectables.rowFor(target(parameterContext)).isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Injectables.Target target = target(parameterContext);
        return Injectables.resolve(Injectables.rowFor(target).orElseThrow(), target, scope(extensionContext));
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        for (Field field : ReflectionSupport.findFields(testInstance.getClass(), f -> !Modifier.isStatic(f.getModifiers()),
                HierarchyTraversalMode.TOP_DOWN)) {
            Injectables.Target target = new Injectables.Target(field, field.getType(), "Field '" + field.getName()
                    + "' of " + field.getDeclaringClass().getSimpleName());
            Optional<Injectables.Row> row = Injectables.rowFor(target);
            if (row.isEmpty() || (row.get().annotation() == null && !injectableByType(field, testInstance))) {
                continue;
            }
            if (Modifier.isFinal(field.getModifiers())) {
                throw new ExtensionConfigurationException(target.description() + ": " + row.get().name()
                        + " cannot inject a final field; remove 'final'.");
            }
            Object value = Injectables.resolve(row.get(), target, scope(context));
            try {
                field.setAccessible(true);
                field.set(testInstance, value);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new ExtensionConfigurationException(target.description() + ": cannot set the field: " + e, e);
            }
        }
    }

    /**
     * Return whether a field without our annotation but of our type is ours to fill: only when it is not final and
     * still null, so a field the test sets itself (say, from a constructor parameter) is left alone.
     */
    private static boolean injectableByType(Field field, Object testInstance) {
        if (Modifier.isFinal(field.getModifiers())) {
            return false;
        }
        try {
            field.setAccessible(true);
            return field.get(testInstance) == null;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    private static Injectables.Target target(ParameterContext parameterContext) {
        return new Injectables.Target(parameterContext.getParameter(), parameterContext.getParameter().getType(),
                describe(parameterContext));
    }

    private static Injectables.Scope scope(ExtensionContext context) {
        return new Injectables.Scope() {
            @Override
            public DefaultTrustEnvironment environment() {
                return VaultK8sTrustExtension.environment(context);
            }

            @Override
            public <T extends AutoCloseable> T closeAfter(T resource) {
                // Closed when this test (or the class, for PER_CLASS instances) ends.
                context.getStore(NAMESPACE).put(new Object(), resource);
                return resource;
            }
        };
    }

    /**
     * Tell the class's environment, if it has started one, that a test failed: with {@code vaultk8s.keep-on-failure}
     * its backend may keep evidence when it closes (the k3s backend keeps the node's and Vault's logs).
     */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        ExtensionContext classContext = matrixInvocation(classContext(context));
        Object lease = classContext.getStore(NAMESPACE).get(new LeaseKey(classContext.getRequiredTestClass()));
        if (lease instanceof EnvironmentCache.Lease<?> started
                && started.environment() instanceof DefaultTrustEnvironment environment) {
            environment.testFailed(classContext.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName(),
                    cause);
        }
    }

    /** Return the environment of the test class this context belongs to, acquiring it on first use. */
    static DefaultTrustEnvironment environment(ExtensionContext context) {
        ExtensionContext classContext = matrixInvocation(classContext(context));
        Class<?> testClass = classContext.getRequiredTestClass();
        EnvironmentCache.Lease<?> lease = classContext.getStore(NAMESPACE).getOrComputeIfAbsent(
                new LeaseKey(testClass), key -> acquire(classContext), EnvironmentCache.Lease.class);
        DefaultTrustEnvironment environment = (DefaultTrustEnvironment) lease.environment();
        // A server that died while tests ran fails every later use at once, naming it.
        environment.requireUsable();
        return environment;
    }

    private static EnvironmentCache.Lease<DefaultTrustEnvironment> acquire(ExtensionContext classContext) {
        Class<?> testClass = classContext.getRequiredTestClass();
        VaultK8sTrust annotation = findAnnotation(testClass);
        Optional<TrustMatrixExtension.Cell> cell = cell(classContext);
        TrustSettings settings = settings(classContext, annotation, cell);
        @SuppressWarnings("unchecked")
        EnvironmentCache<DefaultTrustEnvironment> cache = classContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(CACHE,
                key -> new EnvironmentCache<>(maxSize(classContext), DefaultTrustEnvironment::start),
                EnvironmentCache.class);
        // A matrix invocation's environment is its own, closed when the invocation ends: one at a time.
        return annotation.shared() && cell.isEmpty() ? cache.acquire(settings) : cache.acquirePrivate(settings);
    }

    /**
     * In a {@link TrustMatrix} invocation, return the invocation's own context (for a {@code @Nested} class, its
     * enclosing one), so that nested classes share the invocation's environment; otherwise the context itself.
     */
    private static ExtensionContext matrixInvocation(ExtensionContext classContext) {
        if (cell(classContext).isEmpty()) {
            return classContext;
        }
        ExtensionContext c = classContext;
        while (!AnnotationSupport.isAnnotated(c.getRequiredTestClass(), TrustMatrix.class) && c.getParent().isPresent()
                && c.getParent().get().getTestClass().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    /** Return the matrix combination this class runs in, if it runs in one ({@link TrustMatrix}). */
    private static Optional<TrustMatrixExtension.Cell> cell(ExtensionContext classContext) {
        return Optional.ofNullable(classContext.getStore(TrustMatrixExtension.NAMESPACE)
                .get(TrustMatrixExtension.CELL, TrustMatrixExtension.Cell.class));
    }

    /** Resolve the settings of a matrix invocation (its availability is checked before it runs). */
    static TrustSettings settings(ExtensionContext classContext, TrustMatrixExtension.Cell cell) {
        return settings(classContext, findAnnotation(classContext.getRequiredTestClass()), Optional.of(cell));
    }

    private static int maxSize(ExtensionContext context) {
        try {
            return adapterConfig(context).integer(ConfigKeys.CACHE_MAX_SIZE_KEY, 1,
                    Integer.parseInt(ConfigKeys.DEFAULT_CACHE_MAX_SIZE));
        } catch (VaultK8sTrustConfigurationException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }

    /** The adapter's own keys (not part of an environment's settings): configuration parameters, then the environment. */
    static LayeredConfig adapterConfig(ExtensionContext context) {
        return LayeredConfig.of(AnnotationRequests.ORIGIN, context::getConfigurationParameter, System::getenv);
    }

    private static TrustSettings settings(ExtensionContext context, VaultK8sTrust annotation,
                                          Optional<TrustMatrixExtension.Cell> cell) {
        Class<?> testClass = context.getRequiredTestClass();
        return resolve(annotation, needsPods(testClass), context::getConfigurationParameter, System::getenv,
                testClass.getClassLoader(), cell.map(TrustMatrixExtension.Cell::settings).orElse(Map.of()));
    }

    /** Resolve an annotation's settings; misuse becomes JUnit's {@link ExtensionConfigurationException}. */
    static TrustSettings resolve(VaultK8sTrust annotation, boolean needsPods,
                                 Function<String, Optional<String>> configuration, Function<String, String> environment,
                                 ClassLoader classLoader) {
        return resolve(annotation, needsPods, configuration, environment, classLoader, Map.of());
    }

    /** Resolve an annotation's settings plus settings given in code by a matrix invocation. */
    static TrustSettings resolve(VaultK8sTrust annotation, boolean needsPods,
                                 Function<String, Optional<String>> configuration, Function<String, String> environment,
                                 ClassLoader classLoader, Map<String, String> matrixSettings) {
        TrustRequest request = AnnotationRequests.toRequest(annotation, needsPods, configuration, classLoader,
                matrixSettings);
        try {
            return new SettingsResolver(environment, Backends.installed()).resolve(request);
        } catch (VaultK8sTrustConfigurationException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }

    /** Return whether the class (or an enclosing one) injects pods, so that AUTO picks a backend that runs them. */
    static boolean needsPods(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Stream<Executable> executables = Stream.concat(Arrays.stream(c.getDeclaredMethods()),
                    Arrays.stream(c.getDeclaredConstructors()));
            boolean parameters = executables.flatMap(e -> Arrays.stream(e.getParameters()))
                    .anyMatch(p -> AnnotationSupport.isAnnotated(p, InClusterWorkload.class));
            boolean fields = Arrays.stream(c.getDeclaredFields())
                    .anyMatch(f -> AnnotationSupport.isAnnotated(f, InClusterWorkload.class));
            if (parameters || fields) {
                return true;
            }
        }
        return false;
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
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

    static String describe(ParameterContext parameterContext) {
        Parameter parameter = parameterContext.getParameter();
        Executable executable = parameter.getDeclaringExecutable();
        String name = parameter.isNamePresent() ? "'" + parameter.getName() + "'"
                : "#" + parameterContext.getIndex() + " ('" + parameter.getName() + "', compile with -parameters for "
                + "its name)";
        return "Parameter " + name + " of " + executable.getDeclaringClass().getSimpleName() + "."
                + (executable instanceof java.lang.reflect.Constructor<?> ? "<init>" : executable.getName());
    }

    /** The store key of a class's hold on its environment. */
    private record LeaseKey(Class<?> testClass) {
    }
}
