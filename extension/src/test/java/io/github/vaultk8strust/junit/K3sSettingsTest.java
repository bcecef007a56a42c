package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.backend.k3s.K3sOptions;
import io.github.vaultk8strust.core.TrustSettings;
import io.github.vaultk8strust.core.TrustSettings.FeaturePolicy;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.backend.k3s.K3sContainerSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The k3s backend's settings: images and the k3s-only policy, through every configuration layer. */
class K3sSettingsTest {

    private final Map<String, String> config = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private record Resolved(String k3sImage, String vaultImage, List<String> systemImages, FeaturePolicy k3sOnly,
                            boolean privileged) {
    }

    private Resolved resolve(Class<?> fixture) {
        config.putIfAbsent("vaultk8s.backend", "k3s");
        TrustSettings settings = VaultK8sTrustExtension.resolve(fixture.getAnnotation(VaultK8sTrust.class), false,
                key -> Optional.ofNullable(config.get(key)), env::get, K3sSettingsTest.class.getClassLoader());
        K3sOptions options = K3sOptions.from(settings.config());
        return new Resolved(options.k3sImage(), options.vaultImage(), options.systemImages(), settings.k3sOnly(),
                options.privileged());
    }

    @VaultK8sTrust
    static class Defaults {
    }

    @VaultK8sTrust(k3sImage = "mirror.example.com:5000/rancher/k3s:v1.33.5-k3s1", vaultImage = "openbao/openbao:2.4.1")
    static class Images {
    }

    @VaultK8sTrust(vaultImage = "Not An Image!")
    static class BadImage {
    }

    @Test
    void defaultsAreTheWalkthroughImagesAndSkip() {
        Resolved k3s = resolve(Defaults.class);

        assertThat(k3s.k3sImage()).isEqualTo("rancher/k3s:v1.34.1-k3s1").isEqualTo(VaultK8sTrust.DEFAULT_K3S_IMAGE);
        assertThat(k3s.vaultImage()).isEqualTo("hashicorp/vault:1.20").isEqualTo(VaultK8sTrust.DEFAULT_VAULT_IMAGE);
        assertThat(k3s.systemImages()).isEqualTo(K3sContainerSpec.DEFAULT_SYSTEM_IMAGES)
                .contains("rancher/mirrored-pause:3.6");
        assertThat(k3s.k3sOnly()).isEqualTo(FeaturePolicy.SKIP);
    }

    @Test
    void keysAreTheDocumentedOnes() {
        assertThat(VaultK8sTrust.K3S_IMAGE_KEY).isEqualTo("vaultk8s.k3s.image");
        assertThat(VaultK8sTrust.K3S_VAULT_IMAGE_KEY).isEqualTo("vaultk8s.k3s.vault-image");
        assertThat(VaultK8sTrust.K3S_ONLY_KEY).isEqualTo("vaultk8s.k3s-only");
        assertThat(ConfigKeys.environmentVariable(VaultK8sTrust.K3S_VAULT_IMAGE_KEY))
                .isEqualTo("VAULTK8S_K3S_VAULT_IMAGE");
        assertThat(ConfigKeys.environmentVariable(VaultK8sTrust.K3S_ONLY_KEY)).isEqualTo("VAULTK8S_K3S_ONLY");
    }

    @Test
    void privilegedByDefaultAndSwitchable() {
        assertThat(resolve(Defaults.class).privileged()).isTrue();
        env.put("VAULTK8S_K3S_PRIVILEGED", "false");
        assertThat(resolve(Defaults.class).privileged()).isFalse();
        config.put("vaultk8s.k3s.privileged", "true");
        assertThat(resolve(Defaults.class).privileged()).isTrue();
    }

    @Test
    void systemImagesFollowTheK3sTag() {
        assertThat(resolve(Defaults.class).systemImages()).contains("rancher/mirrored-coredns-coredns:1.12.3");
        config.put("vaultk8s.k3s.image", "rancher/k3s:v1.99.0-k3s1");
        assertThat(resolve(Defaults.class).systemImages()).as("unknown tag: none side-loaded").isEmpty();
    }

    @Test
    void annotationBeatsConfigurationParameterBeatsEnvironment() {
        config.put("vaultk8s.k3s.image", "rancher/k3s:v1.32.9-k3s1");
        env.put("VAULTK8S_K3S_IMAGE", "rancher/k3s:v1.31.1-k3s1");
        env.put("VAULTK8S_K3S_VAULT_IMAGE", "hashicorp/vault:1.19");

        Resolved annotated = resolve(Images.class);
        assertThat(annotated.k3sImage()).isEqualTo("mirror.example.com:5000/rancher/k3s:v1.33.5-k3s1");
        assertThat(annotated.vaultImage()).isEqualTo("openbao/openbao:2.4.1");

        Resolved configured = resolve(Defaults.class);
        assertThat(configured.k3sImage()).isEqualTo("rancher/k3s:v1.32.9-k3s1");
        assertThat(configured.vaultImage()).isEqualTo("hashicorp/vault:1.19");
    }

    @Test
    void systemImagesAreAListOrNone() {
        config.put("vaultk8s.k3s.system-images", " rancher/mirrored-pause:3.6 , registry.local/coredns:1.2 ");
        assertThat(resolve(Defaults.class).systemImages())
                .containsExactly("rancher/mirrored-pause:3.6", "registry.local/coredns:1.2");

        config.put("vaultk8s.k3s.system-images", "NONE");
        assertThat(resolve(Defaults.class).systemImages()).isEmpty();
    }

    @Test
    void k3sOnlyAcceptsSkipAndFail() {
        env.put("VAULTK8S_K3S_ONLY", "FAIL");
        assertThat(resolve(Defaults.class).k3sOnly()).isEqualTo(FeaturePolicy.FAIL);

        config.put("vaultk8s.k3s-only", "maybe");
        assertThatThrownBy(() -> resolve(Defaults.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Configuration parameter vaultk8s.k3s-only = "
                        + "\"maybe\" is not valid; accepted: skip, fail");
    }

    @Test
    void rejectsAnImageNameWithTheAttributeAndAnExample() {
        assertThatThrownBy(() -> resolve(BadImage.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@VaultK8sTrust(vaultImage = \"Not An Image!\") is not an image name; use "
                        + "[registry/]repository[:tag][@digest], e.g. \"hashicorp/vault:1.20\" or "
                        + "\"mirror.example.com/hashicorp/vault:1.20\"");
    }

    @Test
    void imagesArePartOfTheSharingKey() {
        assertThat(resolve(Images.class)).isNotEqualTo(resolve(Defaults.class));
        config.put("vaultk8s.k3s.vault-image", "openbao/openbao:2.4.1");
        assertThat(resolve(Defaults.class).vaultImage()).isEqualTo(resolve(Images.class).vaultImage());
        assertThat(List.of(resolve(Defaults.class))).isEqualTo(List.of(resolve(Defaults.class)));
    }
}
