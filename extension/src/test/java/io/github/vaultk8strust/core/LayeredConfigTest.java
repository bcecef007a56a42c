package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import io.github.vaultk8strust.VaultPlacement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Layering of sources (code, configuration, environment) and messages that name what the builder's user wrote, not
 * the annotation they did not use. (The annotation's messages are checked in the junit package's settings tests.)
 */
class LayeredConfigTest {

    private final Map<String, String> env = new HashMap<>();

    private LayeredConfig config(TrustEnvironmentBuilder builder) {
        return LayeredConfig.of(builder.request(), env::get);
    }

    private TrustSettings resolve(TrustEnvironmentBuilder builder) {
        return new SettingsResolver(env::get, Backends.installed()).resolve(builder.request());
    }

    private String misuse(TrustEnvironmentBuilder builder) {
        try {
            resolve(builder);
        } catch (VaultK8sTrustConfigurationException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void codeWinsOverConfigurationWhichWinsOverTheEnvironment() {
        env.put("VAULTK8S_K3S_IMAGE", "from/env:1");
        Map<String, String> properties = new HashMap<>(Map.of(ConfigKeys.K3S_IMAGE_KEY, "from/config:1"));
        TrustEnvironmentBuilder builder = TrustEnvironment.builder()
                .configuration(k -> Optional.ofNullable(properties.get(k)));
        assertThat(config(builder).get(ConfigKeys.K3S_IMAGE_KEY)).contains("from/config:1");
        assertThat(config(builder.k3sImage("from/code:1")).get(ConfigKeys.K3S_IMAGE_KEY)).contains("from/code:1");
        properties.clear();
        assertThat(config(TrustEnvironment.builder().configuration(k -> Optional.empty()))
                .get(ConfigKeys.K3S_IMAGE_KEY)).contains("from/env:1");
    }

    @Test
    void describeNamesTheLayerThatAnswered() {
        assertThat(config(TrustEnvironment.builder().k3sImage("a/b:1")).describe(ConfigKeys.K3S_IMAGE_KEY))
                .isEqualTo("TrustEnvironment.builder().k3sImage(\"a/b:1\")");
        assertThat(config(TrustEnvironment.builder().setting(ConfigKeys.K3S_SYSTEM_IMAGES_KEY, "none"))
                .describe(ConfigKeys.K3S_SYSTEM_IMAGES_KEY))
                .isEqualTo("TrustEnvironment.builder().setting(\"vaultk8s.k3s.system-images\", \"none\")");
        assertThat(config(TrustEnvironment.builder().vaultPlacement(VaultPlacement.IN_CLUSTER))
                .describe(ConfigKeys.VAULT_PLACEMENT_KEY))
                .isEqualTo("TrustEnvironment.builder().vaultPlacement(VaultPlacement.IN_CLUSTER)");
        assertThat(config(TrustEnvironment.builder().configuration(k -> Optional.of("x")))
                .describe(ConfigKeys.BACKEND_KEY)).isEqualTo("Configuration key vaultk8s.backend (from "
                + "TrustEnvironment.builder().configuration(...)) = \"x\"");
        env.put("VAULTK8S_BACKEND", " lokal ");
        assertThat(config(TrustEnvironment.builder().configuration(k -> Optional.empty()))
                .describe(ConfigKeys.BACKEND_KEY)).isEqualTo("Environment variable VAULTK8S_BACKEND = \"lokal\"");
        env.clear();
        assertThat(config(TrustEnvironment.builder().configuration(k -> Optional.empty()))
                .describe(ConfigKeys.BACKEND_KEY)).isEqualTo("Configuration key vaultk8s.backend (from "
                + "TrustEnvironment.builder().configuration(...)) (or environment variable VAULTK8S_BACKEND)");
    }

    @Test
    void builderMisuseNamesTheBuilderCall() {
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).kvPath("sys")))
                .startsWith("TrustEnvironment.builder().kvPath(\"sys\") is not a usable mount path");
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).startupTimeout(Duration.ofMillis(10))))
                .isEqualTo("TrustEnvironment.builder().startupTimeout(Duration.parse(\"PT0.01S\")) is below the "
                        + "minimum of 1 s");
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).role(RoleSpec.builder("reader")
                .boundSubject("system:serviceaccount:apps:reader").ttl("1 hour").build())))
                .startsWith("RoleSpec.builder(\"reader\").ttl(\"1 hour\") is not a Vault duration");
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).role(RoleSpec.builder("reader")
                .boundSubject("system:serviceaccount:apps:reader").policies("missing").build())))
                .contains("RoleSpec.builder(\"reader\").policies(\"missing\"): no policy named \"missing\"")
                .contains("Declare it: TrustEnvironment.builder().policy(\"missing\", \"<hcl>\")")
                .doesNotContain("@");
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).seedScenario(false)))
                .isEqualTo("TrustEnvironment.builder().defaultRole(\"k8s-dev\") names no configured role; configured "
                        + "roles: []. Name one of them, or use TrustEnvironment.builder().defaultRole(\"\") for none.");
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).kubernetesRole(
                KubernetesRoleSpec.builder("kr").boundServiceAccount("apps", "reader").build())))
                .startsWith("KubernetesRoleSpec.builder(\"kr\"): 1 kubernetes role(s), but the kubernetes auth method "
                        + "is not enabled")
                .contains("e.g. TrustEnvironment.builder().authMethods(AuthMethod.JWT, AuthMethod.KUBERNETES)");
    }

    @Test
    void enumArraysAreWrittenAsTheAttributeTakesThem() {
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).authMethods(AuthMethod.KUBERNETES)
                .role(RoleSpec.builder("r").boundSubject("system:serviceaccount:a:b").build())))
                .contains("the jwt auth method is not enabled (TrustEnvironment.builder().authMethods("
                        + "AuthMethod.KUBERNETES))");
    }

    @Test
    void builderSettingsReadThroughTheBackendNameTheBuilderToo() {
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).vaultPlacement(VaultPlacement.IN_CLUSTER)))
                .startsWith("TrustEnvironment.builder().vaultPlacement(VaultPlacement.IN_CLUSTER) needs a cluster "
                        + "that runs pods");
        assertThat(misuse(TrustEnvironment.builder().backend(Backend.LOCAL).kubernetesVersion("1.99")))
                .startsWith("TrustEnvironment.builder().kubernetesVersion(\"1.99\"): kubernetes 1.99 is not a known "
                        + "minor.");
    }

    @Test
    void resolvedValuesStandInForWrittenOnesButMessagesNameWhatWasWritten() {
        LayeredConfig config = config(TrustEnvironment.builder().kubernetesVersion("1.33"))
                .withResolved(ConfigKeys.KUBERNETES_VERSION_KEY, Optional.of("1.33.13"));
        assertThat(config.get(ConfigKeys.KUBERNETES_VERSION_KEY)).contains("1.33.13");
        assertThat(config.describe(ConfigKeys.KUBERNETES_VERSION_KEY))
                .isEqualTo("TrustEnvironment.builder().kubernetesVersion(\"1.33\")");
    }
}
