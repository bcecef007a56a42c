package io.github.vaultk8strust.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.VaultPlacement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one typed settings reader: each type, and one message format for a value it cannot use. */
class BackendConfigTest {

    private static BackendConfig config(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    private static final String WHERE = "Configuration parameter vaultk8s.x (or environment variable VAULTK8S_X)";

    @Test
    void flagsAcceptTrueAndFalseInAnyCaseAndNothingElse() {
        assertThat(config(Map.of("vaultk8s.x", "TRUE")).flag("vaultk8s.x", false)).isTrue();
        assertThat(config(Map.of("vaultk8s.x", " false ")).flag("vaultk8s.x", true)).isFalse();
        assertThat(config(Map.of()).flag("vaultk8s.x", true)).isTrue();
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "yes")).flag("vaultk8s.x", true))
                .isInstanceOf(BackendConfigException.class)
                .hasMessage(WHERE + " = \"yes\" is not valid; accepted: true, false");
    }

    @Test
    void wholeNumbersHaveAMinimum() {
        assertThat(config(Map.of("vaultk8s.x", "4")).integer("vaultk8s.x", 1, 3)).isEqualTo(4);
        assertThat(config(Map.of()).integer("vaultk8s.x", 1, 3)).isEqualTo(3);
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "0")).integer("vaultk8s.x", 1, 3))
                .hasMessage(WHERE + " = \"0\" is not valid; use a whole number, 1 or more");
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "three")).integer("vaultk8s.x", 1, 3))
                .hasMessage(WHERE + " = \"three\" is not valid; use a whole number, 1 or more");
    }

    @Test
    void enumsAreReadByNameWithDashesAndNeverAsDefault() {
        assertThat(config(Map.of("vaultk8s.x", "In-Cluster")).choice("vaultk8s.x", VaultPlacement.class))
                .contains(VaultPlacement.IN_CLUSTER);
        assertThat(config(Map.of()).choice("vaultk8s.x", VaultPlacement.class)).isEmpty();
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "default")).choice("vaultk8s.x", VaultPlacement.class))
                .hasMessage(WHERE + " = \"default\" is not valid; accepted: in-cluster, process, container");
    }

    @Test
    void durationsInTheirForms() {
        BackendConfig c = config(Map.of("a", "90s", "b", "2m", "c", "1500ms", "d", "45", "e", "PT1H", "f", "1h"));
        assertThat(c.duration("a", Duration.ofSeconds(1))).contains(Duration.ofSeconds(90));
        assertThat(c.duration("b", Duration.ofSeconds(1))).contains(Duration.ofMinutes(2));
        assertThat(c.duration("c", Duration.ofSeconds(1))).contains(Duration.ofMillis(1500));
        assertThat(c.duration("d", Duration.ofSeconds(1))).contains(Duration.ofSeconds(45));
        assertThat(c.duration("e", Duration.ofSeconds(1))).contains(Duration.ofHours(1));
        assertThat(c.duration("f", Duration.ofSeconds(1))).contains(Duration.ofHours(1));
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "soon")).duration("vaultk8s.x", Duration.ofSeconds(1)))
                .hasMessageStartingWith(WHERE + " = \"soon\" is not a positive duration; use e.g. \"90s\"");
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "0s")).duration("vaultk8s.x", Duration.ofSeconds(1)))
                .hasMessageContaining("is not a positive duration");
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "500ms")).duration("vaultk8s.x", Duration.ofSeconds(1)))
                .hasMessage(WHERE + " = \"500ms\" is below the minimum of 1 s");
    }

    @Test
    void imagesAndListsOfImages() {
        assertThat(config(Map.of()).image("vaultk8s.x", "hashicorp/vault:1.21")).isEqualTo("hashicorp/vault:1.21");
        assertThat(config(Map.of("vaultk8s.x", "mirror.example.com:5000/hashicorp/vault:1.20"))
                .image("vaultk8s.x", "d")).isEqualTo("mirror.example.com:5000/hashicorp/vault:1.20");
        assertThatThrownBy(() -> config(Map.of("vaultk8s.x", "Not An Image")).image("vaultk8s.x", "hashicorp/vault:1"))
                .hasMessageStartingWith(WHERE + " = \"Not An Image\" is not an image name; use ");
        BackendConfig list = config(Map.of("vaultk8s.x", "a:1, ,b:2,"));
        assertThat(list.list("vaultk8s.x")).containsExactly("a:1", "b:2");
        assertThatThrownBy(() -> list.checkImage("vaultk8s.x", "B:2", "a:1"))
                .hasMessageStartingWith(WHERE + " = \"a:1, ,b:2,\" names \"B:2\", which is not an image name");
    }

    @Test
    void aConfigurationThatKnowsItsLayersNamesThemInTheSameFormat() {
        BackendConfig layered = new BackendConfig() {
            @Override
            public Optional<String> get(String key) {
                return Optional.of("maybe");
            }

            @Override
            public String describe(String key) {
                return "@VaultK8sTrust(x = \"maybe\")";
            }
        };
        assertThatThrownBy(() -> layered.flag("vaultk8s.x", true))
                .hasMessage("@VaultK8sTrust(x = \"maybe\") is not valid; accepted: true, false");
    }
}
