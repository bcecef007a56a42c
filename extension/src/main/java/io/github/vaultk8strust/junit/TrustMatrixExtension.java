package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.core.Backends;
import io.github.vaultk8strust.core.TrustSettings;
import io.github.vaultk8strust.spi.Availability;
import io.github.vaultk8strust.support.ServerVersions;
import io.github.vaultk8strust.support.ServerVersions.Product;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The class-template provider behind {@link TrustMatrix}: validates the axes against the known versions, then yields
 * one invocation per combination. Each invocation puts its {@link Cell} into its own store, where
 * {@link VaultK8sTrustExtension} finds it and adds the versions to the settings given in code (so they win over
 * configuration parameters and environment variables), and gets a private environment closed with the invocation.
 */
final class TrustMatrixExtension implements ClassTemplateInvocationContextProvider {

    static final Namespace NAMESPACE = Namespace.create(TrustMatrixExtension.class);
    static final String CELL = "cell";

    /** One combination of the matrix, resolved. */
    record Cell(String kubernetes, String vault) {

        /** The settings this combination gives in code. */
        Map<String, String> settings() {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(ConfigKeys.KUBERNETES_VERSION_KEY, kubernetes);
            settings.put(ConfigKeys.VAULT_VERSION_KEY, vault);
            return settings;
        }

        String displayName() {
            return "[kubernetes " + kubernetes + ", vault " + vault + "]";
        }
    }

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), TrustMatrix.class).isPresent();
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        TrustMatrix matrix = AnnotationSupport.findAnnotation(testClass, TrustMatrix.class).orElseThrow();
        return cells(testClass, matrix, AnnotationSupport.findAnnotation(testClass, VaultK8sTrust.class))
                .stream().map(Invocation::new);
    }

    /** Validate the matrix and resolve its combinations, Kubernetes outer, Vault inner, in the order written. */
    static List<Cell> cells(Class<?> testClass, TrustMatrix matrix, Optional<VaultK8sTrust> trust) {
        String where = "@TrustMatrix on " + testClass.getSimpleName();
        VaultK8sTrust annotation = trust.orElseThrow(() -> new ExtensionConfigurationException(where
                + ": the class has no @VaultK8sTrust; add it beside @TrustMatrix (it says what each combination's "
                + "environment holds)"));
        List<String> fixed = new ArrayList<>();
        if (!annotation.kubernetesVersion().isBlank()) {
            fixed.add("kubernetesVersion = \"" + annotation.kubernetesVersion() + "\"");
        }
        if (!annotation.vaultVersion().isBlank()) {
            fixed.add("vaultVersion = \"" + annotation.vaultVersion() + "\"");
        }
        if (!fixed.isEmpty()) {
            throw new ExtensionConfigurationException(where + " and @VaultK8sTrust(" + String.join(", ", fixed)
                    + ") both set versions; the matrix sets them per invocation: remove " + String.join(" and ", fixed)
                    + " from @VaultK8sTrust, or drop @TrustMatrix to test one version");
        }
        List<String> kubernetes = axis(where, Product.KUBERNETES, matrix.kubernetes());
        List<String> vault = axis(where, Product.VAULT, matrix.vault());
        List<Cell> cells = new ArrayList<>();
        for (String k : kubernetes) {
            for (String v : vault) {
                cells.add(new Cell(k, v));
            }
        }
        return cells;
    }

    private static List<String> axis(String where, Product product, String[] values) {
        String attribute = product.label() + " = " + Arrays.stream(values).map(v -> "\"" + v + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
        if (values.length == 0) {
            throw new ExtensionConfigurationException(where + ": " + attribute + " is empty; list at least one "
                    + product.label() + " version, e.g. " + product.label() + " = {\""
                    + ServerVersions.minor(product.defaultVersion()) + "\"}. " + ServerVersions.knownText(product));
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        for (String value : values) {
            String version;
            try {
                version = ServerVersions.resolve(product, value, where + ": " + product.label() + " = \"" + value
                        + "\"");
            } catch (VaultK8sTrustConfigurationException e) {
                throw new ExtensionConfigurationException(e.getMessage(), e);
            }
            String earlier = resolved.put(version, value);
            if (earlier != null) {
                throw new ExtensionConfigurationException(where + ": " + attribute + " names " + product.label() + " "
                        + version + " twice (\"" + earlier + "\" and \"" + value + "\"); list each version once");
            }
        }
        return List.copyOf(resolved.keySet());
    }

    private record Invocation(Cell cell) implements ClassTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return cell.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new CanRun(cell));
        }

        @Override
        public void prepareInvocation(ExtensionContext context) {
            context.getStore(NAMESPACE).put(CELL, cell);
        }
    }

    /**
     * Skip (or fail, per {@link TrustMatrix#UNAVAILABLE_KEY}) a combination whose backend says it cannot run here,
     * with its reason; misuse still fails. Decided once per invocation (kept in its store), applied to the invocation
     * and to each of its tests: JUnit may evaluate conditions of a class template invocation only for its tests.
     */
    private record CanRun(Cell cell) implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<String> reason = unavailable(context, cell);
            return reason.map(r -> ConditionEvaluationResult.disabled(r + " (set " + TrustMatrix.UNAVAILABLE_KEY
                    + "=fail to fail instead)")).orElseGet(() -> ConditionEvaluationResult.enabled(cell.displayName()
                    + " can run here"));
        }
    }

    /**
     * Say why this invocation's combination cannot run here, empty when it can; with {@code fail} configured, throw
     * instead. The answer is kept in the invocation's store.
     */
    static Optional<String> unavailable(ExtensionContext context, Cell cell) {
        ExtensionContext invocation = context;
        while (invocation.getTestMethod().isPresent() && invocation.getParent().isPresent()) {
            invocation = invocation.getParent().get();
        }
        ExtensionContext classContext = invocation;
        String answer = invocation.getStore(NAMESPACE).getOrComputeIfAbsent("unavailable",
                key -> probe(classContext, cell).orElse(""), String.class);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        boolean fail;
        try {
            fail = VaultK8sTrustExtension.adapterConfig(context).choice(ConfigKeys.MATRIX_UNAVAILABLE_KEY,
                    Unavailable.class).orElse(Unavailable.SKIP) == Unavailable.FAIL;
        } catch (VaultK8sTrustConfigurationException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
        if (fail) {
            throw new ExtensionConfigurationException(answer + " (" + TrustMatrix.UNAVAILABLE_KEY + "=fail)");
        }
        return Optional.of(answer);
    }

    /** What a combination that cannot run here does ({@link ConfigKeys#MATRIX_UNAVAILABLE_KEY}). */
    private enum Unavailable {
        SKIP,
        FAIL
    }

    private static Optional<String> probe(ExtensionContext classContext, Cell cell) {
        try {
            TrustSettings settings = VaultK8sTrustExtension.settings(classContext, cell);
            Availability availability = Backends.installed().named(settings.backend()).orElseThrow()
                    .probe(settings.config());
            return availability.available() ? Optional.empty() : Optional.of(cell.displayName()
                    + " cannot run here: backend " + settings.backend() + ": " + availability.reason());
        } catch (ExtensionConfigurationException e) {
            throw e;
        } catch (VaultK8sTrustException e) {
            return Optional.of(cell.displayName() + " cannot run here: " + e.getMessage());
        }
    }
}
