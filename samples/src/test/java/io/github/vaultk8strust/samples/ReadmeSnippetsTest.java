package io.github.vaultk8strust.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README honest: every code block marked {@code <!-- snippet: FILE#TAG -->} must equal, line for line,
 * the region between {@code // tag::TAG[]} and {@code // end::TAG[]} of that file, which this build compiles and
 * runs.
 */
class ReadmeSnippetsTest {

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\s*```\\w*\\n(.*?)```",
            Pattern.DOTALL);

    @Test
    void readmeQuotesTheSamplesVerbatim() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = MARKER.matcher(readme);
        int checked = 0;
        while (m.find()) {
            List<String> quoted = m.group(3).lines().map(String::stripTrailing).toList();
            assertThat(quoted).as("README snippet %s#%s", m.group(1), m.group(2))
                    .isEqualTo(region(root.resolve(m.group(1)), m.group(2)));
            checked++;
        }
        // A marker the pattern does not recognise (text between it and the code fence, say) must not pass unchecked.
        int markers = readme.split("<!-- snippet:", -1).length - 1;
        assertThat(checked).as("snippets checked, out of the markers in README.md").isPositive().isEqualTo(markers);
    }

    private static List<String> region(Path file, String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(file)) {
            if (line.contains("// end::" + tag + "[]")) {
                return lines;
            }
            if (inside) {
                lines.add(line.stripTrailing());
            }
            if (line.contains("// tag::" + tag + "[]")) {
                inside = true;
            }
        }
        throw new AssertionError("No region " + tag + " in " + file);
    }
}
