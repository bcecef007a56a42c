package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Look up a configuration key with the library's layering already applied: a value given in code (annotation
 * attribute or builder), then a configuration parameter or system property, then an environment variable with the
 * mechanical name ({@code vaultk8s.k3s.image} becomes {@code VAULTK8S_K3S_IMAGE}). Values are trimmed.
 */
@FunctionalInterface
@API(status = EXPERIMENTAL, since = "0.1")
public interface BackendConfig {

    /** Return the value of the key, if set anywhere. */
    Optional<String> get(String key);

    /** Describe where a key's value may come from, for error messages. */
    default String describe(String key) {
        return "setting " + key + " (or environment variable " + key.toUpperCase(java.util.Locale.ROOT)
                .replace('.', '_').replace('-', '_') + ")";
    }
}
