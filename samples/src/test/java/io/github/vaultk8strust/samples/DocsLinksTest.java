package io.github.vaultk8strust.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every relative link in README.md, CONTRIBUTING.md and docs/ points to a file of this repository and, with a
 * {@code #anchor}, to a heading of that markdown file (GitHub's anchors: lower case, punctuation dropped, blanks to
 * {@code -}, {@code -1}, {@code -2} for repeats).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}[ \\t]+(.+?)[ \\t#]*$");

    @TestFactory
    Stream<DynamicTest> everyRelativeLinkResolves() {
        return DocFiles.all().stream().map(file -> DynamicTest.dynamicTest(DocFiles.name(file), () ->
                assertThat(deadLinks(file, DocFiles.read(file))).as("dead links in %s", DocFiles.name(file))
                        .isEmpty()));
    }

    @Test
    void theDocsLinkToEachOther() {
        long relative = DocFiles.guide().stream().mapToLong(f -> links(DocFiles.read(f)).stream()
                .filter(DocsLinksTest::isRelative).count()).sum();
        assertThat(relative).as("relative links checked in README.md, CONTRIBUTING.md and docs/*.md")
                .isGreaterThan(50);
    }

    @Test
    void aDeadFileOrAnchorIsFound() {
        Path readme = DocFiles.ROOT.resolve("README.md");
        String text = "[gone](docs/no-such-file.md), [bad anchor](docs/configuration.md#no-such-heading), "
                + "[fine](docs/configuration.md#misuse), [web](https://example.org/x.md), `[code](nowhere.md)`";

        assertThat(deadLinks(readme, text)).containsExactly("docs/no-such-file.md (no such file)",
                "docs/configuration.md#no-such-heading (no such heading)");
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(anchors("# Both ways: `jwt` and `kubernetes`\n## Misuse\n## Misuse\n## Which k3s tests run where"))
                .containsExactly("both-ways-jwt-and-kubernetes", "misuse", "misuse-1", "which-k3s-tests-run-where");
    }

    static List<String> deadLinks(Path file, String text) {
        List<String> dead = new ArrayList<>();
        for (String link : links(text)) {
            if (!isRelative(link)) {
                continue;
            }
            int hash = link.indexOf('#');
            String path = hash < 0 ? link : link.substring(0, hash);
            String anchor = hash < 0 ? "" : link.substring(hash + 1);
            Path target = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
            if (!target.startsWith(DocFiles.ROOT) || !Files.exists(target)) {
                dead.add(link + " (no such file)");
            } else if (!anchor.isEmpty() && !(target.toString().endsWith(".md")
                    && anchors(path.isEmpty() ? text : DocFiles.read(target)).contains(anchor))) {
                dead.add(link + " (no such heading)");
            }
        }
        return dead;
    }

    private static List<String> links(String text) {
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(DocFiles.prose(text));
        while (m.find()) {
            links.add(m.group(1));
        }
        return links;
    }

    private static boolean isRelative(String link) {
        return !link.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }

    static Set<String> anchors(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(DocFiles.withoutFences(markdown));
        while (m.find()) {
            String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }
}
