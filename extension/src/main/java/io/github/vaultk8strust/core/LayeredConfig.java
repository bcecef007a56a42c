package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.RequestOrigin;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.spi.BackendConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The layering of setting sources, first wins: a value given in code (annotation attribute, builder call), the
 * configuration (JUnit configuration parameters or system properties), an environment variable with the mechanical
 * name. It knows which layer answered, so {@link #describe(String)} names exactly what the user wrote:
 * {@code @VaultK8sTrust(startupTimeout = "0s")}, {@code TrustEnvironment.builder().k3sImage("X")},
 * {@code Configuration parameter vaultk8s.backend = "lokal"} or {@code Environment variable VAULTK8S_BACKEND = "lokal"}.
 */
@API(status = INTERNAL, since = "0.1")
public final class LayeredConfig implements BackendConfig {

    private final RequestOrigin origin;
    private final Map<String, String> code;
    private final Function<String, Optional<String>> configuration;
    private final Function<String, String> environment;
    /** Values resolved from what was written (a version "1.33" to "1.33.13"): read as the written ones' stand-ins. */
    private final Map<String, Optional<String>> resolved;

    private LayeredConfig(RequestOrigin origin, Map<String, String> code,
                          Function<String, Optional<String>> configuration, Function<String, String> environment,
                          Map<String, Optional<String>> resolved) {
        this.origin = origin;
        this.code = Map.copyOf(code);
        this.configuration = configuration;
        this.environment = environment;
        this.resolved = Map.copyOf(resolved);
    }

    /**
     * Layer a request: its settings in code, including its typed values ({@code backend}, {@code vaultMode},
     * {@code startupTimeout}, ...) under their keys, over its configuration, over the environment.
     */
    public static LayeredConfig of(TrustRequest request, Function<String, String> environment) {
        Map<String, String> code = new LinkedHashMap<>(request.settings());
        if (request.backend() != null) {
            code.put(ConfigKeys.BACKEND_KEY, request.backend().name().toLowerCase(Locale.ROOT));
        }
        if (request.vaultMode() != null) {
            code.put(ConfigKeys.VAULT_MODE_KEY, request.vaultMode().name().toLowerCase(Locale.ROOT));
        }
        if (request.startupTimeout() != null) {
            code.put(ConfigKeys.STARTUP_TIMEOUT_KEY, request.startupTimeout());
        }
        if (!request.authMethods().isEmpty()) {
            code.put(ConfigKeys.AUTH_METHODS_KEY, request.authMethods().stream().map(AuthMethod::vaultType)
                    .collect(Collectors.joining(",")));
        }
        if (request.kubernetesAuthPath() != null) {
            code.put(ConfigKeys.KUBERNETES_AUTH_PATH_KEY, request.kubernetesAuthPath());
        }
        if (request.tokenReviewer() != null) {
            code.put(ConfigKeys.TOKEN_REVIEWER_KEY, request.tokenReviewer().name().toLowerCase(Locale.ROOT)
                    .replace('_', '-'));
        }
        return new LayeredConfig(request.origin(), code, request.configuration(), environment, Map.of());
    }

    /** Layer a configuration source over the environment, with nothing given in code (the adapter's own keys). */
    public static LayeredConfig of(RequestOrigin origin, Function<String, Optional<String>> configuration,
                                   Function<String, String> environment) {
        return new LayeredConfig(origin, Map.of(), configuration, environment, Map.of());
    }

    /**
     * Return this configuration with a key's value replaced by one resolved from it (empty: unset), e.g. the full
     * version a minor resolved to; {@link #describe(String)} still names what the user wrote.
     */
    public LayeredConfig withResolved(String key, Optional<String> value) {
        Map<String, Optional<String>> next = new LinkedHashMap<>(resolved);
        next.put(key, value);
        return new LayeredConfig(origin, code, configuration, environment, next);
    }

    /** Return how the request was written. */
    public RequestOrigin origin() {
        return origin;
    }

    @Override
    public Optional<String> get(String key) {
        if (resolved.containsKey(key)) {
            return resolved.get(key);
        }
        return written(key);
    }

    /** Return the value as written, in the first layer that has one. */
    private Optional<String> written(String key) {
        String inCode = code.get(key);
        if (inCode != null) {
            return Optional.of(inCode.trim());
        }
        Optional<String> configured = configuration.apply(key).map(String::trim);
        if (configured.isPresent()) {
            return configured;
        }
        return Optional.ofNullable(environment.apply(ConfigKeys.environmentVariable(key))).map(String::trim);
    }

    @Override
    public String describe(String key) {
        String inCode = code.get(key);
        if (inCode != null) {
            return origin.setting(key, inCode.trim());
        }
        Optional<String> configured = configuration.apply(key).map(String::trim);
        if (configured.isPresent()) {
            return origin.configurationKey(key) + " = " + RequestOrigin.quote(configured.get());
        }
        String variable = ConfigKeys.environmentVariable(key);
        String fromEnvironment = environment.apply(variable);
        if (fromEnvironment != null) {
            return "Environment variable " + variable + " = " + RequestOrigin.quote(fromEnvironment.trim());
        }
        return origin.configurationKey(key) + " (or environment variable " + variable + ")";
    }

    /** Return whether the key's value was given in code (an attribute or builder call). */
    public boolean inCode(String key) {
        return code.containsKey(key);
    }
}
