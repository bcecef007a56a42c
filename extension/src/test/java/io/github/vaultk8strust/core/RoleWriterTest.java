package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleDefinitionException;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing roles and checking what Vault made of them, against a fake Vault that answers as Vault 1.21.0 did: a role
 * write answers 204 without a word about unknown keys; the path's help describes its parameters; a read answers what
 * the test says Vault stored.
 */
class RoleWriterTest {

    private final FakeServers servers = new FakeServers();
    /** Role path (without /v1/) to the {@code data} Vault reads back. */
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private volatile boolean describes = true;
    private volatile String writeAnswer = "";

    @TempDir
    Path dir;

    RoleWriterTest() {
        servers.vault(r -> {
            String path = r.path().substring("/v1/".length());
            if (path.endsWith("?help=1")) {
                String mount = path.split("/")[1];
                return describes ? new FakeServers.Answer(200, resource("/vault-help/" + (mount.equals("kubernetes")
                        ? "kubernetes" : "jwt") + "-role-1.21.0.json")) : new FakeServers.Answer(403,
                        "{\"errors\":[\"permission denied\"]}");
            }
            if (r.method().equals("POST")) {
                return writeAnswer.isEmpty() ? new FakeServers.Answer(204, "") : new FakeServers.Answer(
                        writeAnswer.startsWith("{\"errors\"") ? 400 : 200, writeAnswer);
            }
            String data = stored.get(path);
            return data == null ? new FakeServers.Answer(404, "{\"errors\":[]}")
                    : new FakeServers.Answer(200, "{\"data\":" + data + "}");
        });
    }

    @AfterEach
    void close() {
        servers.close();
    }

    private static String resource(String name) {
        try (InputStream in = RoleWriterTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private RoleWriter writer(List<RoleSpec> roles, List<KubernetesRoleSpec> kubernetesRoles) {
        TrustSettings settings = TrustSettings.builder("fake").roles(roles).kubernetesRoles(kubernetesRoles)
                .authMethods(Set.of(AuthMethod.JWT, AuthMethod.KUBERNETES)).build();
        return new RoleWriter(VaultApi.of(servers.address(), "root"), settings);
    }

    @Test
    void aFileRoleIsSentAsItIsAndPassesWhenItReadsBackAsWritten() throws IOException {
        KubernetesRoleSpec role = KubernetesRoleSpec.fromFile(file("reader.json", """
                {
                  "bound_service_account_names": "reader",
                  "bound_service_account_namespaces": ["apps"],
                  "audience": "vault",
                  "token_policies": "reader, audit",
                  "token_ttl": "15m",
                  "token_num_uses": "0"
                }
                """));
        stored.put("auth/kubernetes/role/reader", """
                {"audience":"vault","bound_service_account_names":["reader"],"bound_service_account_namespaces":["apps"],
                 "token_policies":["reader","audit"],"token_ttl":900,"token_num_uses":0,"token_type":"default"}
                """);
        RoleWriter writer = writer(List.of(), List.of(role));

        writer.writeKubernetesRoles();
        writer.failOnProblems();

        FakeServers.Request write = servers.requests("/v1/auth/kubernetes/role/reader").stream()
                .filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertThat(FakeServers.JSON.convertValue(write.body(), Map.class))
                .isEqualTo(role.file().orElseThrow().parameters());
        assertThat(write.body().toString()).isEqualTo("{\"bound_service_account_names\":\"reader\","
                + "\"bound_service_account_namespaces\":[\"apps\"],\"audience\":\"vault\",\"token_policies\":"
                + "\"reader, audit\",\"token_ttl\":\"15m\",\"token_num_uses\":\"0\"}");
    }

    @Test
    void anUnknownKeyIsFoundThoughVaultSaysNothing() throws IOException {
        KubernetesRoleSpec role = KubernetesRoleSpec.fromFile(file("reader.json", """
                {
                  "bound_service_account_names": "reader",
                  "bound_service_account_namespaces": "apps",
                  "audiences": "vault"
                }
                """));
        stored.put("auth/kubernetes/role/reader", """
                {"bound_service_account_names":["reader"],"bound_service_account_namespaces":["apps"]}
                """);
        RoleWriter writer = writer(List.of(), List.of(role));
        writer.writeKubernetesRoles();

        assertThatThrownBy(writer::failOnProblems).isInstanceOfSatisfying(RoleDefinitionException.class, e -> {
            assertThat(e.problems()).containsExactly(dir.resolve("reader.json") + " line 4: `audiences` is not a "
                    + "parameter of auth/kubernetes/role; did you mean `audience`? Vault ignored it: the role runs "
                    + "without it.");
            assertThat(e.getMessage()).startsWith("Vault did not take 1 role(s) as written.")
                    .contains("kubernetes role \"reader\" (KubernetesRoleSpec.fromFile(Path.of(\""
                            + dir.resolve("reader.json") + "\"))), written to auth/kubernetes/role/reader:");
        });
    }

    @Test
    void theSuggestionForADeprecatedKeyNamesItsSuccessor() throws IOException {
        RoleSpec role = RoleSpec.fromFile(file("k8s-dev.yaml", """
                role_type: jwt
                bound_subject: system:serviceaccount:default:vault-writer
                bound_audience: vault-dev
                user_claim: sub
                policy: k8s-dev-writer
                """));
        stored.put("auth/jwt/role/k8s-dev", """
                {"role_type":"jwt","bound_subject":"system:serviceaccount:default:vault-writer","user_claim":"sub"}
                """);
        RoleWriter writer = writer(List.of(role), List.of());
        writer.writeJwtRoles();

        assertThatThrownBy(writer::failOnProblems).isInstanceOfSatisfying(RoleDefinitionException.class, e ->
                assertThat(e.problems()).containsExactly(
                        dir.resolve("k8s-dev.yaml") + " line 3: `bound_audience` is not a parameter of auth/jwt/role; "
                                + "did you mean `bound_audiences`? Vault ignored it: the role runs without it.",
                        dir.resolve("k8s-dev.yaml") + " line 5: `policy` is not a parameter of auth/jwt/role; did you "
                                + "mean `policies`? (deprecated: Vault's current name is `token_policies`). Vault "
                                + "ignored it: the role runs without it."));
    }

    @Test
    void withoutADescriptionVaultsOwnWarningStillCounts() throws IOException {
        describes = false;
        writeAnswer = "{\"warnings\":[\"Endpoint ignored these unrecognized parameters: [audiences]\"]}";
        KubernetesRoleSpec role = KubernetesRoleSpec.fromFile(file("reader.json", """
                {"bound_service_account_names": "reader", "bound_service_account_namespaces": "apps",
                 "audiences": "vault"}
                """));
        stored.put("auth/kubernetes/role/reader", """
                {"bound_service_account_names":["reader"],"bound_service_account_namespaces":["apps"]}
                """);
        RoleWriter writer = writer(List.of(), List.of(role));
        writer.writeKubernetesRoles();

        assertThatThrownBy(writer::failOnProblems).isInstanceOfSatisfying(RoleDefinitionException.class, e ->
                assertThat(e.problems()).containsExactly(dir.resolve("reader.json") + " line 2: `audiences` is not a "
                        + "parameter of auth/kubernetes/role. Vault ignored it: the role runs without it."));
    }

    @Test
    void aValueThatReadsBackOtherwiseIsReportedWithItsLine() throws IOException {
        RoleSpec role = RoleSpec.fromFile(file("reader.json", """
                {
                  "role_type": "jwt",
                  "bound_subject": "system:serviceaccount:apps:reader",
                  "bound_audiences": "vault",
                  "user_claim": "sub",
                  "ttl": "1h",
                  "token_ttl": "30m"
                }
                """));
        stored.put("auth/jwt/role/reader", """
                {"role_type":"jwt","bound_subject":"system:serviceaccount:apps:reader","bound_audiences":["vault"],
                 "user_claim":"sub","ttl":1800,"token_ttl":1800}
                """);
        RoleWriter writer = writer(List.of(role), List.of());
        writer.writeJwtRoles();

        assertThatThrownBy(writer::failOnProblems).isInstanceOfSatisfying(RoleDefinitionException.class, e ->
                assertThat(e.problems()).containsExactly(dir.resolve("reader.json") + " line 6: `ttl` does not read "
                        + "back as written: the file says \"1h\" (3600 s), Vault reads back 1800 (Vault takes token_ttl "
                        + "when both are given)"));
    }

    @Test
    void rolesDeclaredInCodeAreCheckedTooAndNamedAsWritten() {
        RoleSpec role = RoleSpec.builder("reader").boundSubject("system:serviceaccount:apps:reader")
                .boundAudiences("vault").policies("reader").ttl("15m").build();
        // As if Vault had dropped the audiences on the way in.
        stored.put("auth/jwt/role/reader", """
                {"role_type":"jwt","bound_subject":"system:serviceaccount:apps:reader","bound_audiences":[],
                 "user_claim":"sub","policies":["reader"],"ttl":900}
                """);
        RoleWriter writer = writer(List.of(role), List.of());
        writer.writeJwtRoles();

        assertThatThrownBy(writer::failOnProblems).isInstanceOfSatisfying(RoleDefinitionException.class, e ->
                assertThat(e.problems()).containsExactly("RoleSpec.builder(\"reader\"): `bound_audiences` does not "
                        + "read back as written: written as \"vault\", Vault reads back []"));
    }

    @Test
    void aRefusedWritePointsAtTheFilesLine() throws IOException {
        writeAnswer = "{\"errors\":[\"error converting input for field \\\"ttl\\\": time: unknown unit \\\" hour\\\" "
                + "in duration \\\"1 hour\\\"\"]}";
        RoleSpec role = RoleSpec.fromFile(file("reader.json", """
                {"role_type": "jwt", "bound_subject": "s", "user_claim": "sub",
                 "ttl": "1 hour"}
                """));
        RoleWriter writer = writer(List.of(role), List.of());

        assertThatThrownBy(writer::writeJwtRoles).isExactlyInstanceOf(VaultK8sTrustException.class)
                .hasMessage("Vault rejected role \"reader\" (HTTP 400): error converting input for field \"ttl\": "
                        + "time: unknown unit \" hour\" in duration \"1 hour\" (" + dir.resolve("reader.json")
                        + " line 2). Check the file of RoleSpec.fromFile(Path.of(\"" + dir.resolve("reader.json")
                        + "\")).");
    }

    @Test
    void aNameInTheFileThatIsNotTheRolesIsReported() throws IOException {
        // Vault takes the URL's name and ignores the body's, which it does accept: no unknown key, but not what the
        // file says either.
        RoleSpec role = RoleSpec.fromFile(file("reader.json", """
                {"name": "reader-prod", "role_type": "jwt", "bound_subject": "s", "user_claim": "sub"}
                """)).withName("reader");
        stored.put("auth/jwt/role/reader", """
                {"role_type":"jwt","bound_subject":"s","user_claim":"sub"}
                """);
        RoleWriter writer = writer(List.of(role), List.of());
        writer.writeJwtRoles();

        assertThatThrownBy(writer::failOnProblems).isInstanceOfSatisfying(RoleDefinitionException.class, e ->
                assertThat(e.problems()).containsExactly(dir.resolve("reader.json") + " line 1: `name` is "
                        + "\"reader-prod\", but the role is written as \"reader\" (the URL's name wins; the role's name "
                        + "comes from the file name or the code that names it)"));
    }

    @Test
    void thePathIsDescribedOncePerMount() {
        List<RoleSpec> roles = List.of(
                RoleSpec.builder("a").boundSubject("system:serviceaccount:apps:a").build(),
                RoleSpec.builder("b").boundSubject("system:serviceaccount:apps:b").build());
        for (String name : List.of("a", "b")) {
            stored.put("auth/jwt/role/" + name, "{\"role_type\":\"jwt\",\"bound_subject\":\"system:serviceaccount:"
                    + "apps:" + name + "\",\"bound_audiences\":[\"vault-dev\"],\"user_claim\":\"sub\","
                    + "\"token_policies\":[],\"ttl\":3600}");
        }
        RoleWriter writer = writer(roles, List.of());

        writer.writeJwtRoles();
        writer.failOnProblems();

        assertThat(servers.requests().stream().filter(r -> r.path().endsWith("?help=1"))).hasSize(1);
    }
}
