package io.github.vaultk8strust;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps "every configuration key is a constant on {@link ConfigKeys}" true. */
class ConfigKeysTest {

    private static final Pattern KEY_LITERAL = Pattern.compile("\"(vaultk8s\\.[a-z0-9.-]*)\"");

    @Test
    void noMainSourceSpellsAKeyOutsideConfigKeys() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            files.filter(f -> f.toString().endsWith(".java") && !f.endsWith(Path.of("io/github/vaultk8strust/ConfigKeys.java")))
                    .forEach(f -> {
                        Matcher m = KEY_LITERAL.matcher(read(f));
                        while (m.find()) {
                            found.add(f.getFileName() + ": " + m.group(1));
                        }
                    });
        }
        assertThat(found).as("configuration keys written as literals instead of ConfigKeys constants").isEmpty();
    }

    @Test
    void everyKeyConstantIsAVaultk8sKeyWithItsEnvironmentVariable() throws IllegalAccessException {
        List<String> keys = new ArrayList<>();
        for (Field field : ConfigKeys.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_KEY")) {
                keys.add((String) field.get(null));
            }
        }
        assertThat(keys).contains(ConfigKeys.MATRIX_UNAVAILABLE_KEY, ConfigKeys.BACKEND_KEY)
                .allMatch(k -> k.matches("vaultk8s(\\.[a-z0-9-]+)+"));
        assertThat(ConfigKeys.environmentVariable(ConfigKeys.MATRIX_UNAVAILABLE_KEY))
                .isEqualTo("VAULTK8S_MATRIX_UNAVAILABLE");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
