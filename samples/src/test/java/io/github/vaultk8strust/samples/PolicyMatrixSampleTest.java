package io.github.vaultk8strust.samples;

// tag::matrix[]
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import io.github.vaultk8strust.verify.PolicyMatrix;
import io.github.vaultk8strust.verify.TrustAssertions;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Prove in CI what the seed's workload may do, and that it may do nothing else. The matrix lives in
 * {@code src/test/resources/seed-policy-matrix.csv}; each row becomes one test, e.g.
 * "k8s-dev may not read kvv2/data/some-secret". To test your production policies instead, load their HCL with
 * {@code @VaultK8sTrust(policies = @VaultPolicy(name = "...", resource = "policies/prod.hcl"), roles = ...)}.
 */
@VaultK8sTrust
class PolicyMatrixSampleTest {

    @TestFactory
    Stream<DynamicTest> seedPolicy(TrustEnvironment environment) {
        return PolicyMatrix.fromResource("seed-policy-matrix.csv").tests(environment);
    }

    @Test
    void writerStaysInItsLane(@VaultLogin(role = "k8s-dev") VaultSession workload) {
        TrustAssertions.assertThat(workload)
                .may("read", "kvv2/data/k8s-dev/foo")
                .may("list", "kvv2/metadata/k8s-dev/")
                .mayNot("update", "kvv2/data/other")
                .mayNot("read", "sys/policies/acl/k8s-dev-writer");
    }
}
// end::matrix[]
