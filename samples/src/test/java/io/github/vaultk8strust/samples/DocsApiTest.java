package io.github.vaultk8strust.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.TrustEnvironmentBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README lists every method of {@code TrustEnvironment}; docs/configuration.md every builder method. */
class DocsApiTest {

    @Test
    void theReadmeListsEveryTrustEnvironmentMethod() {
        String readme = DocFiles.read(DocFiles.ROOT.resolve("README.md"));

        assertThat(unlisted(TrustEnvironment.class, readme)).as("TrustEnvironment methods missing from README.md")
                .isEmpty();
    }

    @Test
    void theConfigurationPageListsEveryBuilderMethod() {
        String page = DocFiles.read(DocFiles.ROOT.resolve("docs").resolve("configuration.md"));

        assertThat(unlisted(TrustEnvironmentBuilder.class, page))
                .as("TrustEnvironment.builder() methods missing from docs/configuration.md").isEmpty();
    }

    @Test
    void aMissingMethodIsFound() {
        assertThat(unlisted(TrustEnvironment.class, "`issuer()`, `caPem()`")).contains("vaultAddress", "startWorkload")
                .doesNotContain("issuer", "caPem");
    }

    /** Public methods (of the type itself) whose name does not appear in the text as {@code `name(}. */
    private static Set<String> unlisted(Class<?> type, String text) {
        List<Method> methods = Arrays.stream(type.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .filter(m -> !m.isSynthetic()).toList();
        assertThat(methods).isNotEmpty();
        Set<String> missing = new TreeSet<>();
        for (Method method : methods) {
            String name = method.getName();
            boolean listed = text.contains("`" + name + "(") || text.contains("." + name + "(");
            if (!listed) {
                missing.add(name);
            }
        }
        return missing;
    }
}
