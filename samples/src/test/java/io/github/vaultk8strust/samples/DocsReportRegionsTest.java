package io.github.vaultk8strust.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Every time or memory figure in README.md, CONTRIBUTING.md and docs/*.md comes from a committed report: it is quoted
 * between {@code <!-- report: docs/reports/NAME.md -->} and {@code <!-- end report -->}, and each line quoted there
 * must be a line of that report, in the report's order. Outside such regions (and outside code) no measured figure may
 * appear: a decimal with a unit of time or memory, anything in ms or MiB/MB/GiB/GB, or "about N seconds/minutes".
 */
class DocsReportRegionsTest {

    private static final Pattern REGION = Pattern.compile("<!-- report: (\\S+) -->\\n(.*?)<!-- end report -->",
            Pattern.DOTALL);
    private static final Pattern FIGURE = Pattern.compile("(?i)"
            + "\\b\\d+\\.\\d+\\s?(?:ms|s|sec|seconds?|min|minutes?|h|hours?|MiB|MB|GiB|GB|KiB|kB)\\b"
            + "|\\b\\d+\\s?(?:ms|MiB|MB|GiB|GB)\\b"
            + "|(?:about|around|roughly|~|≈)\\s?\\d+\\s?(?:s|sec|seconds?|min|minutes?|h|hours?)\\b");

    @TestFactory
    Stream<DynamicTest> quotedFiguresAreLinesOfTheirReport() {
        return DocFiles.guide().stream().map(file -> DynamicTest.dynamicTest(DocFiles.name(file), () -> {
            String text = DocFiles.read(file);
            int markers = DocFiles.withoutCode(text).split("<!-- report:", -1).length - 1;
            int checked = checkRegions(DocFiles.name(file), text);
            assertThat(checked).as("report regions checked, out of the %d markers in %s (each needs its own "
                    + "<!-- end report -->)", markers, DocFiles.name(file)).isEqualTo(markers);
            if (markers > 0) {
                assertThat(checked).isPositive();
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> noMeasuredFigureOutsideARegion() {
        return DocFiles.guide().stream().map(file -> DynamicTest.dynamicTest(DocFiles.name(file), () ->
                assertThat(figuresOutsideRegions(DocFiles.read(file)))
                        .as("time or memory figures in %s outside <!-- report: ... --> regions: quote the report "
                                + "or link it", DocFiles.name(file)).isEmpty()));
    }

    @Test
    void theReadmeQuotesAReport() {
        assertThat(checkRegions("README.md", DocFiles.read(DocFiles.ROOT.resolve("README.md")))).isPositive();
    }

    @Test
    void aQuoteThatDriftedFromItsReportFails() {
        String report = firstQuotedReport();
        List<String> lines = DocFiles.read(DocFiles.ROOT.resolve(report)).lines().filter(l -> l.startsWith("|"))
                .toList();
        String faithful = "<!-- report: " + report + " -->\n" + lines.get(0) + "\n<!-- end report -->\n";
        String drifted = "<!-- report: " + report + " -->\n" + lines.get(0).replaceFirst("\\|", "| 9.9 ms")
                + "\n<!-- end report -->\n";

        assertThat(checkRegions("doc.md", faithful)).isEqualTo(1);
        assertThatThrownBy(() -> checkRegions("doc.md", drifted)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("9.9 ms");
    }

    @Test
    void linesOutOfTheReportsOrderFail() {
        String report = firstQuotedReport();
        List<String> lines = DocFiles.read(DocFiles.ROOT.resolve(report)).lines().filter(l -> !l.isBlank()).toList();
        String swapped = "<!-- report: " + report + " -->\n" + lines.get(1) + "\n" + lines.get(0)
                + "\n<!-- end report -->\n";

        assertThatThrownBy(() -> checkRegions("doc.md", swapped)).isInstanceOf(AssertionError.class);
    }

    @Test
    void aFigureOutsideARegionIsFound() {
        String text = """
                Starts in 2.9 s, logs in in 7 ms, takes about 4 seconds and 495 MiB.
                <!-- report: docs/reports/benchmark.md -->
                | (a) 2907 ms |
                <!-- end report -->
                A default of 120 seconds, a `1500ms` example, 5 shares, version 1.34.10.
                ```
                took 3.5 s
                ```
                """;

        assertThat(figuresOutsideRegions(text)).containsExactly("2.9 s", "7 ms", "about 4 seconds", "495 MiB");
    }

    /** Check every region of one file; return how many were checked. */
    static int checkRegions(String name, String text) {
        Matcher m = REGION.matcher(text);
        int checked = 0;
        while (m.find()) {
            Path report = DocFiles.ROOT.resolve(m.group(1)).normalize();
            assertThat(report.startsWith(DocFiles.ROOT.resolve("docs").resolve("reports")))
                    .as("%s: %s is not under docs/reports/", name, m.group(1)).isTrue();
            assertThat(Files.isRegularFile(report)).as("%s: report %s exists", name, m.group(1)).isTrue();
            List<String> quoted = m.group(2).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            assertThat(quoted).as("%s: the region quoting %s is empty", name, m.group(1)).isNotEmpty();
            List<String> source = DocFiles.read(report).lines().map(String::strip).toList();
            int at = 0;
            for (String line : quoted) {
                int found = source.subList(at, source.size()).indexOf(line);
                assertThat(found).as("%s: this line quoted from %s is not a line of it (after line %d):%n  %s",
                        name, m.group(1), at, line).isNotNegative();
                at += found + 1;
            }
            checked++;
        }
        return checked;
    }

    static List<String> figuresOutsideRegions(String text) {
        List<String> figures = new ArrayList<>();
        Matcher m = FIGURE.matcher(DocFiles.prose(DocFiles.blank(REGION, text)));
        while (m.find()) {
            figures.add(m.group());
        }
        return figures;
    }

    private static String firstQuotedReport() {
        Matcher m = REGION.matcher(DocFiles.read(DocFiles.ROOT.resolve("README.md")));
        assertThat(m.find()).as("README.md quotes a report").isTrue();
        return m.group(1);
    }
}
