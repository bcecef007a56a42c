package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** Name the parts of the hand-made walkthrough that an environment reproduces by default. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Seed {

    private Seed() {
    }

    /** The seed's role name, also the default {@code defaultRole}. */
    public static final String ROLE = "k8s-dev";
    /**
     * The seed's role of the {@code kubernetes} auth method when both methods are enabled (role names are unique
     * across methods): the same service account, audience and policy as {@link #ROLE}. When {@code kubernetes} is
     * the only method, the seed's kubernetes role is called {@link #ROLE}.
     */
    public static final String KUBERNETES_ROLE = "k8s-dev-kubernetes";
    /** The seed's policy name. */
    public static final String POLICY = "k8s-dev-writer";
    /** The seed's service account name (in namespace {@code default}). */
    public static final String SERVICE_ACCOUNT = "vault-writer";
    /** The seed's namespace. */
    public static final String NAMESPACE = "default";
    /** The seed's token audience. */
    public static final String AUDIENCE = "vault-dev";

    /** The walkthrough's {@code k8s-dev-writer} policy, verbatim. */
    public static final String POLICY_HCL = """
            path "kvv2/metadata/k8s-dev/*" {
                capabilities = ["list"]
            }

            path "kvv2/data/k8s-dev/*" {
                capabilities = ["create", "update", "patch", "read", "delete"]
            }
            """;
}
