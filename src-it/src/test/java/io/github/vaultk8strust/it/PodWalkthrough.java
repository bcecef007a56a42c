package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.Workload;
import java.util.Map;

/**
 * The walkthrough's last steps from inside a workload pod, with the {@code vault} client there: log in as
 * {@code k8s-dev} with the pod's projected token, write and read a secret under {@code kvv2/k8s-dev/}, and get 403 for a
 * path outside the policy.
 */
final class PodWalkthrough {

    private static final String LOGIN = "VAULT_TOKEN=$(vault write -field=token auth/jwt/login role=k8s-dev "
            + "jwt=@/service-account/token) ";

    private PodWalkthrough() {
    }

    /** Run the steps in {@code pod} and check each; the secret written is read back from this JVM as root too. */
    static void logInWriteReadAndBeDeniedOutOfScope(Workload pod, TrustEnvironment environment, String secret)
            throws VaultException {
        ExecResult login = pod.exec("vault", "write", "-format=json", "auth/jwt/login", "role=k8s-dev",
                "jwt=@/service-account/token");
        assertThat(login.exitCode()).as("%s", login).isZero();
        assertThat(login.stdout()).contains("\"k8s-dev-writer\"");

        ExecResult put = pod.exec("sh", "-c", LOGIN + "vault kv put kvv2/k8s-dev/" + secret + " bar=baz");
        assertThat(put.exitCode()).as("%s", put).isZero();
        ExecResult get = pod.exec("sh", "-c", LOGIN + "vault kv get -field=bar kvv2/k8s-dev/" + secret);
        assertThat(get.stdout().strip()).as("%s", get).isEqualTo("baz");
        assertThat(environment.root().kv().logical().read("kvv2/k8s-dev/" + secret).getData())
                .isEqualTo(Map.of("bar", "baz"));

        ExecResult outOfScope = pod.exec("sh", "-c", LOGIN + "vault kv put kvv2/some-secret bar=baz");
        assertThat(outOfScope.exitCode()).isNotZero();
        assertThat(outOfScope.stderr()).contains("Code: 403").contains("permission denied");
    }
}
