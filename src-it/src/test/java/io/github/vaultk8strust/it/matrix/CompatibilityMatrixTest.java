package io.github.vaultk8strust.it.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.junit.TrustMatrix;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.verify.AdversarialTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The compatibility matrix, for real: the seed walkthrough and every adversarial token on 2 Kubernetes minors x 2
 * Vault minors (local backend, one environment at a time). Each combination also proves it runs the versions it
 * says ({@code /version} of the API server, Vault's {@code sys/health}), and records Vault's rejection text per
 * adversarial case, so a version that words a rejection differently shows up here, not in a user's test. After the
 * last combination, {@code target/compatibility.md} holds the table the README's "Compatibility" section is copied
 * from.
 */
@TrustMatrix(kubernetes = {"1.33", "1.34"}, vault = {"1.19", "1.21"})
@ExtendWith(CompatibilityMatrixTest.Timing.class) // before @VaultK8sTrust: its clock starts before the environment
@VaultK8sTrust(backend = Backend.LOCAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompatibilityMatrixTest {

    /** Per combination ("[kubernetes 1.34.10, vault 1.21.0]"): check name to outcome. */
    private static final Map<String, Map<String, String>> RESULTS = new ConcurrentHashMap<>();
    /** Per combination: start-up (invocation start to its first test) and the whole invocation, in ms. */
    private static final Map<String, long[]> TIMES = new ConcurrentHashMap<>();
    /** Per combination: adversarial case to the Vault error it got. */
    private static final Map<String, Map<String, String>> REJECTIONS = new ConcurrentHashMap<>();

    @RegisterExtension
    static final TestWatcher RECORDER = new TestWatcher() {
        @Override
        public void testSuccessful(ExtensionContext context) {
            record(context, "passed");
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            record(context, "**failed**: " + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""));
        }

        @Override
        public void testAborted(ExtensionContext context, Throwable cause) {
            record(context, "skipped: " + cause.getMessage());
        }

        @Override
        public void testDisabled(ExtensionContext context, Optional<String> reason) {
            record(context, "skipped: " + reason.orElse(""));
        }

        private void record(ExtensionContext context, String outcome) {
            String combination = context.getParent().map(ExtensionContext::getDisplayName).orElse("?");
            RESULTS.computeIfAbsent(combination, k -> new ConcurrentHashMap<>()).put(context.getDisplayName(), outcome);
        }
    };

    /** Times each invocation: reported, never asserted (a benchmark, not a test). */
    static final class Timing implements BeforeClassTemplateInvocationCallback, BeforeEachCallback,
            AfterClassTemplateInvocationCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Timing.class);

        @Override
        public void beforeClassTemplateInvocation(ExtensionContext context) {
            TIMES.put(context.getDisplayName(), new long[] {System.nanoTime(), -1, -1});
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            long[] times = TIMES.get(context.getParent().orElseThrow().getDisplayName());
            if (times != null && times[1] < 0) {
                times[1] = (System.nanoTime() - times[0]) / 1_000_000;
            }
        }

        @Override
        public void afterClassTemplateInvocation(ExtensionContext context) {
            long[] times = TIMES.get(context.getDisplayName());
            if (times != null) {
                times[2] = (System.nanoTime() - times[0]) / 1_000_000;
            }
        }
    }

    @Test
    @Order(1)
    void runsTheVersionsItSays(TrustEnvironment environment) throws Exception {
        try (KubernetesClient kube = environment.newKubernetesClient()) {
            assertThat(kube.getKubernetesVersion().getGitVersion()).isEqualTo("v" + environment.kubernetesVersion());
        }
        assertThat(vaultServerVersion(environment)).isEqualTo(environment.vaultVersion());
    }

    @Test
    @Order(2) // the seed walkthrough: vault kv put/get kvv2/k8s-dev/foo, 403 outside the path, list
    void seedWalkthrough(@VaultLogin(role = "k8s-dev") Vault vault) throws VaultException {
        vault.logical().write("kvv2/k8s-dev/foo", Map.of("bar", "baz"));
        LogicalResponse secret = vault.logical().read("kvv2/k8s-dev/foo");
        assertThat(secret.getRestResponse().getStatus()).isEqualTo(200);
        assertThat(secret.getData()).containsExactly(Map.entry("bar", "baz"));

        LogicalResponse denied = vault.logical().write("kvv2/some-secret", Map.of("bar", "baz"));
        assertThat(denied.getRestResponse().getStatus()).isEqualTo(403);
        assertThat(new String(denied.getRestResponse().getBody(), StandardCharsets.UTF_8)).contains("permission denied");

        assertThat(vault.logical().list("kvv2/k8s-dev").getListData()).contains("foo");
    }

    @Test
    @Order(3)
    void everyAdversarialTokenIsRejectedWithTheExpectedReason(TrustEnvironment environment) {
        AdversarialTokens.Report report = AdversarialTokens.against(environment, "k8s-dev").tryAll();
        Map<String, String> rejections = new LinkedHashMap<>();
        report.attempts().forEach(a -> rejections.put(a.token().name(), a.vaultErrors().isEmpty() ? "(none)"
                : String.join(" | ", a.vaultErrors())));
        REJECTIONS.put(combination(environment), rejections);

        assertThat(report.summary()).isEqualTo("9 tried, 0 accepted");
        assertThat(report.attempts()).allSatisfy(a -> assertThat(a.rejectedAsExpected()).as(a.describe()).isTrue());
        // Vault's exact words, per version. The one difference found: Vault 1.19's go-oidc wraps go-jose's error
        // ("go-jose/go-jose: unexpected signature algorithm"), 1.21's does not; the toolkit matches the common part.
        String algNone = environment.vaultVersion().startsWith("1.19.")
                ? "oidc: malformed jwt: go-jose/go-jose: unexpected signature algorithm \"none\""
                : "oidc: malformed jwt: unexpected signature algorithm \"none\"";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("wrong audience", "error validating token: invalid audience (aud) claim: audience claim does not "
                + "match any expected audience");
        expected.put("another service account", "error validating token: invalid subject (sub) claim");
        expected.put("another namespace", "error validating token: invalid subject (sub) claim");
        expected.put("expired", "error validating token: invalid expiration time (exp) claim: token is expired");
        expected.put("not yet valid", "error validating token: invalid not before (nbf) claim: token not yet valid");
        expected.put("foreign key", "error validating token: error verifying token signature: failed to verify id "
                + "token signature");
        expected.put("alg none", "error validating token: error verifying token signature: " + algNone);
        expected.put("wrong issuer", "error validating token: invalid issuer (iss) claim");
        expected.put("tampered payload", "error validating token: error verifying token signature: failed to verify "
                + "id token signature");
        expected.forEach((name, text) -> assertThat(rejections.get(name)).as(name).startsWith(text));
    }

    private static String combination(TrustEnvironment environment) {
        return "[kubernetes " + environment.kubernetesVersion() + ", vault " + environment.vaultVersion() + "]";
    }

    private static String vaultServerVersion(TrustEnvironment environment) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(environment.vaultAddress()
                + "/v1/sys/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(health.body());
        assertThat(m.find()).as("sys/health names a version: %s", health.body()).isTrue();
        return m.group(1);
    }

    private static String time(String combination, int index) {
        long[] times = TIMES.get(combination);
        return times == null || times[index] < 0 ? "—" : String.format(java.util.Locale.ROOT, "%.1f s",
                times[index] / 1000.0);
    }

    /** Write target/compatibility.md: the table (one row per combination) and the rejection texts per version. */
    @AfterAll
    static void writeCompatibilityTable() throws IOException {
        List<String> lines = new ArrayList<>();
        String version = Optional.ofNullable(CompatibilityMatrixTest.class.getPackage().getImplementationVersion())
                .orElse(System.getProperty("vaultk8s.library.version", "0.1.0-SNAPSHOT"));
        lines.add("Compatibility of vault-k8s-trust " + version + ", local backend, from `CompatibilityMatrixTest` run on "
                + LocalDate.now(ZoneOffset.UTC) + " (" + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch") + "):");
        lines.add("");
        lines.add("| Kubernetes | Vault | versions served | seed walkthrough | adversarial tokens (9) | start-up | whole class |");
        lines.add("|---|---|---|---|---|---:|---:|");
        new TreeMap<>(RESULTS).forEach((combination, checks) -> {
            Matcher m = Pattern.compile("\\[kubernetes (\\S+), vault (\\S+)]").matcher(combination);
            String k8s = m.find() ? m.group(1) : combination;
            String vault = m.group(2);
            lines.add("| " + k8s + " | " + vault + " | " + checks.getOrDefault("runsTheVersionsItSays(TrustEnvironment)", "not run")
                    + " | " + checks.getOrDefault("seedWalkthrough(Vault)", "not run") + " | "
                    + checks.getOrDefault("everyAdversarialTokenIsRejectedWithTheExpectedReason(TrustEnvironment)",
                    "not run") + " | " + time(combination, 1) + " | " + time(combination, 2) + " |");
        });
        lines.add("");
        Map<String, Map<String, List<String>>> byCase = new TreeMap<>();
        new TreeMap<>(REJECTIONS).forEach((combination, rejections) -> rejections.forEach((name, error) ->
                byCase.computeIfAbsent(name, k -> new LinkedHashMap<>()).computeIfAbsent(error, k -> new ArrayList<>())
                        .add(combination)));
        boolean same = byCase.values().stream().allMatch(texts -> texts.size() == 1);
        lines.add(same ? "Vault's rejection text of every adversarial case is the same on every combination:"
                : "Vault's rejection texts differ between combinations (each text with the combinations that gave it):");
        lines.add("");
        lines.add("| case | Vault's error | combinations |");
        lines.add("|---|---|---|");
        int all = REJECTIONS.size();
        byCase.forEach((name, texts) -> texts.forEach((text, where) -> lines.add("| " + name + " | `"
                + text.replace("|", "\\|").replace("`", "'") + "` | " + (where.size() == all ? "all " + all
                : String.join(", ", where)) + " |")));
        Path out = Path.of("target", "compatibility.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.println(String.join(System.lineSeparator(), lines));
    }
}
