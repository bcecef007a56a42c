package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.nimbusds.jwt.JWTClaimsSet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.jopenlibs.vault.VaultException;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Seed;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Put the same tokens to a {@code jwt} role and a {@code kubernetes} role that bind the same service account, and
 * record what each method does with them: the cases where the two differ (a deleted or re-created service account,
 * a deleted pod, a role without an audience) and one where they agree for different reasons (another cluster's key).
 * Needs an environment with both methods enabled; it writes its own roles (through the root token, named
 * {@value #PREFIX}...) and service accounts in namespace {@value #NAMESPACE}, and removes the roles afterwards.
 *
 * <pre>{@code
 * AuthMethodComparison.Report report = AuthMethodComparison.run(environment);
 * System.out.println(report.toMarkdown());
 * report.assertAsExpected();      // every case behaved as the table in the README says
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AuthMethodComparison {

    /** Roles and service accounts the comparison makes are named with this prefix. */
    public static final String PREFIX = "vault-k8s-trust-compare-";
    /** The namespace the comparison's service accounts and pods live in. */
    public static final String NAMESPACE = "vault-k8s-trust-compare";
    private static final String AUDIENCE = Seed.AUDIENCE;

    /** What one method did with a token: accepted, or rejected with Vault's reason (and TokenReview's, for kubernetes). */
    public record Outcome(boolean accepted, String reason) {

        /** Return {@code accepted} or {@code rejected: <reason>}. */
        public String describe() {
            return accepted ? "accepted" : "rejected: " + reason;
        }
    }

    /** One token, what each method did with it, and what each was expected to do. */
    public record Case(String name, String token, Outcome jwt, Outcome kubernetes, boolean jwtShouldAccept,
                       boolean kubernetesShouldAccept) {

        /** Return whether both methods did what was expected. */
        public boolean asExpected() {
            return jwt.accepted() == jwtShouldAccept && kubernetes.accepted() == kubernetesShouldAccept;
        }

        /** Return whether the two methods gave different verdicts. */
        public boolean differs() {
            return jwt.accepted() != kubernetes.accepted();
        }
    }

    /** All cases, in order. */
    public record Report(List<Case> cases) {

        public Report {
            cases = List.copyOf(cases);
        }

        /** Return the comparison as a Markdown table: case, token, jwt, kubernetes. */
        public String toMarkdown() {
            StringBuilder out = new StringBuilder("| case | token | `jwt` | `kubernetes` |\n|---|---|---|---|\n");
            for (Case c : cases) {
                out.append("| ").append(c.name()).append(" | ").append(c.token()).append(" | ")
                        .append(cell(c.jwt())).append(" | ").append(cell(c.kubernetes())).append(" |\n");
            }
            return out.toString();
        }

        private static String cell(Outcome outcome) {
            return outcome.accepted() ? "**accepted**" : "rejected: " + outcome.reason().replace("|", "\\|");
        }

        /** Fail unless every case behaved as expected, listing the ones that did not. */
        public Report assertAsExpected() {
            List<Case> wrong = cases.stream().filter(c -> !c.asExpected()).toList();
            if (!wrong.isEmpty()) {
                throw new AssertionError("jwt and kubernetes did not behave as expected:\n" + wrong.stream()
                        .map(c -> "  " + c.name() + ": jwt " + c.jwt().describe() + " (expected "
                                + (c.jwtShouldAccept() ? "accepted" : "rejected") + "), kubernetes "
                                + c.kubernetes().describe() + " (expected "
                                + (c.kubernetesShouldAccept() ? "accepted" : "rejected") + ")")
                        .collect(Collectors.joining("\n")) + "\n" + toMarkdown());
            }
            return this;
        }

        /** Return the case with this name. */
        public Case get(String name) {
            return cases.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no case \"" + name + "\""));
        }

        @Override
        public String toString() {
            return toMarkdown();
        }
    }

    private final TrustEnvironment environment;
    private final KubernetesClient kube;
    private final List<String> roles = new ArrayList<>();

    private AuthMethodComparison(TrustEnvironment environment, KubernetesClient kube) {
        this.environment = environment;
        this.kube = kube;
    }

    /**
     * Run every case against the environment's two auth methods.
     *
     * @throws IllegalArgumentException when the environment does not have both methods enabled
     */
    public static Report run(TrustEnvironment environment) {
        Objects.requireNonNull(environment, "environment");
        if (!environment.authMethods().containsAll(List.of(AuthMethod.JWT, AuthMethod.KUBERNETES))) {
            throw new IllegalArgumentException("AuthMethodComparison needs both auth methods; this environment has "
                    + environment.authMethods() + ". Use @VaultK8sTrust(authMethods = {JWT, KUBERNETES}).");
        }
        try (KubernetesClient kube = environment.newKubernetesClient()) {
            AuthMethodComparison comparison = new AuthMethodComparison(environment, kube);
            try {
                return comparison.cases();
            } finally {
                comparison.deleteRoles();
            }
        }
    }

    private Report cases() {
        ensureNamespace();
        List<Case> cases = new ArrayList<>();

        String sa = account("control");
        roles(sa, true);
        String token = mint(sa, AUDIENCE);
        cases.add(both("control", "a fresh token of the bound service account", sa, token, true, true));

        sa = account("deleted-sa");
        roles(sa, true);
        token = mint(sa, AUDIENCE);
        deleteAccount(sa);
        cases.add(both("service account deleted", "minted before its service account was deleted", sa, token, true,
                false));

        sa = account("recreated-sa");
        roles(sa, true);
        token = mint(sa, AUDIENCE);
        deleteAccount(sa);
        account("recreated-sa");
        cases.add(both("service account re-created", "minted before its service account was deleted and created "
                + "again under the same name (new UID)", sa, token, true, false));

        sa = account("deleted-pod");
        roles(sa, true);
        Pod pod = neverScheduledPod(sa);
        token = mintPodBound(sa, pod);
        kube.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
        awaitPodGone(pod.getMetadata().getName());
        cases.add(both("pod deleted", "bound to a pod (boundObjectRef) that was deleted afterwards", sa, token, true,
                false));

        sa = account("no-audience");
        roles(sa, false);
        token = mint(sa, "vault-k8s-trust-any-audience");
        cases.add(both("wrong audience, role sets none", "audience vault-k8s-trust-any-audience; the jwt role has no "
                + "bound_audiences, the kubernetes role no audience", sa, token, false, true));
        token = mint(sa, environment.issuer());
        cases.add(both("API server's audience, role sets none", "audience " + environment.issuer() + " (the API "
                + "server's own, as `kubectl create token` without --audience gives)", sa, token, false, true));

        sa = account("foreign-key");
        roles(sa, true);
        JWTClaimsSet real = environment.mintToken(NAMESPACE, sa, AUDIENCE).claims();
        Instant now = Instant.now();
        String kid = TokenForge.clusterKey(environment).kid();
        token = TokenForge.sign(new JWTClaimsSet.Builder(real).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).jwtID(UUID.randomUUID().toString()).build(),
                TokenForge.foreignKey(kid));
        cases.add(both("another cluster's key", "this cluster's claims signed with a key it never published (as "
                + "another cluster would sign), under its kid", sa, token, false, false));
        return new Report(cases);
    }

    private Case both(String name, String description, String serviceAccount, String token, boolean jwtShouldAccept,
                      boolean kubernetesShouldAccept) {
        String role = PREFIX + serviceAccount.substring(PREFIX.length());
        return new Case(name, description, attempt(AuthMethod.JWT, role, token),
                attempt(AuthMethod.KUBERNETES, role, token), jwtShouldAccept, kubernetesShouldAccept);
    }

    private Outcome attempt(AuthMethod method, String role, String token) {
        try (VaultSession session = environment.login(method, role, token)) {
            Objects.requireNonNull(session);
            return new Outcome(true, "");
        } catch (VaultLoginException e) {
            String reason = String.join("; ", e.vaultErrors());
            String review = e.mismatches().stream().filter(m -> m.startsWith("TokenReview")).findFirst()
                    .map(m -> " (" + m + ")").orElse("");
            return new Outcome(false, reason + review);
        }
    }

    /** Write a jwt and a kubernetes role, both named after the service account, binding it (and the audience or none). */
    private void roles(String serviceAccount, boolean withAudience) {
        String role = serviceAccount;
        Map<String, Object> jwt = new LinkedHashMap<>();
        jwt.put("role_type", "jwt");
        jwt.put("bound_subject", "system:serviceaccount:" + NAMESPACE + ":" + serviceAccount);
        if (withAudience) {
            jwt.put("bound_audiences", AUDIENCE);
        }
        jwt.put("user_claim", "sub");
        jwt.put("token_policies", "default");
        write("auth/" + environment.authPath() + "/role/" + role, jwt);
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("bound_service_account_names", serviceAccount);
        kubernetes.put("bound_service_account_namespaces", NAMESPACE);
        if (withAudience) {
            kubernetes.put("audience", AUDIENCE);
        }
        kubernetes.put("token_policies", "default");
        write("auth/" + environment.kubernetesAuthPath() + "/role/" + role, kubernetes);
        roles.add(role);
    }

    private void write(String path, Map<String, Object> body) {
        try {
            int status = environment.root().api().logical().write(path, body).getRestResponse().getStatus();
            if (status / 100 != 2) {
                throw new VaultK8sTrustException("Vault refused " + path + " (HTTP " + status + ")");
            }
        } catch (VaultException e) {
            throw new VaultK8sTrustException("Vault refused " + path + ": " + e.getMessage(), e);
        }
    }

    private void deleteRoles() {
        for (String role : roles) {
            for (AuthMethod method : AuthMethod.values()) {
                try {
                    environment.root().api().logical().delete("auth/" + environment.authPath(method) + "/role/"
                            + role);
                } catch (VaultException e) {
                    // Best effort: the environment is thrown away anyway.
                }
            }
        }
    }

    private void ensureNamespace() {
        var ns = kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build());
        if (ns.get() == null) {
            ns.create();
        }
    }

    private String account(String suffix) {
        String name = PREFIX + suffix;
        kube.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).withNamespace(NAMESPACE).endMetadata().build()).createOr(existing -> existing.update());
        return name;
    }

    private void deleteAccount(String name) {
        kube.serviceAccounts().inNamespace(NAMESPACE).withName(name).withGracePeriod(0).delete();
        kube.serviceAccounts().inNamespace(NAMESPACE).withName(name).waitUntilCondition(Objects::isNull, 10,
                TimeUnit.SECONDS);
    }

    private String mint(String serviceAccount, String audience) {
        return environment.mintToken(NAMESPACE, serviceAccount, audience).raw();
    }

    private Pod neverScheduledPod(String serviceAccount) {
        return kube.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
                .withName(serviceAccount + "-pod").withNamespace(NAMESPACE).endMetadata().withNewSpec()
                .withServiceAccountName(serviceAccount).withNodeName("vault-k8s-trust-nowhere")
                .withAutomountServiceAccountToken(false).addNewContainer().withName("owner")
                .withImage("vault-k8s-trust.invalid/never-runs:0").endContainer().endSpec().build())
                .createOr(existing -> existing.update());
    }

    private void awaitPodGone(String name) {
        kube.pods().inNamespace(NAMESPACE).withName(name).waitUntilCondition(Objects::isNull, 30, TimeUnit.SECONDS);
    }

    private String mintPodBound(String serviceAccount, Pod pod) {
        return kube.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount).tokenRequest(
                new TokenRequestBuilder().withNewSpec().withAudiences(AUDIENCE).withExpirationSeconds(3600L)
                        .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
                        .endBoundObjectRef().endSpec().build()).getStatus().getToken();
    }
}
