package io.github.vaultk8strust.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the docs honest: in README.md, CONTRIBUTING.md and docs/*.md every code block marked
 * {@code <!-- snippet: FILE#TAG -->} must equal, line for line, the region between {@code // tag::TAG[]} and
 * {@code // end::TAG[]} of that file, which this build compiles and runs; and every {@code java} code block must be
 * such a quote.
 */
class ReadmeSnippetsTest {

    private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\s*```\\w*\\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern JAVA_FENCE = Pattern.compile("(?m)^```java[ \\t]*$");
    private static final Pattern MARKER_BEFORE = Pattern.compile("<!-- snippet: \\S+#\\S+ -->\\s*\\z");

    @TestFactory
    Stream<DynamicTest> everyDocQuotesTheSamplesVerbatim() {
        return DocFiles.guide().stream().map(file -> DynamicTest.dynamicTest(DocFiles.name(file), () -> {
            String text = DocFiles.read(file);
            int markers = DocFiles.withoutCode(text).split("<!-- snippet:", -1).length - 1;
            int checked = checkSnippets(DocFiles.name(file), text);
            // A marker the pattern does not recognise (text between it and the code fence, say) must not pass unchecked.
            assertThat(checked).as("snippets checked, out of the %d markers in %s", markers, DocFiles.name(file))
                    .isEqualTo(markers);
            if (markers > 0) {
                assertThat(checked).as("snippets checked in %s", DocFiles.name(file)).isPositive();
            }
            checkJavaBlocksAreQuotes(DocFiles.name(file), text);
        }));
    }

    @Test
    void theReadmeAndTheDocsQuoteSamples() {
        assertThat(checkSnippets("README.md", DocFiles.read(DocFiles.ROOT.resolve("README.md")))).isPositive();
        int total = DocFiles.guide().stream().mapToInt(f -> checkSnippets(DocFiles.name(f), DocFiles.read(f))).sum();
        assertThat(total).as("snippets quoted in README.md, CONTRIBUTING.md and docs/*.md").isGreaterThanOrEqualTo(10);
    }

    @Test
    void aQuoteThatDriftedFromItsSampleFails() {
        String readme = DocFiles.read(DocFiles.ROOT.resolve("README.md"));
        String drifted = readme.replaceFirst("(<!-- snippet: \\S+ -->\\s*```java\\n(?:.*\\n){3})", "$1// drifted\n");
        assertThat(drifted).isNotEqualTo(readme);

        assertThatThrownBy(() -> checkSnippets("README.md (drifted)", drifted)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("// drifted");
    }

    @Test
    void aJavaBlockWithoutAMarkerFails() {
        String text = "Some prose.\n\n```java\nclass NotFromTheSamples {}\n```\n";

        assertThatThrownBy(() -> checkJavaBlocksAreQuotes("doc.md", text)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("doc.md").hasMessageContaining("line 3");
    }

    /** Check every marked quote of one file; return how many were checked. */
    static int checkSnippets(String name, String text) {
        Matcher m = MARKER.matcher(text);
        int checked = 0;
        while (m.find()) {
            List<String> quoted = m.group(3).lines().map(String::stripTrailing).toList();
            assertThat(quoted).as("%s: snippet %s#%s", name, m.group(1), m.group(2))
                    .isEqualTo(region(DocFiles.ROOT.resolve(m.group(1)), m.group(2)));
            checked++;
        }
        return checked;
    }

    /** A {@code java} block is documentation only when it is a checked quote of a sample. */
    static void checkJavaBlocksAreQuotes(String name, String text) {
        Matcher fence = JAVA_FENCE.matcher(text);
        List<String> unmarked = new ArrayList<>();
        while (fence.find()) {
            if (!MARKER_BEFORE.matcher(text.substring(0, fence.start())).find()) {
                unmarked.add("line " + (text.substring(0, fence.start()).split("\n", -1).length));
            }
        }
        assertThat(unmarked).as("%s: java code blocks without a <!-- snippet: FILE#TAG --> marker right before them "
                + "(quote a sample instead)", name).isEmpty();
    }

    private static List<String> region(Path file, String tag) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        List<String> all;
        try {
            all = Files.readAllLines(file);
        } catch (IOException e) {
            throw new AssertionError("Cannot read " + file + ", quoted by a snippet marker", e);
        }
        for (String line : all) {
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
