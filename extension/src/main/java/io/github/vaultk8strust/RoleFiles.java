package io.github.vaultk8strust;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Read role files ({@link RoleFile}) from the class path or the file system and parse them, JSON or YAML, keeping the
 * line of each top-level key for messages. Every problem is a {@link VaultK8sTrustConfigurationException} that names
 * the file, and for a syntax error the line and column.
 */
final class RoleFiles {

    static final ObjectMapper JSON = mapper(new JsonFactory());
    static final ObjectMapper YAML = mapper(new YAMLFactory());
    private static final List<String> EXTENSIONS = RoleFile.EXTENSIONS;

    private RoleFiles() {
    }

    /** Return the class loader that class-path role files are read through when the code names none. */
    static ClassLoader contextClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : RoleFiles.class.getClassLoader();
    }

    /**
     * Read a role file from the class path, e.g. {@code "vault/roles/k8s-dev.json"} (a leading {@code /} is ignored).
     *
     * @throws VaultK8sTrustConfigurationException when it is missing (the message says where it was looked for), a
     *         directory, or not a JSON or YAML object of parameters (the message names the line)
     */
    static RoleFile resource(String resource, ClassLoader loader) {
        String path = strip(resource);
        URL url = loader.getResource(path);
        if (url == null || path.isEmpty()) {
            throw new VaultK8sTrustConfigurationException(missingResource(resource, path, loader, "file"));
        }
        if (path.endsWith("/") || isDirectory(url)) {
            throw new VaultK8sTrustConfigurationException(resource + " is a directory on the class path (" + url
                    + "); name one role file in it, or read the whole directory as a directory of role files");
        }
        return read(resource, true, "", url.toString(), fileName(path), () -> url.openStream());
    }

    /**
     * Read a role file, e.g. {@code Path.of("deploy/vault/roles/k8s-dev.json")} (relative to the working directory).
     *
     * @throws VaultK8sTrustConfigurationException when it is missing (the message names the absolute path), a
     *         directory, or not a JSON or YAML object of parameters (the message names the line)
     */
    static RoleFile file(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new VaultK8sTrustConfigurationException(file + " does not exist: no file " + absolute
                    + (file.isAbsolute() ? "" : " (relative to the working directory " + workingDirectory() + ")"));
        }
        if (Files.isDirectory(absolute)) {
            throw new VaultK8sTrustConfigurationException(file + " is a directory (" + absolute + "); name one role "
                    + "file in it, or read the whole directory as a directory of role files");
        }
        return read(file.toString(), false, "", absolute.toString(), fileName(absolute.getFileName().toString()),
                () -> Files.newInputStream(absolute));
    }

    /**
     * Read every role file ({@link #EXTENSIONS}; other files are skipped) of a class-path directory, e.g.
     * {@code "vault/roles"}, sorted by file name; when several class-path roots hold the directory, a file name is
     * read from the first root that has it. Sub-directories are not read.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing, holds no role file, or one of them
     *         cannot be read
     */
    static List<RoleFile> resourceDirectory(String directory, ClassLoader loader) {
        String path = strip(directory);
        String prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
        Map<String, RoleFile> files = new TreeMap<>();
        boolean found = false;
        try {
            Enumeration<URL> roots = loader.getResources(prefix.isEmpty() ? "" : prefix);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                found |= withPath(url, dir -> {
                    if (!Files.isDirectory(dir)) {
                        return false;
                    }
                    for (Path file : roleFilesIn(dir)) {
                        String name = file.getFileName().toString();
                        if (!files.containsKey(name)) {
                            String where = url.toString().endsWith("/") ? url + name : url + "/" + name;
                            files.put(name, read(directory, true, name, where, name, () -> Files.newInputStream(file)));
                        }
                    }
                    return true;
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list class-path directory " + directory, e);
        }
        if (!found) {
            throw new VaultK8sTrustConfigurationException(missingResource(directory, prefix, loader, "directory"));
        }
        if (files.isEmpty()) {
            throw new VaultK8sTrustConfigurationException(directory + " (on the class path) holds no role file: "
                    + "role files end in " + String.join(", ", EXTENSIONS));
        }
        return List.copyOf(files.values());
    }

    /**
     * Read every role file ({@link #EXTENSIONS}; other files are skipped) of a directory, sorted by file name.
     * Sub-directories are not read.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing, holds no role file, or one of them
     *         cannot be read
     */
    static List<RoleFile> directory(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new VaultK8sTrustConfigurationException(directory + " is not a directory: " + absolute
                    + (Files.exists(absolute) ? " is a file" : " does not exist")
                    + (directory.isAbsolute() ? "" : " (relative to the working directory " + workingDirectory() + ")"));
        }
        List<RoleFile> files = new ArrayList<>();
        try {
            for (Path file : roleFilesIn(absolute)) {
                String name = file.getFileName().toString();
                files.add(read(directory.toString(), false, name, file.toString(), name,
                        () -> Files.newInputStream(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list directory " + absolute, e);
        }
        if (files.isEmpty()) {
            throw new VaultK8sTrustConfigurationException(directory + " (" + absolute + ") holds no role file: role "
                    + "files end in " + String.join(", ", EXTENSIONS));
        }
        return List.copyOf(files);
    }

    /** Opens the file's bytes. */
    @FunctionalInterface
    private interface Source {
        InputStream open() throws IOException;
    }

    private static RoleFile read(String declared, boolean classPath, String entry, String location, String fileName,
                                 Source source) {
        byte[] content;
        try (InputStream in = source.open()) {
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read role file " + location, e);
        }
        String named = entry.isEmpty() ? declared : (declared.endsWith("/") ? declared : declared + "/") + entry;
        Parsed parsed = parse(named + " (" + location + ")", fileName, content);
        return new RoleFile(declared, classPath, entry, location, parsed.parameters, parsed.lines);
    }

    /** The parameters of one file and the line of each top-level key. */
    record Parsed(Map<String, Object> parameters, Map<String, Integer> lines) {
    }

    /**
     * Parse a role file's content; {@code where} names the file in messages, {@code fileName} says the format.
     *
     * @throws VaultK8sTrustConfigurationException naming the file, the line and the column of the problem
     */
    static Parsed parse(String where, String fileName, byte[] content) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        boolean json = lower.endsWith(".json");
        if (!json && !lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
            throw new VaultK8sTrustConfigurationException(where + ": a role file's name ends in "
                    + String.join(", ", EXTENSIONS) + " (JSON or YAML), not \"" + fileName + "\"");
        }
        String format = json ? "JSON" : "YAML";
        ObjectMapper mapper = json ? JSON : YAML;
        Map<String, Object> parameters = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        try (JsonParser parser = mapper.createParser(content)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new VaultK8sTrustConfigurationException(where + " is empty; a role file holds one " + format
                        + " object of role parameters, e.g. " + example(json));
            }
            if (token != JsonToken.START_OBJECT) {
                throw new VaultK8sTrustConfigurationException(where + " line " + line(parser) + ": a role file holds "
                        + "one " + format + " object of role parameters, e.g. " + example(json) + ", not "
                        + describe(token));
            }
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int line = line(parser);
                parser.nextToken();
                parameters.put(key, freeze(mapper.readValue(parser, Object.class)));
                lines.put(key, line);
            }
            if (token != JsonToken.END_OBJECT) {
                throw new VaultK8sTrustConfigurationException(where + " line " + line(parser) + ": not valid " + format
                        + ": the object of role parameters does not end here");
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new VaultK8sTrustConfigurationException(where + " line " + line(parser) + ": more follows the "
                        + "object of role parameters (" + describe(trailing) + "); a role file holds one object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr()
                    + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "");
            throw new VaultK8sTrustConfigurationException(where + position + ": not valid " + format + ": "
                    + e.getOriginalMessage().strip(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + where, e);
        }
        return new Parsed(Collections.unmodifiableMap(parameters), Collections.unmodifiableMap(lines));
    }

    private static String example(boolean json) {
        return json ? "{\"bound_audiences\": [\"vault\"], ...}" : "a mapping such as bound_audiences: [vault]";
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    /** Make a parsed value unmodifiable all the way down; maps keep their order. */
    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    private static ObjectMapper mapper(JsonFactory factory) {
        // A key given twice is a mistake in a role file (which one would Vault get?): refuse it, with its line.
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Numbers are sent back exactly as written: 0.10 stays 0.10.
        return new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    // ------------------------------------------------------------------ the class path and the file system

    private static String strip(String resource) {
        return resource.startsWith("/") ? resource.substring(1) : resource;
    }

    static String fileName(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
        return trimmed.substring(slash + 1);
    }

    private static String workingDirectory() {
        return Path.of("").toAbsolutePath().toString();
    }

    private static List<Path> roleFilesIn(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString()
                            .toLowerCase(Locale.ROOT).endsWith(e)))
                    .sorted().toList();
        }
    }

    private static boolean isDirectory(URL url) {
        try {
            return withPath(url, Files::isDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    /** Work on a class-path URL as a {@link Path}: a directory of classes, or an entry of a jar. */
    private interface PathWork {
        boolean apply(Path path) throws IOException;
    }

    private static boolean withPath(URL url, PathWork work) throws IOException {
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            return false;
        }
        if ("file".equals(uri.getScheme())) {
            return work.apply(Path.of(uri));
        }
        if ("jar".equals(uri.getScheme())) {
            FileSystem created = null;
            try {
                FileSystem fs;
                try {
                    fs = created = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return work.apply(fs.provider().getPath(uri));
            } finally {
                if (created != null) {
                    created.close();
                }
            }
        }
        return false;
    }

    /** Say that a resource is missing, where it was looked for, and what is there instead. */
    private static String missingResource(String resource, String path, ClassLoader loader, String kind) {
        Set<String> roots = new LinkedHashSet<>();
        try {
            Enumeration<URL> urls = loader.getResources("");
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                // The class path's directories (jars answer only with their multi-release folders: not helpful).
                if ("file".equals(url.getProtocol())) {
                    roots.add(pathOf(url));
                }
            }
        } catch (IOException e) {
            roots.add("(the class path's directories could not be listed: " + e + ")");
        }
        StringBuilder message = new StringBuilder(resource).append(" is not ")
                .append(kind.equals("file") ? "" : "a " + kind + " ").append("on the class path (looked in ")
                .append(roots.isEmpty() ? "the class path's jars" : String.join(", ", roots) + " and the class path's "
                        + "jars").append("); put the ").append(kind).append(" under src/test/resources/").append(path);
        String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/', path.length() - 2) + 1) : "";
        if (!parent.isEmpty()) {
            List<String> present = new ArrayList<>();
            try {
                URL dir = loader.getResource(parent);
                if (dir != null) {
                    withPath(dir, p -> {
                        if (Files.isDirectory(p)) {
                            roleFilesIn(p).forEach(f -> present.add(f.getFileName().toString()));
                        }
                        return true;
                    });
                    message.append(present.isEmpty() ? "; " + parent + " holds no role file"
                            : "; " + parent + " holds " + String.join(", ", present));
                }
            } catch (IOException e) {
                // Only a hint: leave it out.
            }
        }
        Path local = Path.of(path.isEmpty() ? "." : path);
        if (!path.isEmpty() && Files.exists(local)) {
            message.append("; ").append(local.toAbsolutePath().normalize()).append(" exists in the working directory: "
                    + "read a file outside the class path with fromFile/fromDirectory instead");
        }
        return message.toString();
    }

    private static String pathOf(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url.toString();
        }
    }
}
