package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/**
 * A {@link TrustEnvironment} that its owner closes, which stops every server and deletes every temporary file.
 * Returned by {@link TrustEnvironmentBuilder#start()}; use it in try-with-resources or close it in an
 * {@code @AfterAll} method.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ClosableTrustEnvironment extends TrustEnvironment, AutoCloseable {

    /** Stop every server and delete every temporary file; idempotent. */
    @Override
    void close();
}
