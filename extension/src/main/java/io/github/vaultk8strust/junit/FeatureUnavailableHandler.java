package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.FeatureUnavailableException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Turn the library's {@link FeatureUnavailableException} (a feature this backend lacks, such as a pod on the local
 * backend) into JUnit's abort, so that the test is reported skipped with the reason: the core says what it cannot do,
 * the adapter decides what that means for a test. Registered by {@link VaultK8sTrust}; every other throwable passes
 * through unchanged.
 */
final class FeatureUnavailableHandler implements TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw translate(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw translate(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw translate(throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw translate(throwable);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw translate(throwable);
    }

    /** Return the abort for an unavailable feature (the original as its cause), else the throwable itself. */
    static Throwable translate(Throwable throwable) {
        if (throwable instanceof FeatureUnavailableException unavailable) {
            return new TestAbortedException(unavailable.getMessage(), unavailable);
        }
        return throwable;
    }
}
