package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Use a pod running inside the cluster under a service account, with a projected service-account token mounted
 * the way the hand-made walkthrough's {@code vault-client} pod has it. Obtain one with
 * {@link TrustEnvironment#startWorkload(WorkloadSpec)} or by injecting a parameter annotated with
 * {@code @InClusterWorkload}. Closing it deletes the pod.
 *
 * <p>Only the {@link Backend#K3S} backend runs pods; see {@link ConfigKeys#K3S_ONLY_KEY} for what happens on
 * {@link Backend#LOCAL}.
 *
 * <pre>{@code
 * ExecResult login = pod.exec("vault", "write", "auth/jwt/login", "role=k8s-dev", "jwt=@/service-account/token");
 * assertThat(login.exitCode()).isZero();
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Workload extends AutoCloseable {

    /** Return the pod's name. */
    String podName();

    /** Return the pod's namespace. */
    String namespace();

    /** Return the specification the pod was started from. */
    WorkloadSpec spec();

    /**
     * Run a command in the pod's container without a shell or TTY and wait for it to end (at most two minutes).
     * Inside the container, {@code VAULT_ADDR} and {@code BAO_ADDR} point at the in-cluster Vault service.
     *
     * @throws VaultK8sTrustException when the command cannot be started or does not end in time
     */
    ExecResult exec(String... command);

    /**
     * Run a command as {@link #exec(String...)} does, waiting at most {@code timeout}.
     *
     * @throws VaultK8sTrustException when the command cannot be started or does not end in time
     */
    ExecResult exec(Duration timeout, String... command);

    /** Read the projected token the kubelet mounted at {@link WorkloadSpec#tokenFile()}. */
    ServiceAccountJwt projectedToken();

    /** Delete the pod; idempotent. */
    @Override
    void close();
}
