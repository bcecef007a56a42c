package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.core.TrustSettings;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit adapter behind {@link InClusterWorkload}, registered by the annotation itself: it starts the pod for a
 * parameter, deletes it after the test, and disables tests that need a pod on a backend without pods (unless
 * {@link VaultK8sTrust#K3S_ONLY_KEY} is {@code fail}, in which case resolution fails with the reason).
 */
final class InClusterWorkloadExtension implements ParameterResolver, ExecutionCondition {

    private static final Namespace NAMESPACE = Namespace.create(InClusterWorkloadExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // Only decide per test method: by then the class's environment exists (started in beforeAll), so the
        // backend is known, AUTO included.
        if (context.getTestMethod().isEmpty() || !needsWorkload(context)) {
            return ConditionEvaluationResult.enabled("no @InClusterWorkload parameter");
        }
        DefaultTrustEnvironment environment = VaultK8sTrustExtension.environment(context);
        if (environment.backend() == Backend.K3S) {
            return ConditionEvaluationResult.enabled("the k3s backend runs pods");
        }
        if (environment.settings().k3s().k3sOnly() == TrustSettings.K3sOnlyPolicy.FAIL) {
            return ConditionEvaluationResult.enabled(VaultK8sTrust.K3S_ONLY_KEY + "=fail: resolving the parameter fails");
        }
        return ConditionEvaluationResult.disabled(environment.k3sOnlyReason("@InClusterWorkload") + " Skipped because "
                + VaultK8sTrust.K3S_ONLY_KEY + "=skip (the default); set it to fail to make this an error.");
    }

    private static boolean needsWorkload(ExtensionContext context) {
        Stream<Executable> executables = Stream.concat(context.getTestMethod().stream(),
                Arrays.stream(context.getRequiredTestClass().getDeclaredConstructors()).map(c -> (Constructor<?>) c));
        return executables.flatMap(e -> Arrays.stream(e.getParameters()))
                .anyMatch(p -> AnnotationSupport.isAnnotated(p, InClusterWorkload.class));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(InClusterWorkload.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        String where = VaultK8sTrustExtension.describe(parameterContext);
        VaultK8sTrustExtension.requireType(parameterContext, "@InClusterWorkload", Workload.class);
        InClusterWorkload annotation = parameterContext.findAnnotation(InClusterWorkload.class).orElseThrow();
        WorkloadSpec spec;
        try {
            spec = WorkloadSpec.seed().withName(annotation.name()).withNamespace(annotation.namespace())
                    .withServiceAccount(annotation.serviceAccount()).withAudience(annotation.audience())
                    .withExpirationSeconds(annotation.expirationSeconds()).withImage(annotation.image());
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(where + ": @InClusterWorkload: " + e.getMessage(), e);
        }
        DefaultTrustEnvironment environment = VaultK8sTrustExtension.environment(extensionContext);
        if (environment.backend() != Backend.K3S) {
            // Only reached with vaultk8s.k3s-only=fail: with skip, the condition above disabled the test.
            throw new ParameterResolutionException(where + ": " + environment.k3sOnlyReason("@InClusterWorkload")
                    + " Failed because " + VaultK8sTrust.K3S_ONLY_KEY + "=fail.");
        }
        try {
            Workload workload = environment.startWorkload(spec);
            // Closed (the pod deleted) when the test, or the class for a constructor parameter, ends.
            extensionContext.getStore(NAMESPACE).put(new Object(), workload);
            return workload;
        } catch (VaultK8sTrustException e) {
            throw new ParameterResolutionException(where + ": " + e.getMessage(), e);
        }
    }
}
