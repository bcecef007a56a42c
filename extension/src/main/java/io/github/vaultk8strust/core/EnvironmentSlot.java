package io.github.vaultk8strust.core;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.util.function.Function;

/**
 * What the JUnit root store keeps under one {@link TrustSettings}: the running environment, or the failure of
 * its one start attempt, so that later classes with the same settings fail at once with the original cause
 * instead of booting again. Closed by JUnit when the run ends.
 */
public final class EnvironmentSlot implements AutoCloseable {

    private final DefaultTrustEnvironment environment;
    private final RuntimeException failure;

    private EnvironmentSlot(DefaultTrustEnvironment environment, RuntimeException failure) {
        this.environment = environment;
        this.failure = failure;
    }

    /** Start an environment once; remember the failure if it does not start. */
    public static EnvironmentSlot start(TrustSettings settings, Function<TrustSettings, DefaultTrustEnvironment> starter) {
        try {
            return new EnvironmentSlot(starter.apply(settings), null);
        } catch (RuntimeException e) {
            return new EnvironmentSlot(null, e);
        }
    }

    /**
     * Return the environment.
     *
     * @param firstUse whether this caller triggered the start (then the original exception is thrown as is)
     */
    public DefaultTrustEnvironment environment(boolean firstUse) {
        if (failure == null) {
            return environment;
        }
        if (firstUse) {
            throw failure;
        }
        throw new VaultK8sTrustException("The environment for these @VaultK8sTrust settings failed to start earlier in "
                + "this run, so it is not started again. The original failure: " + failure.getMessage(), failure);
    }

    @Override
    public void close() {
        if (environment != null) {
            environment.close();
        }
    }
}
