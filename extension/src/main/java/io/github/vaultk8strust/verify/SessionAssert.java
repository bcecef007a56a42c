package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.VaultSession;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Fluent capability assertions on one logged-in token, obtained from {@link TrustAssertions#assertThat(VaultSession)}.
 * Each expectation is checked through {@code sys/capabilities-self} and, where that proves something without
 * changing a secret, with a real request (GET for {@code read}, LIST for {@code list}, a write or DELETE that must
 * answer 403 for denied {@code create}, {@code update} and {@code delete}). A failure names the token's role and
 * policies, the capabilities Vault reported and the path tested.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SessionAssert {

    private final VaultSession session;

    SessionAssert(VaultSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /**
     * Assert that the token has {@code capability} on {@code path}, e.g. {@code may("read", "kvv2/data/k8s-dev/foo")}.
     * Give API paths (KV version 2: {@code <mount>/data/...}, {@code <mount>/metadata/...}).
     *
     * @throws IllegalArgumentException for an unknown capability, naming the valid ones
     */
    public SessionAssert may(String capability, String path) {
        return may(Capability.parse(capability), path);
    }

    /** Assert that the token has {@code capability} on {@code path}. */
    public SessionAssert may(Capability capability, String path) {
        return expect(capability, path, true);
    }

    /** Assert that the token lacks {@code capability} on {@code path}, e.g. {@code mayNot("update", "kvv2/data/other")}. */
    public SessionAssert mayNot(String capability, String path) {
        return mayNot(Capability.parse(capability), path);
    }

    /** Assert that the token lacks {@code capability} on {@code path}. */
    public SessionAssert mayNot(Capability capability, String path) {
        return expect(capability, path, false);
    }

    /** Assert that the token has every one of the capabilities on {@code path}. */
    public SessionAssert mayAll(String path, Capability... capabilities) {
        for (Capability capability : capabilities) {
            may(capability, path);
        }
        return this;
    }

    /** Assert that the token has none of the capabilities on {@code path}; with none given, all seven. */
    public SessionAssert mayNone(String path, Capability... capabilities) {
        for (Capability capability : capabilities.length == 0 ? Capability.values() : capabilities) {
            mayNot(capability, path);
        }
        return this;
    }

    private SessionAssert expect(Capability capability, String path, boolean allowed) {
        Objects.requireNonNull(path, "path");
        CapabilityProbe.Outcome outcome = CapabilityProbe.check(session, capability, path, allowed);
        if (!outcome.passed()) {
            throw new AssertionError(outcome.failure());
        }
        return this;
    }
}
