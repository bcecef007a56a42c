package io.github.vaultk8strust.verify;

import io.github.vaultk8strust.TrustEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.verify.PolicyMatrix.Row;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and validation of policy matrix files; running them is proved in src-it and samples. */
class PolicyMatrixTest {

    @Test
    void readsRowsFromTheClasspathIgnoringCommentsBlanksAndCase() {
        PolicyMatrix matrix = PolicyMatrix.fromResource("matrices/good.csv");

        assertThat(matrix.source()).isEqualTo("matrices/good.csv");
        assertThat(matrix.rows()).containsExactly(
                new Row("k8s-dev", "kvv2/data/k8s-dev/foo", Capability.READ, true, 4),
                new Row("k8s-dev", "kvv2/data/other", Capability.UPDATE, false, 5));
        assertThat(matrix.rows()).extracting(Row::displayName).containsExactly(
                "k8s-dev may read kvv2/data/k8s-dev/foo",
                "k8s-dev may not update kvv2/data/other");
    }

    @Test
    void readsFiles(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("m.csv"), "role,path,capability,expected\r\nr,p/q,list,allow\r\n");

        assertThat(PolicyMatrix.fromFile(file).rows()).containsExactly(new Row("r", "p/q", Capability.LIST, true, 2));
    }

    @Test
    void oneDynamicTestPerRowNamedAfterTheExpectationAndPointingAtTheLine() {
        List<DynamicTest> tests = PolicyMatrix.fromResource("matrices/good.csv").tests(environmentWithRoles("k8s-dev"))
                .toList();

        assertThat(tests).extracting(DynamicTest::getDisplayName).containsExactly(
                "k8s-dev may read kvv2/data/k8s-dev/foo", "k8s-dev may not update kvv2/data/other");
        assertThat(tests).map(t -> t.getTestSourceUri().orElseThrow()).containsExactly(
                URI.create("classpath:/matrices/good.csv?line=4"), URI.create("classpath:/matrices/good.csv?line=5"));
    }

    @Test
    void unknownRolesAreListedWithTheirLinesAndTheConfiguredRoles() {
        PolicyMatrix matrix = PolicyMatrix.parse("prod.csv", """
                role,path,capability,expected
                k8s-dev,kvv2/data/k8s-dev/foo,read,allow
                k8s-prod,kvv2/data/prod/foo,read,allow
                payments,kvv2/data/payments/x,read,deny
                """);

        assertThatThrownBy(() -> matrix.tests(environmentWithRoles("k8s-dev", "billing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prod.csv:3: unknown role \"k8s-prod\"\nprod.csv:4: unknown role \"payments\"\n"
                        + "configured roles: billing, k8s-dev. Declare roles with @VaultK8sTrust(roles = "
                        + "@JwtRole(name = ...)) or fix the matrix.");
    }

    @Test
    void unknownCapabilityNamesFileLineAndTheValidOnes() {
        assertThatThrownBy(() -> PolicyMatrix.parse("m.csv", "role,path,capability,expected\n\nr,p,write,allow\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("m.csv:3: unknown capability \"write\"; valid capabilities: create, read, update, patch, "
                        + "delete, list, sudo");
    }

    @Test
    void unknownExpectationNamesFileAndLine() {
        assertThatThrownBy(() -> PolicyMatrix.parse("m.csv", "role,path,capability,expected\nr,p,read,yes\n"))
                .hasMessage("m.csv:2: unknown expectation \"yes\"; valid: allow, deny");
    }

    @ParameterizedTest
    @ValueSource(strings = {"r,p,read", "r,p,read,allow,extra"})
    void wrongFieldCountNamesFileAndLine(String row) {
        assertThatThrownBy(() -> PolicyMatrix.parse("m.csv", "# c\nrole,path,capability,expected\n" + row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("m.csv:3: expected 4 fields (role,path,capability,expected), found ")
                .hasMessageEndingWith(" in \"" + row + "\"");
    }

    @Test
    void emptyFieldsAndBlankPathsAreRefused() {
        assertThatThrownBy(() -> PolicyMatrix.parse("m.csv", "role,path,capability,expected\n,p,read,allow"))
                .hasMessage("m.csv:2: field role is empty in \",p,read,allow\"");
        assertThatThrownBy(() -> PolicyMatrix.parse("m.csv", "role,path,capability,expected\nr,a b,read,allow"))
                .hasMessage("m.csv:2: path \"a b\" contains whitespace");
    }

    @Test
    void theHeaderIsRequired() {
        assertThatThrownBy(() -> PolicyMatrix.parse("m.csv", "# header forgotten\nr,p,read,allow\n"))
                .hasMessage("m.csv:2: expected the header \"role,path,capability,expected\" as the first line that is "
                        + "not blank or a # comment, found \"r,p,read,allow\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n\n", "role,path,capability,expected\n# no rows\n"})
    void anEmptyMatrixIsAnErrorNotAGreenRun(String csv) {
        assertThatThrownBy(() -> PolicyMatrix.parse("empty.csv", csv))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("empty.csv: the policy matrix has no rows")
                .hasMessageContaining("an empty matrix would pass without testing anything");
    }

    @Test
    void aMissingResourceSaysWhereToPutIt() {
        assertThatThrownBy(() -> PolicyMatrix.fromResource("nope.csv"))
                .hasMessage("Policy matrix resource \"nope.csv\" is not on the test classpath; put the file under "
                        + "src/test/resources/nope.csv");
    }

    @Test
    void capabilitiesParseAndListTheValidOnes() {
        assertThat(Capability.parse(" Read ")).isEqualTo(Capability.READ);
        assertThat(Capability.names()).isEqualTo("create, read, update, patch, delete, list, sudo");
        assertThatThrownBy(() -> Capability.parse("deny")).hasMessage("unknown capability \"deny\"; valid "
                + "capabilities: create, read, update, patch, delete, list, sudo");
    }

    /** A stand-in that knows only its roles (a proxy, so that new interface methods need no change here). */
    private static TrustEnvironment environmentWithRoles(String... roles) {
        return (TrustEnvironment) Proxy.newProxyInstance(TrustEnvironment.class.getClassLoader(),
                new Class<?>[] {TrustEnvironment.class}, (proxy, method, args) -> {
                    if (method.getName().equals("roles")) {
                        return Set.of(roles);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
