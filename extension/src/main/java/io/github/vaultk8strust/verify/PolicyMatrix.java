package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DynamicTest;

/**
 * A policy matrix: which role may, or may not, do what on which path, as a CSV table, run as one dynamic test
 * per row against the real environment.
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> policyMatrix(TrustEnvironment environment) {
 *     return PolicyMatrix.fromResource("policy-matrix.csv").tests(environment);
 * }
 * }</pre>
 *
 * <h2>File format</h2>
 * UTF-8 text; lines that are blank or start with {@code #} are ignored. The first other line is the header
 * {@code role,path,capability,expected}; every further line is one row of four comma-separated fields, blanks
 * around fields ignored, no quoting (Vault paths contain no commas):
 * <pre>
 * role,    path,                       capability, expected
 * k8s-dev, kvv2/data/k8s-dev/foo,      read,       allow
 * k8s-dev, kvv2/data/other,            update,     deny
 * k8s-dev, kvv2/metadata/k8s-dev/,     list,       allow
 * </pre>
 * <ul>
 *   <li>{@code role}: a role of the environment ({@code @JwtRole} or the seed's {@code k8s-dev}); each row logs in
 *       with a fresh service-account token for the service account the role binds, one login per role.</li>
 *   <li>{@code path}: the API path, as a policy names it (KV version 2: {@code <mount>/data/...} or
 *       {@code <mount>/metadata/...}).</li>
 *   <li>{@code capability}: one of {@code create, read, update, patch, delete, list, sudo}.</li>
 *   <li>{@code expected}: {@code allow} or {@code deny}.</li>
 * </ul>
 * Each row is checked as {@link SessionAssert} checks it: {@code sys/capabilities-self}, plus a real request where
 * that changes no secret. To test production policies, load their HCL with
 * {@code @VaultPolicy(name = ..., resource = "policies/prod.hcl")} and bind them to roles.
 *
 * <p>Bad input fails loudly: a malformed row names the file and line, an unknown capability or role lists the
 * valid ones, and a matrix without rows is an error, never a green run with zero tests.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PolicyMatrix {

    /** The header line, field names in this order. */
    public static final List<String> HEADER = List.of("role", "path", "capability", "expected");

    /** One row: the expectation and where it was written. */
    public record Row(String role, String path, Capability capability, boolean allowed, int line) {

        /** Return the test name, e.g. {@code k8s-dev may read kvv2/data/k8s-dev/foo}. */
        public String displayName() {
            return CapabilityProbe.describe(role, capability, path, allowed);
        }
    }

    private final String source;
    private final URI sourceUri;
    private final List<Row> rows;

    private PolicyMatrix(String source, URI sourceUri, List<Row> rows) {
        this.source = source;
        this.sourceUri = sourceUri;
        this.rows = List.copyOf(rows);
    }

    /**
     * Read a matrix from the test classpath, e.g. {@code fromResource("policy-matrix.csv")} for
     * {@code src/test/resources/policy-matrix.csv}.
     *
     * @throws IllegalArgumentException when the resource is missing, malformed or empty
     */
    public static PolicyMatrix fromResource(String resource) {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
                PolicyMatrix.class.getClassLoader());
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("Policy matrix resource \"" + resource + "\" is not on the test "
                        + "classpath; put the file under src/test/resources/" + path);
            }
            return parse(path, URI.create("classpath:/" + path), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read policy matrix resource " + resource, e);
        }
    }

    /** Read a matrix from a file. */
    public static PolicyMatrix fromFile(Path file) {
        try {
            return parse(file.toString(), file.toUri(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read policy matrix file " + file, e);
        }
    }

    /**
     * Parse a matrix given as text; {@code source} names it in messages, e.g. {@code inline matrix}.
     *
     * @throws IllegalArgumentException for a malformed row ({@code <source>:<line>: ...}), an unknown capability or
     *                                  expectation, a missing header, or no rows at all
     */
    public static PolicyMatrix parse(String source, String csv) {
        return parse(source, null, csv);
    }

    private static PolicyMatrix parse(String source, URI uri, String csv) {
        List<Row> rows = new ArrayList<>();
        boolean header = false;
        String[] lines = csv.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String text = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (text.isBlank() || text.strip().startsWith("#")) {
                continue;
            }
            List<String> fields = Stream.of(text.split(",", -1)).map(String::strip).toList();
            if (!header) {
                if (!fields.stream().map(f -> f.toLowerCase(Locale.ROOT)).toList().equals(HEADER)) {
                    throw bad(source, line, "expected the header \"" + String.join(",", HEADER) + "\" as the first "
                            + "line that is not blank or a # comment, found \"" + text.strip() + "\"");
                }
                header = true;
                continue;
            }
            if (fields.size() != HEADER.size()) {
                throw bad(source, line, "expected 4 fields (" + String.join(",", HEADER) + "), found " + fields.size()
                        + " in \"" + text.strip() + "\"");
            }
            for (int f = 0; f < fields.size(); f++) {
                if (fields.get(f).isEmpty()) {
                    throw bad(source, line, "field " + HEADER.get(f) + " is empty in \"" + text.strip() + "\"");
                }
            }
            Capability capability;
            try {
                capability = Capability.parse(fields.get(2));
            } catch (IllegalArgumentException e) {
                throw bad(source, line, e.getMessage());
            }
            boolean allowed = switch (fields.get(3).toLowerCase(Locale.ROOT)) {
                case "allow" -> true;
                case "deny" -> false;
                default -> throw bad(source, line, "unknown expectation \"" + fields.get(3) + "\"; valid: allow, deny");
            };
            if (fields.get(1).chars().anyMatch(Character::isWhitespace)) {
                throw bad(source, line, "path \"" + fields.get(1) + "\" contains whitespace");
            }
            rows.add(new Row(fields.get(0), fields.get(1), capability, allowed, line));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(source + ": the policy matrix has no rows" + (header ? "" : " (and no "
                    + "header)") + "; an empty matrix would pass without testing anything. Add rows such as \""
                    + "k8s-dev,kvv2/data/k8s-dev/foo,read,allow\" under the header \"" + String.join(",", HEADER) + "\".");
        }
        return new PolicyMatrix(source, uri, rows);
    }

    private static IllegalArgumentException bad(String source, int line, String detail) {
        return new IllegalArgumentException(source + ":" + line + ": " + detail);
    }

    /** Return where the matrix came from, as used in messages. */
    public String source() {
        return source;
    }

    /** Return the rows in file order. */
    public List<Row> rows() {
        return rows;
    }

    /**
     * Return one dynamic test per row, to be returned from a {@code @TestFactory}. Each role logs in once, when its
     * first row runs; the tokens are revoked when JUnit closes the stream.
     *
     * @throws IllegalArgumentException when a row names a role the environment does not have, listing them
     */
    public Stream<DynamicTest> tests(TrustEnvironment environment) {
        Objects.requireNonNull(environment, "environment");
        Set<String> roles = environment.roles();
        List<String> unknown = rows.stream().filter(r -> !roles.contains(r.role()))
                .map(r -> source + ":" + r.line() + ": unknown role \"" + r.role() + "\"").toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", unknown) + "\nconfigured roles: " + roles.stream()
                    .sorted().collect(Collectors.joining(", ")) + ". Declare roles with @VaultK8sTrust(roles = "
                    + "@JwtRole(name = ...)) or fix the matrix.");
        }
        Map<String, Object> sessions = new ConcurrentHashMap<>();
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.displayName(), uri(row), () -> {
            Object session = sessions.computeIfAbsent(row.role(), role -> {
                try {
                    return environment.login(role);
                } catch (RuntimeException e) {
                    return e;
                }
            });
            if (session instanceof RuntimeException failure) {
                throw new AssertionError(row.displayName() + " (" + source + ":" + row.line() + "): cannot log in "
                        + "with role \"" + row.role() + "\": " + failure.getMessage(), failure);
            }
            CapabilityProbe.Outcome outcome = CapabilityProbe.check((VaultSession) session, row.capability(),
                    row.path(), row.allowed());
            if (!outcome.passed()) {
                throw new AssertionError(outcome.failure() + "\n  matrix row:   " + source + ":" + row.line());
            }
        })).onClose(() -> sessions.values().forEach(s -> {
            if (s instanceof VaultSession session) {
                session.close();
            }
        }));
    }

    private URI uri(Row row) {
        return sourceUri == null ? null : URI.create(sourceUri + "?line=" + row.line());
    }

    @Override
    public String toString() {
        return "PolicyMatrix[" + source + ", " + rows.size() + " rows]";
    }
}
