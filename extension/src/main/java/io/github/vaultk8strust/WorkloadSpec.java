package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Describe a {@link Workload} pod: where it runs, under which service account, and the projected token it gets.
 * Immutable; every {@code with*} method returns a copy. {@link #seed()} is the walkthrough's {@code vault-client}
 * pod: service account {@code default/vault-writer}, a token for audience {@code vault-dev} valid for 3600 seconds
 * at {@code /service-account/token}, running the Vault image.
 *
 * <pre>{@code
 * try (Workload pod = environment.startWorkload(WorkloadSpec.seed().withAudience("payments"))) { ... }
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class WorkloadSpec {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final String name;
    private final String namespace;
    private final String serviceAccount;
    private final String audience;
    private final long expirationSeconds;
    private final String image;

    private WorkloadSpec(String name, String namespace, String serviceAccount, String audience,
                         long expirationSeconds, String image) {
        this.name = name;
        this.namespace = namespace;
        this.serviceAccount = serviceAccount;
        this.audience = audience;
        this.expirationSeconds = expirationSeconds;
        this.image = image;
    }

    /** Return the walkthrough's {@code vault-client} pod. */
    public static WorkloadSpec seed() {
        return new WorkloadSpec("vault-client", Seed.NAMESPACE, Seed.SERVICE_ACCOUNT,
                Seed.AUDIENCE, 3600, "");
    }

    /** Return a pod running under {@code namespace/serviceAccount}, otherwise like {@link #seed()}. */
    public static WorkloadSpec of(String namespace, String serviceAccount) {
        return seed().withNamespace(namespace).withServiceAccount(serviceAccount);
    }

    /**
     * Set the pod name's prefix (the pod is named {@code <name>-<random suffix>} so that a deleted pod still
     * terminating never blocks the next one).
     *
     * @throws IllegalArgumentException when it is not a DNS label of at most 56 characters
     */
    public WorkloadSpec withName(String name) {
        require("name", name, DNS_LABEL.matcher(name).matches() && name.length() <= 56,
                "lower-case letters, digits and '-', at most 56 characters");
        return new WorkloadSpec(name, namespace, serviceAccount, audience, expirationSeconds, image);
    }

    /**
     * Set the namespace; it must exist (declare it with {@code @VaultK8sTrust.namespaces()} or through a service
     * account).
     *
     * @throws IllegalArgumentException when it is not a valid namespace name
     */
    public WorkloadSpec withNamespace(String namespace) {
        require("namespace", namespace, DNS_LABEL.matcher(namespace).matches(),
                "lower-case letters, digits and '-', 1 to 63 characters");
        return new WorkloadSpec(name, namespace, serviceAccount, audience, expirationSeconds, image);
    }

    /**
     * Set the service account the pod runs under; it must exist (declare it with
     * {@code @VaultK8sTrust.serviceAccounts()} or a role's {@code boundSubject}).
     *
     * @throws IllegalArgumentException when it is not a valid service account name
     */
    public WorkloadSpec withServiceAccount(String serviceAccount) {
        require("serviceAccount", serviceAccount, DNS_SUBDOMAIN.matcher(serviceAccount).matches(),
                "lower-case letters, digits, '-' and '.'");
        return new WorkloadSpec(name, namespace, serviceAccount, audience, expirationSeconds, image);
    }

    /**
     * Set the audience of the projected token.
     *
     * @throws IllegalArgumentException when it is blank
     */
    public WorkloadSpec withAudience(String audience) {
        require("audience", audience, !audience.isBlank(), "a non-empty audience such as \"vault-dev\"");
        return new WorkloadSpec(name, namespace, serviceAccount, audience, expirationSeconds, image);
    }

    /**
     * Set the projected token's {@code expirationSeconds}.
     *
     * @throws IllegalArgumentException when it is below Kubernetes' minimum of 600
     */
    public WorkloadSpec withExpirationSeconds(long expirationSeconds) {
        require("expirationSeconds", String.valueOf(expirationSeconds), expirationSeconds >= 600,
                "600 or more (Kubernetes refuses shorter projected tokens)");
        return new WorkloadSpec(name, namespace, serviceAccount, audience, expirationSeconds, image);
    }

    /**
     * Set the container image; empty (the default) runs the environment's Vault image, which has the
     * {@code vault} (or {@code bao}) command. The image must keep running when started as {@code sleep infinity}.
     */
    public WorkloadSpec withImage(String image) {
        return new WorkloadSpec(name, namespace, serviceAccount, audience, expirationSeconds,
                Objects.requireNonNull(image, "image").trim());
    }

    /** Return the pod name's prefix. */
    public String name() {
        return name;
    }

    /** Return the namespace. */
    public String namespace() {
        return namespace;
    }

    /** Return the service account. */
    public String serviceAccount() {
        return serviceAccount;
    }

    /** Return the projected token's audience. */
    public String audience() {
        return audience;
    }

    /** Return the projected token's {@code expirationSeconds}. */
    public long expirationSeconds() {
        return expirationSeconds;
    }

    /** Return the image; empty means the environment's Vault image. */
    public Optional<String> image() {
        return image.isEmpty() ? Optional.empty() : Optional.of(image);
    }

    /** Return the directory where the token volume is mounted: {@code /service-account}. */
    public String tokenMountPath() {
        return "/service-account";
    }

    /** Return the path of the projected token inside the container: {@code /service-account/token}. */
    public String tokenFile() {
        return tokenMountPath() + "/token";
    }

    private static void require(String attribute, String value, boolean ok, String accepted) {
        if (!ok) {
            throw new IllegalArgumentException("WorkloadSpec." + attribute + " = \"" + value + "\" is not valid; use "
                    + accepted);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorkloadSpec w && name.equals(w.name) && namespace.equals(w.namespace)
                && serviceAccount.equals(w.serviceAccount) && audience.equals(w.audience)
                && expirationSeconds == w.expirationSeconds && image.equals(w.image);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, serviceAccount, audience, expirationSeconds, image);
    }

    @Override
    public String toString() {
        return "WorkloadSpec[" + name + " in " + namespace + " as " + serviceAccount + ", token aud=" + audience
                + " exp=" + expirationSeconds + "s" + (image.isEmpty() ? "" : ", image " + image) + "]";
    }
}
