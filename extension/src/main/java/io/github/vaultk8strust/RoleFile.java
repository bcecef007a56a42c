package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * A role definition kept as a file: the JSON (or YAML, with the same keys) object of parameters that
 * {@code vault write auth/<path>/role/<name> @role.json} sends, that Terraform's {@code vault_jwt_auth_backend_role}
 * writes, that a team keeps beside its deployment. The environment sends {@link #parameters()} to Vault as they are;
 * only the role's name comes from the file name (without its extension) or from the code that names it.
 *
 * <p>Read one with {@link #resource(String, ClassLoader)} or {@link #file(Path)}, a directory of them with
 * {@link #resourceDirectory(String, ClassLoader)} or {@link #directory(Path)}; {@code RoleSpec.fromResource(...)},
 * {@code KubernetesRoleSpec.fromFile(...)} and {@code @JwtRole(resource = ...)} do that for you. A file that is
 * missing, not valid JSON or YAML (the message names the line), not one object, or given a key twice is refused
 * with {@link VaultK8sTrustConfigurationException} before anything starts.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RoleFile {

    /** The file name endings read as role files, and in a directory the only files read. */
    public static final List<String> EXTENSIONS = List.of(".json", ".yaml", ".yml");

    private final String declared;
    private final boolean classPath;
    private final String entry;
    private final String location;
    private final Map<String, Object> parameters;
    private final Map<String, Integer> lines;

    RoleFile(String declared, boolean classPath, String entry, String location, Map<String, Object> parameters,
                     Map<String, Integer> lines) {
        this.declared = declared;
        this.classPath = classPath;
        this.entry = entry;
        this.location = location;
        this.parameters = parameters;
        this.lines = lines;
    }

    /**
     * Read a role file from the class path, e.g. {@code "vault/roles/k8s-dev.json"} (a leading {@code /} is ignored).
     *
     * @throws VaultK8sTrustConfigurationException when it is missing (the message says where it was looked for), a
     *         directory, or not a JSON or YAML object of parameters (the message names the line)
     */
    public static RoleFile resource(String resource, ClassLoader loader) {
        return RoleFiles.resource(Objects.requireNonNull(resource, "resource"), Objects.requireNonNull(loader, "loader"));
    }

    /**
     * Read a role file, e.g. {@code Path.of("deploy/vault/roles/k8s-dev.json")} (relative to the working directory).
     *
     * @throws VaultK8sTrustConfigurationException when it is missing (the message names the absolute path), a
     *         directory, or not a JSON or YAML object of parameters (the message names the line)
     */
    public static RoleFile file(Path file) {
        return RoleFiles.file(Objects.requireNonNull(file, "file"));
    }

    /**
     * Read every role file ({@link #EXTENSIONS}; other files are skipped) of a class-path directory, e.g.
     * {@code "vault/roles"}, sorted by file name; when several class-path roots hold the directory, a file name is
     * read from the first root that has it. Sub-directories are not read.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing, holds no role file, or one of them
     *         cannot be read
     */
    public static List<RoleFile> resourceDirectory(String directory, ClassLoader loader) {
        return RoleFiles.resourceDirectory(Objects.requireNonNull(directory, "directory"),
                Objects.requireNonNull(loader, "loader"));
    }

    /**
     * Read every role file ({@link #EXTENSIONS}; other files are skipped) of a directory, sorted by file name.
     * Sub-directories are not read.
     *
     * @throws VaultK8sTrustConfigurationException when the directory is missing, holds no role file, or one of them
     *         cannot be read
     */
    public static List<RoleFile> directory(Path directory) {
        return RoleFiles.directory(Objects.requireNonNull(directory, "directory"));
    }

    /** Return the parameters as the file gives them, in its order: what is sent to Vault. Unmodifiable. */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /** Return the line of the file on which a top-level key is given, if it is. */
    public OptionalInt line(String key) {
        Integer line = lines.get(key);
        return line == null ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** Return the file's name, e.g. {@code k8s-dev.json}. */
    public String fileName() {
        return RoleFiles.fileName(entry.isEmpty() ? declared : entry);
    }

    /** Return the role name the file gives when nothing else names it: its name without the extension. */
    public String roleName() {
        String name = fileName();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Return whether the file was read from the class path (else from the file system). */
    public boolean classPath() {
        return classPath;
    }

    /** Return the resource or path as the code gave it: the file, or for a file of a directory the directory. */
    public String declared() {
        return declared;
    }

    /** Return the file's name within the directory it was read from, or an empty string when it was named itself. */
    public String directoryEntry() {
        return entry;
    }

    /** Return where it was read from: a URL for a class-path resource, an absolute path for a file. */
    public String location() {
        return location;
    }

    /** Return the file as the user would name it: {@code vault/roles/k8s-dev.json}, or its path. */
    public String describe() {
        if (entry.isEmpty()) {
            return declared;
        }
        return declared.endsWith("/") ? declared + entry : declared + "/" + entry;
    }

    /** Return the file and the line of a key in it, e.g. {@code vault/roles/k8s-dev.json line 4}. */
    public String where(String key) {
        OptionalInt line = line(key);
        return describe() + (line.isPresent() ? " line " + line.getAsInt() : "");
    }

    /** Compare by the file as named and its content (not where the class path found it). */
    @Override
    public boolean equals(Object other) {
        return other instanceof RoleFile that && declared.equals(that.declared) && classPath == that.classPath
                && entry.equals(that.entry) && parameters.equals(that.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(declared, classPath, entry, parameters);
    }

    @Override
    public String toString() {
        return "RoleFile[" + describe() + ", keys " + parameters.keySet() + "]";
    }

    // ------------------------------------------------------------------ the view the rest of the library reads

    /** Return whether the file sets the key (to anything but {@code null}). */
    boolean has(String key) {
        return parameters.get(key) != null;
    }

    /** Return a value as text: a string as it is, a number or boolean as written, absent as {@code ""}. */
    String text(String key) {
        Object value = parameters.get(key);
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return scalar(value);
    }

    /** Return a list value the way Vault reads one: a list, or a comma-separated string; absent is empty. */
    List<String> list(String key) {
        return asList(parameters.get(key));
    }

    /** Return a map of claim to accepted values ({@code bound_claims}): a value is a list or one value. */
    Map<String, List<String>> claims(String key) {
        Map<String, List<String>> claims = new LinkedHashMap<>();
        if (parameters.get(key) instanceof Map<?, ?> map) {
            map.forEach((claim, value) -> claims.put(String.valueOf(claim), value instanceof List<?> list
                    ? list.stream().map(RoleFile::scalar).toList() : value == null ? List.of() : List.of(scalar(value))));
        }
        return claims;
    }

    /** Return a map of strings ({@code claim_mappings}). */
    Map<String, String> strings(String key) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (parameters.get(key) instanceof Map<?, ?> map) {
            map.forEach((k, v) -> strings.put(String.valueOf(k), v == null ? "" : scalar(v)));
        }
        return strings;
    }

    /** Return the policies a login gets: {@code token_policies}, else the older {@code policies} (Vault's rule). */
    List<String> policies() {
        return has("token_policies") ? list("token_policies") : list("policies");
    }

    /** Return the key that names the policies: {@code token_policies}, else {@code policies}. */
    String policiesKey() {
        return has("token_policies") ? "token_policies" : "policies";
    }

    /** Return the token TTL as written: {@code token_ttl}, else the older {@code ttl}; empty when neither is set. */
    String ttl() {
        return has("token_ttl") ? text("token_ttl") : text("ttl");
    }

    private static List<String> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(Objects::nonNull).map(RoleFile::scalar).map(String::strip).toList();
        }
        if (value instanceof String text) {
            return Stream.of(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return List.of(scalar(value));
    }

    private static String scalar(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return RoleFiles.JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return String.valueOf(value);
    }

}
