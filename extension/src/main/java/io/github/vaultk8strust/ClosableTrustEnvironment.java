package io.github.vaultk8strust;

/**
 * A {@link TrustEnvironment} that its owner closes, which stops every server and deletes every temporary file.
 * Returned by {@link TrustEnvironmentBuilder#start()}; use it in try-with-resources or close it in an
 * {@code @AfterAll} method.
 */
public interface ClosableTrustEnvironment extends TrustEnvironment, AutoCloseable {

    /** Stop every server and delete every temporary file; idempotent. */
    @Override
    void close();
}
