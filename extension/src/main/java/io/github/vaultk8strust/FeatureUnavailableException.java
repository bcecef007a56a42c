package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Signal that this environment cannot provide a feature where it runs, such as a pod on a backend without a kubelet:
 * nothing broke, the test asked for something this backend does not have. Under {@code @VaultK8sTrust} the test (or
 * lifecycle method) that asked is aborted, reported skipped with this message; elsewhere it propagates like any
 * {@link VaultK8sTrustException}. Thrown only while {@link ConfigKeys#K3S_ONLY_KEY} is {@code skip} (the default); with
 * {@code fail} a plain {@link VaultK8sTrustException} says the same.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class FeatureUnavailableException extends VaultK8sTrustException {

    private static final long serialVersionUID = 1L;

    private final String feature;

    /**
     * Create the exception.
     *
     * @param feature what was asked for, as the caller wrote it, e.g. {@code startWorkload(...)}
     * @param message why this environment cannot provide it, and how to get an environment that can
     */
    public FeatureUnavailableException(String feature, String message) {
        super(message);
        this.feature = Objects.requireNonNull(feature, "feature");
    }

    /** Return what was asked for, e.g. {@code startWorkload(...)}. */
    public String feature() {
        return feature;
    }
}
