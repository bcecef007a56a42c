package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What {@link TrustEnvironment#projectToken(TokenFileSpec)} writes: a service-account token for
 * {@code namespace/serviceAccount} with {@code audience}, valid {@code expirationSeconds} (at least 600, as
 * Kubernetes demands), at {@code path} (empty: a new temporary file), optionally bound to a pod. Immutable; the
 * {@code with...} methods return copies.
 *
 * <pre>{@code
 * try (ProjectedTokenFile file = environment.projectToken(TokenFileSpec.forServiceAccount("default", "vault-writer")
 *         .withAudience("vault-dev").withPath(Path.of("build/token")))) {
 *     application.start(file.path());   // reads the file as it would read /var/run/secrets/tokens/vault-token
 * }
 * }</pre>
 *
 * @param boundPod a pod name in {@code namespace}: the token is bound to that pod ({@code boundObjectRef}); the pod
 *                 object is created when missing (it is never scheduled: it only gives the token an owner) and deleted
 *                 with the file when this created it
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TokenFileSpec(String namespace, String serviceAccount, String audience, long expirationSeconds,
                            Optional<Path> path, Optional<String> boundPod) {

    /** Kubernetes refuses a TokenRequest for less. */
    public static final long MIN_EXPIRATION_SECONDS = 600;
    /** The kubelet's default for projected tokens, one hour. */
    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;

    public TokenFileSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(audience, "audience");
        if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
            throw new IllegalArgumentException("TokenFileSpec: expirationSeconds = " + expirationSeconds
                    + " is below Kubernetes' minimum of " + MIN_EXPIRATION_SECONDS + " seconds");
        }
        path = Objects.requireNonNull(path, "path");
        boundPod = Objects.requireNonNull(boundPod, "boundPod");
    }

    /** A token for this service account, audience {@code vault-dev}, one hour, in a temporary file. */
    public static TokenFileSpec forServiceAccount(String namespace, String serviceAccount) {
        return new TokenFileSpec(namespace, serviceAccount, Seed.AUDIENCE, DEFAULT_EXPIRATION_SECONDS,
                Optional.empty(), Optional.empty());
    }

    /** The walkthrough's workload: {@code default/vault-writer}, audience {@code vault-dev}. */
    public static TokenFileSpec seed() {
        return forServiceAccount(Seed.NAMESPACE, Seed.SERVICE_ACCOUNT);
    }

    /** Return a copy with this audience. */
    public TokenFileSpec withAudience(String audience) {
        return new TokenFileSpec(namespace, serviceAccount, audience, expirationSeconds, path, boundPod);
    }

    /** Return a copy with this lifetime in seconds (at least 600); the file is rewritten before 80 % of it. */
    public TokenFileSpec withExpirationSeconds(long seconds) {
        return new TokenFileSpec(namespace, serviceAccount, audience, seconds, path, boundPod);
    }

    /** Return a copy that writes to this file (its directory is created when missing). */
    public TokenFileSpec withPath(Path file) {
        return new TokenFileSpec(namespace, serviceAccount, audience, expirationSeconds,
                Optional.of(Objects.requireNonNull(file, "file")), boundPod);
    }

    /** Return a copy whose token is bound to this pod of {@code namespace}. */
    public TokenFileSpec withBoundPod(String podName) {
        return new TokenFileSpec(namespace, serviceAccount, audience, expirationSeconds, path,
                Optional.of(Objects.requireNonNull(podName, "podName")));
    }
}
