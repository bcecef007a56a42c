package io.github.vaultk8strust.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The documentation files the docs checks read, relative to the repository root, and small markdown helpers. */
final class DocFiles {

    /** The repository root: the samples module runs with its own directory as the working directory. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```[ \\t]*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");

    private DocFiles() {
    }

    /** README.md, CONTRIBUTING.md and docs/*.md: the user's guide, where snippets and report quotes live. */
    static List<Path> guide() {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
        files.addAll(markdownIn(ROOT.resolve("docs")));
        return files;
    }

    /** The guide plus docs/reports/*.md: every file whose links must work. */
    static List<Path> all() {
        List<Path> files = new ArrayList<>(guide());
        files.addAll(markdownIn(ROOT.resolve("docs").resolve("reports")));
        return files;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String name(Path file) {
        return ROOT.relativize(file).toString();
    }

    /** The text with fenced code blocks, inline code and HTML comments blanked out, line breaks kept. */
    static String prose(String markdown) {
        return blank(INLINE_CODE, blank(COMMENT, blank(FENCE, markdown)));
    }

    /** The text with fenced code blocks and inline code blanked out (HTML comments kept), line breaks kept. */
    static String withoutCode(String markdown) {
        return blank(INLINE_CODE, blank(FENCE, markdown));
    }

    /** The text with fenced code blocks blanked out, line breaks kept. */
    static String withoutFences(String markdown) {
        return blank(FENCE, markdown);
    }

    static String blank(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group().replaceAll("[^\\n]", " ")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Path> markdownIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".md") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
