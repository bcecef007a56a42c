package io.github.vaultk8strust.junit;

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
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The condition behind {@link InClusterWorkload}, registered by the annotation itself: it disables tests that need a
 * pod on a backend without pods (unless {@link VaultK8sTrust#K3S_ONLY_KEY} is {@code fail}, in which case resolving
 * the parameter fails with the reason). The pod itself is injected through {@link Injectables}.
 */
final class InClusterWorkloadExtension implements ExecutionCondition {

    private static final Namespace NAMESPACE = Namespace.create(InClusterWorkloadExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // Only decide per test method: by then the class's environment exists (started in beforeAll), so the
        // backend is known, AUTO included.
        if (context.getTestMethod().isEmpty() || !needsWorkload(context)) {
            return ConditionEvaluationResult.enabled("no @InClusterWorkload parameter");
        }
        DefaultTrustEnvironment environment = VaultK8sTrustExtension.environment(context);
        if (environment.runsPods()) {
            return ConditionEvaluationResult.enabled("the " + environment.backendName() + " backend runs pods");
        }
        if (environment.settings().k3sOnly() == TrustSettings.FeaturePolicy.FAIL) {
            return ConditionEvaluationResult.enabled(VaultK8sTrust.K3S_ONLY_KEY + "=fail: resolving the parameter fails");
        }
        return ConditionEvaluationResult.disabled(environment.k3sOnlyReason("@InClusterWorkload") + " Skipped because "
                + VaultK8sTrust.K3S_ONLY_KEY + "=skip (the default); set it to fail to make this an error.");
    }

    private static boolean needsWorkload(ExtensionContext context) {
        Stream<Executable> executables = Stream.concat(context.getTestMethod().stream(),
                Arrays.stream(context.getRequiredTestClass().getDeclaredConstructors()).map(c -> (Constructor<?>) c));
        return executables.flatMap(e -> Arrays.stream(e.getParameters()))
                .anyMatch(p -> AnnotationSupport.isAnnotated(p, InClusterWorkload.class))
                || Arrays.stream(context.getRequiredTestClass().getDeclaredFields())
                .anyMatch(f -> AnnotationSupport.isAnnotated(f, InClusterWorkload.class));
    }

}
