package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.VaultSession;
import org.apiguardian.api.API;
/**
 * Entry point of the trust verification vocabulary:
 *
 * <pre>{@code
 * TrustAssertions.assertThat(session)
 *         .may("read", "kvv2/data/k8s-dev/foo")
 *         .mayNot("update", "kvv2/data/other");
 * }</pre>
 *
 * <p>See also {@link PolicyMatrix} (expectations as a table) and {@link AdversarialTokens} (tokens that must be
 * rejected).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TrustAssertions {

    private TrustAssertions() {
    }

    /** Start capability assertions on a logged-in token (or the root session). */
    public static SessionAssert assertThat(VaultSession session) {
        return new SessionAssert(session);
    }
}
