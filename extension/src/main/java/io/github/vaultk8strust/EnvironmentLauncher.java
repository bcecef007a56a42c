package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ServiceLoader;
import org.apiguardian.api.API;

/**
 * Start environments: the bridge from this JUnit-free API to the library's core, found with {@link ServiceLoader}
 * so that the API names no implementation class (and the packages stay free of cycles). Not for users: call
 * {@link TrustEnvironment#builder()}.
 */
@API(status = INTERNAL, since = "0.1")
public interface EnvironmentLauncher {

    /**
     * Validate the request, start the backend and run the trust setup. The caller owns (and closes) the result.
     *
     * @throws VaultK8sTrustConfigurationException when a setting has a value that cannot work (nothing started)
     * @throws VaultK8sTrustException when the environment cannot be started
     */
    ClosableTrustEnvironment start(TrustRequest request);

    /** Return the launcher on the class path. */
    static EnvironmentLauncher load() {
        return ServiceLoader.load(EnvironmentLauncher.class, EnvironmentLauncher.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new VaultK8sTrustException("No " + EnvironmentLauncher.class.getName()
                        + " on the class path: the vault-k8s-trust jar is incomplete (its META-INF/services entry is "
                        + "missing). Depend on the whole io.github.vaultk8strust:vault-k8s-trust artifact."));
    }
}
