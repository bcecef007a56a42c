package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.TrustRequest;
import io.github.vaultk8strust.VaultFlavor;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.core.TrustSettings.FeaturePolicy;
import io.github.vaultk8strust.support.ServerVersions;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Turn a {@link TrustRequest} (from {@code @VaultK8sTrust} or {@link io.github.vaultk8strust.TrustEnvironmentBuilder})
 * plus configuration parameters and environment variables into validated {@link TrustSettings}. The jobs are split:
 * {@link LayeredConfig} layers the sources (value in code, configuration parameter or system property, environment
 * variable, default) and names where a value came from; {@link RequestSpecs} validates the declared roles, policies,
 * service accounts and paths; {@link Backends} chooses the backend. This class reads the typed settings and puts the
 * answers together. Misuse throws {@link VaultK8sTrustConfigurationException} naming what the user wrote, the value and
 * what is accepted; nothing has started then.
 */
@API(status = INTERNAL, since = "0.1")
public final class SettingsResolver {

    static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);
    static final Duration MIN_STARTUP_TIMEOUT = Duration.ofSeconds(1);

    private final Function<String, String> environment;
    private final Backends backends;

    /**
     * @param environment environment variables, usually {@code System::getenv}
     * @param backends the backends on the class path
     */
    public SettingsResolver(Function<String, String> environment, Backends backends) {
        this.environment = environment;
        this.backends = backends;
    }

    /** Resolve and validate; misuse throws {@link VaultK8sTrustConfigurationException} naming setting and value. */
    public TrustSettings resolve(TrustRequest request) {
        LayeredConfig config = LayeredConfig.of(request, environment);
        String backendName = config.value(ConfigKeys.BACKEND_KEY).map(v -> backendName(config, v)).orElse("auto");
        VaultMode vaultMode = config.choice(ConfigKeys.VAULT_MODE_KEY, VaultMode.class).orElse(VaultMode.INIT);
        Duration startupTimeout = config.duration(ConfigKeys.STARTUP_TIMEOUT_KEY, MIN_STARTUP_TIMEOUT)
                .orElse(DEFAULT_STARTUP_TIMEOUT);
        Set<AuthMethod> authMethods = authMethods(config);
        String kubernetesAuthPath = config.value(ConfigKeys.KUBERNETES_AUTH_PATH_KEY)
                .map(v -> RequestSpecs.mountPath(config.describe(ConfigKeys.KUBERNETES_AUTH_PATH_KEY), v,
                        List.of("token")))
                .orElse(ConfigKeys.DEFAULT_KUBERNETES_AUTH_PATH);
        TokenReviewer tokenReviewer = config.choice(ConfigKeys.TOKEN_REVIEWER_KEY, TokenReviewer.class)
                .orElse(TokenReviewer.REVIEWER_SERVICE_ACCOUNT);
        RequestSpecs.Checked specs = RequestSpecs.check(request, config, authMethods, kubernetesAuthPath);

        LayeredConfig resolved = versions(config);
        Backends.Choice choice = backends.choose(backendName, request.needsPods(), resolved,
                config.describe(ConfigKeys.BACKEND_KEY));
        Map<String, String> shape = choice.provider().shape(resolved);
        return TrustSettings.builder(choice.provider().name())
                .origin(request.origin())
                .backendShape(shape)
                .backendReason(choice.reason())
                .config(resolved)
                .vaultMode(vaultMode)
                .startupTimeout(startupTimeout)
                .kvPath(specs.kvPath())
                .authPath(specs.authPath())
                .defaultRole(specs.defaultRole())
                .roles(specs.roles())
                .policies(specs.policies())
                .serviceAccounts(specs.serviceAccounts())
                .namespaces(specs.namespaces())
                .authMethods(authMethods)
                .kubernetesAuthPath(kubernetesAuthPath)
                .tokenReviewer(tokenReviewer)
                .kubernetesRoles(specs.kubernetesRoles())
                .k3sOnly(config.choice(ConfigKeys.K3S_ONLY_KEY, FeaturePolicy.class).orElse(FeaturePolicy.SKIP))
                .keepOnFailure(config.flag(ConfigKeys.KEEP_ON_FAILURE_KEY, false))
                .build();
    }

    /**
     * Resolve the versions here, once, for every backend ({@code "1.33"} to {@code "1.33.13"}); backends read the
     * resolved values, messages still name what was written.
     */
    private static LayeredConfig versions(LayeredConfig config) {
        Optional<String> flavor = config.choice(ConfigKeys.VAULT_FLAVOR_KEY, VaultFlavor.class)
                .map(VaultFlavor::settingValue);
        boolean openBao = flavor.filter("openbao"::equals).isPresent();
        if (openBao && config.value(ConfigKeys.VAULT_VERSION_KEY).isPresent()) {
            throw new VaultK8sTrustConfigurationException(config.describe(ConfigKeys.VAULT_VERSION_KEY) + " with "
                    + config.describe(ConfigKeys.VAULT_FLAVOR_KEY) + ": the library knows no OpenBao versions, "
                    + "because it cannot build OpenBao (the Go module proxy refuses github.com/openbao/openbao) and "
                    + "downloads only HashiCorp releases. Leave the version unset and provide the bao you want: on the "
                    + "PATH or with " + ConfigKeys.LOCAL_VAULT_KEY + " (releases: https://github.com/openbao/openbao/releases)");
        }
        return config
                .withResolved(ConfigKeys.KUBERNETES_VERSION_KEY, version(config, ServerVersions.Product.KUBERNETES))
                .withResolved(ConfigKeys.VAULT_VERSION_KEY, openBao ? Optional.empty()
                        : version(config, ServerVersions.Product.VAULT))
                .withResolved(ConfigKeys.VAULT_FLAVOR_KEY, flavor);
    }

    private static Optional<String> version(LayeredConfig config, ServerVersions.Product product) {
        return config.value(product.key()).map(v -> ServerVersions.resolve(product, v, config.describe(product.key())));
    }

    private static Set<AuthMethod> authMethods(LayeredConfig config) {
        List<String> names = config.list(ConfigKeys.AUTH_METHODS_KEY);
        if (config.get(ConfigKeys.AUTH_METHODS_KEY).isPresent() && names.isEmpty()) {
            throw config.invalid(ConfigKeys.AUTH_METHODS_KEY, "is empty; accepted: jwt, kubernetes, comma separated");
        }
        if (names.isEmpty()) {
            return Set.of(AuthMethod.JWT);
        }
        Set<AuthMethod> methods = EnumSet.noneOf(AuthMethod.class);
        for (String name : names) {
            methods.add(Arrays.stream(AuthMethod.values()).filter(m -> m.vaultType().equalsIgnoreCase(name))
                    .findFirst().orElseThrow(() -> config.invalid(ConfigKeys.AUTH_METHODS_KEY,
                    "names \"" + name + "\"; accepted: jwt, kubernetes, comma separated")));
        }
        return methods;
    }

    private String backendName(LayeredConfig config, String value) {
        String name = value.toLowerCase(Locale.ROOT);
        if (!name.equals("auto") && backends.named(name).isEmpty()) {
            throw config.invalid(ConfigKeys.BACKEND_KEY, "is not valid; accepted: auto, "
                    + String.join(", ", backends.names()));
        }
        return name;
    }
}
