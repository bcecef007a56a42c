package io.github.vaultk8strust.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.junit.TrustMatrix;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration page lists every configuration key the library declares, with its environment variable's
 * mechanical name; and every {@code vaultk8s.*} key the user's guide names is one the library declares.
 */
class DocsConfigKeysTest {

    private static final Path CONFIGURATION = DocFiles.ROOT.resolve("docs").resolve("configuration.md");
    private static final Pattern KEY = Pattern.compile("vaultk8s(?:\\.[a-z0-9][a-z0-9-]*)+");

    @Test
    void everyDeclaredKeyIsDocumented() {
        String page = DocFiles.read(CONFIGURATION);
        List<String> missing = new ArrayList<>();
        for (String key : declaredKeys()) {
            if (!page.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertThat(missing).as("configuration keys declared in code but not in docs/configuration.md").isEmpty();
        assertThat(declaredKeys()).hasSizeGreaterThan(20);
    }

    @Test
    void environmentVariablesAreTheMechanicalNames() {
        assertThat(ConfigKeys.environmentVariable("vaultk8s.auth.kubernetes.token-reviewer"))
                .isEqualTo("VAULTK8S_AUTH_KUBERNETES_TOKEN_REVIEWER");
        String guide = String.join("\n", DocFiles.guide().stream().map(DocFiles::read).toList());
        Matcher m = Pattern.compile("VAULTK8S_[A-Z0-9_]+").matcher(guide);
        Set<String> variables = new TreeSet<>();
        declaredKeys().forEach(k -> variables.add(ConfigKeys.environmentVariable(k)));
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (!variables.contains(m.group())) {
                unknown.add(m.group());
            }
        }
        assertThat(unknown).as("environment variables named in the docs that belong to no declared key").isEmpty();
    }

    @Test
    void everyKeyTheGuideNamesIsDeclared() {
        Set<String> declared = declaredKeys();
        List<String> unknown = new ArrayList<>();
        for (Path file : DocFiles.guide()) {
            if (file.getFileName().toString().equals("CONTRIBUTING.md")) {
                continue; // names the benchmarks' own vaultk8s.bench.* properties
            }
            String text = DocFiles.read(file);
            Matcher m = KEY.matcher(text);
            while (m.find()) {
                String rest = text.substring(m.end());
                boolean pattern = rest.startsWith(".<") || rest.startsWith(".*");
                if (!pattern && !declared.contains(m.group())) {
                    unknown.add(DocFiles.name(file) + ": " + m.group());
                }
            }
        }
        assertThat(unknown).as("keys named in the docs that the library does not declare").isEmpty();
    }

    /** Every {@code *_KEY} string constant of ConfigKeys, @VaultK8sTrust and @TrustMatrix. */
    private static Set<String> declaredKeys() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> type : List.of(ConfigKeys.class, VaultK8sTrust.class, TrustMatrix.class)) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                        && field.getName().endsWith("_KEY")) {
                    try {
                        keys.add((String) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return keys;
    }
}
