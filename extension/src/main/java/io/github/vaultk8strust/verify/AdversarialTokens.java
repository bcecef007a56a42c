package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.nimbusds.jwt.JWTClaimsSet;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.support.Progress;
import io.github.vaultk8strust.verify.TokenForge.SigningKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DynamicTest;

/**
 * Ready-made tokens that a role must reject, each with the reason Vault is expected to give:
 *
 * <pre>{@code
 * AdversarialTokens.against(environment, "k8s-dev").assertAllRejected();   // prints "9 tried, 0 accepted"
 * }</pre>
 *
 * <p>The cases, for a role binding {@code system:serviceaccount:<ns>:<sa>} and audience {@code <aud>}:
 * <ul>
 *   <li>{@code wrong audience}: a real token for {@code <ns>/<sa>} with another audience;</li>
 *   <li>{@code another service account}: a real token for {@code <ns>/vault-k8s-trust-intruder};</li>
 *   <li>{@code another namespace}: a real token for {@code vault-k8s-trust-elsewhere/<sa>};</li>
 *   <li>{@code expired}, {@code not yet valid}, {@code wrong issuer}: the real token's claims with {@code exp} an hour
 *       ago, {@code nbf} an hour ahead, or another {@code iss}, signed with the cluster's real service-account key
 *       (Kubernetes issues no such tokens, and none shorter than 10 minutes);</li>
 *   <li>{@code foreign key}: the real claims signed with a fresh RSA key under the cluster key's {@code kid};</li>
 *   <li>{@code alg none}: the real claims, unsigned;</li>
 *   <li>{@code tampered payload}: a real token whose payload was changed (exp a year later) after signing.</li>
 * </ul>
 * For a {@code kubernetes} role the same cases are made from its bindings (wrong audience only when it sets one);
 * Vault rejects forged signatures, {@code alg none}, another issuer and a changed payload with a bare
 * {@code permission denied} after the API server's TokenReview refused the token, so those cases expect the
 * TokenReview's reason from the login diagnosis.
 * The two service accounts and the namespace are created on first use. For a role that binds claims rather than a
 * subject, the service-account and namespace cases expect Vault's bound-claims error, and are left out when the role
 * binds neither the service account name nor the namespace. Every run first logs in with the real token (the
 * control): if that is refused, rejections would prove nothing and the run fails.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AdversarialTokens {

    /** The service account used as "another service account" (created in the role's namespace). */
    public static final String INTRUDER = "vault-k8s-trust-intruder";
    /** The namespace used as "another namespace" (a service account with the same name is created there). */
    public static final String ELSEWHERE = "vault-k8s-trust-elsewhere";

    static final String AUDIENCE_ERROR = "invalid audience (aud) claim";
    static final String SUBJECT_ERROR = "invalid subject (sub) claim";
    static final String CLAIMS_ERROR = "does not match any associated bound claim values";
    static final String EXPIRED_ERROR = "token is expired";
    static final String NOT_YET_VALID_ERROR = "token not yet valid";
    static final String SIGNATURE_ERROR = "failed to verify id token signature";
    static final String ISSUER_ERROR = "invalid issuer (iss) claim";
    /**
     * Vault 1.21 (go-oidc under hashicorp/cap): {@code oidc: malformed jwt: unexpected signature algorithm "none"};
     * Vault 1.19: {@code oidc: malformed jwt: go-jose/go-jose: unexpected signature algorithm "none"}. The common part
     * is matched (checked on both by src-it's CompatibilityMatrixTest).
     */
    static final String ALG_NONE_ERROR = "unexpected signature algorithm \"none\"";

    /** kubernetes auth method: the token's service account is not in bound_service_account_names. */
    static final String SA_NAME_ERROR = "service account name not authorized";
    /** kubernetes auth method: the token's namespace is not in bound_service_account_namespaces. */
    static final String NAMESPACE_ERROR = "namespace not authorized";
    /** kubernetes auth method, from the TokenReview (Vault itself says only "permission denied"): bad signature. */
    static final String REVIEW_CRYPTO_ERROR = "error in cryptographic primitive";
    /** kubernetes auth method, from the TokenReview: a token the API server does not recognise (e.g. another issuer). */
    static final String REVIEW_INVALID_ERROR = "TokenReview: the API server does not accept the token";

    private final TrustEnvironment environment;
    private final String role;
    private final ServiceAccountJwt control;
    private final List<AdversarialToken> cases;

    private AdversarialTokens(TrustEnvironment environment, String role, ServiceAccountJwt control,
                              List<AdversarialToken> cases) {
        this.environment = environment;
        this.role = role;
        this.control = control;
        this.cases = List.copyOf(cases);
    }

    /**
     * Make the cases for a role that binds a service account through its subject
     * ({@code system:serviceaccount:<ns>:<sa>}).
     *
     * @throws IllegalArgumentException for an unknown role or one that binds no service account
     */
    public static AdversarialTokens against(TrustEnvironment environment, String role) {
        TrustEnvironment env = Objects.requireNonNull(environment, "environment");
        if (env.authMethod(role) == AuthMethod.KUBERNETES) {
            KubernetesRoleSpec spec = env.kubernetesRole(role);
            ServiceAccountSpec sa = spec.boundServiceAccount().orElseThrow(() -> new IllegalArgumentException(
                    "AdversarialTokens.against(environment, \"" + role + "\"): the kubernetes role binds only globs; "
                            + "name the workload it should accept: against(environment, \"" + role
                            + "\", \"<namespace>\", \"<service account>\")"));
            return against(environment, role, sa.namespace(), sa.name());
        }
        RoleSpec spec = env.role(role);
        ServiceAccountSpec sa = spec.boundServiceAccount().orElseThrow(() -> new IllegalArgumentException(
                "AdversarialTokens.against(environment, \"" + role + "\"): the role binds no service account through "
                        + "its subject; name the workload it should accept: against(environment, \"" + role
                        + "\", \"<namespace>\", \"<service account>\")"));
        return against(environment, role, sa.namespace(), sa.name());
    }

    /**
     * Make the cases from a workload the role accepts, {@code namespace/serviceAccount}, e.g. for a role that binds
     * claims such as {@code /kubernetes.io/namespace}.
     */
    public static AdversarialTokens against(TrustEnvironment environment, String role, String namespace,
                                            String serviceAccount) {
        TrustEnvironment env = Objects.requireNonNull(environment, "environment");
        if (env.authMethod(role) == AuthMethod.KUBERNETES) {
            return againstKubernetes(env, role, env.kubernetesRole(role), namespace, serviceAccount);
        }
        RoleSpec spec = env.role(role);
        // A role from a file may bind no audience; the seed's is then as good as any (Vault refuses it either way).
        String audience = spec.boundAudiences().isEmpty() ? io.github.vaultk8strust.Seed.AUDIENCE
                : spec.boundAudiences().get(0);
        ServiceAccountJwt control = env.mintToken(namespace, serviceAccount, audience);
        SigningKey clusterKey = TokenForge.clusterKey(env);
        Instant now = Instant.now();

        List<AdversarialToken> cases = new ArrayList<>();
        cases.add(new AdversarialToken("wrong audience", "a real token for " + namespace + "/" + serviceAccount
                + " with audience vault-k8s-trust-wrong-audience (the role binds " + spec.boundAudiences() + ")",
                env.mintToken(namespace, serviceAccount, "vault-k8s-trust-wrong-audience").raw(), AUDIENCE_ERROR));

        boolean bindsSubject = !spec.boundSubject().isEmpty();
        boolean bindsName = spec.boundClaims().containsKey("/kubernetes.io/serviceaccount/name");
        boolean bindsNamespace = spec.boundClaims().containsKey("/kubernetes.io/namespace");
        try (KubernetesClient kube = env.newKubernetesClient()) {
            if (bindsSubject || bindsName) {
                ensureServiceAccount(kube, namespace, INTRUDER);
                cases.add(new AdversarialToken("another service account", "a real token for " + namespace + "/"
                        + INTRUDER, env.mintToken(namespace, INTRUDER, audience).raw(),
                        bindsSubject ? SUBJECT_ERROR : CLAIMS_ERROR));
            }
            if (bindsSubject || bindsNamespace) {
                ensureServiceAccount(kube, ELSEWHERE, serviceAccount);
                cases.add(new AdversarialToken("another namespace", "a real token for " + ELSEWHERE + "/"
                        + serviceAccount, env.mintToken(ELSEWHERE, serviceAccount, audience).raw(),
                        bindsSubject ? SUBJECT_ERROR : CLAIMS_ERROR));
            }
        }

        cases.addAll(forged(control, clusterKey, now, JWT_VERDICTS));
        return new AdversarialTokens(environment, role, control, cases);
    }

    /**
     * The cases for a {@code kubernetes} role. Vault checks the audience, the service account name and namespace, and
     * {@code exp}/{@code nbf} itself; for everything else (signature, issuer, alg none, a changed payload) it asks
     * the API server's TokenReview and answers only {@code permission denied}, so those cases expect the TokenReview's
     * reason, as the login diagnosis reports it. Wrong audience is only a case when the role sets an audience: a role
     * without one accepts any (see {@link AuthMethodComparison}).
     */
    private static AdversarialTokens againstKubernetes(TrustEnvironment env, String role, KubernetesRoleSpec spec,
                                                       String namespace, String serviceAccount) {
        String audience = spec.audience().isEmpty() ? io.github.vaultk8strust.Seed.AUDIENCE : spec.audience();
        ServiceAccountJwt control = env.mintToken(namespace, serviceAccount, audience);
        SigningKey clusterKey = TokenForge.clusterKey(env);
        Instant now = Instant.now();
        List<AdversarialToken> cases = new ArrayList<>();
        if (!spec.audience().isEmpty()) {
            cases.add(new AdversarialToken("wrong audience", "a real token for " + namespace + "/" + serviceAccount
                    + " with audience vault-k8s-trust-wrong-audience (the role requires " + spec.audience() + ")",
                    env.mintToken(namespace, serviceAccount, "vault-k8s-trust-wrong-audience").raw(), AUDIENCE_ERROR));
        }
        try (KubernetesClient kube = env.newKubernetesClient()) {
            if (!spec.boundServiceAccountNames().contains("*")) {
                ensureServiceAccount(kube, namespace, INTRUDER);
                cases.add(new AdversarialToken("another service account", "a real token for " + namespace + "/"
                        + INTRUDER, env.mintToken(namespace, INTRUDER, audience).raw(), SA_NAME_ERROR));
            }
            if (!spec.boundServiceAccountNamespaces().contains("*")) {
                ensureServiceAccount(kube, ELSEWHERE, serviceAccount);
                cases.add(new AdversarialToken("another namespace", "a real token for " + ELSEWHERE + "/"
                        + serviceAccount, env.mintToken(ELSEWHERE, serviceAccount, audience).raw(), NAMESPACE_ERROR));
            }
        }
        cases.addAll(forged(control, clusterKey, now, KUBERNETES_VERDICTS));
        return new AdversarialTokens(env, role, control, cases);
    }

    /**
     * What a method answers to each forged token: the expected error text and, where it helps, who rejects it. The
     * {@code jwt} method checks signature, issuer and algorithm itself; the {@code kubernetes} method only answers
     * {@code permission denied} and the TokenReview's reason is what the diagnosis reports.
     */
    private record ForgedVerdicts(String signature, String algNone, String issuer, String tampered,
                                  String foreignKeyNote, String algNoneNote, String issuerNote, String tamperedNote) {
    }

    private static final ForgedVerdicts JWT_VERDICTS = new ForgedVerdicts(SIGNATURE_ERROR, ALG_NONE_ERROR,
            ISSUER_ERROR, SIGNATURE_ERROR, "", "", "", "");

    private static final ForgedVerdicts KUBERNETES_VERDICTS = new ForgedVerdicts(REVIEW_CRYPTO_ERROR,
            REVIEW_CRYPTO_ERROR, REVIEW_INVALID_ERROR, REVIEW_CRYPTO_ERROR,
            " (another cluster's key)", "; Vault: permission denied, TokenReview: crypto error",
            "; Vault does not check iss (disable_iss_validation), TokenReview refuses it",
            "; Vault: permission denied, TokenReview: crypto error");

    /** The cases built from the control token's claims: bad times, a foreign key, alg none, issuer, tampering. */
    private static List<AdversarialToken> forged(ServiceAccountJwt control, SigningKey clusterKey, Instant now,
                                                 ForgedVerdicts verdicts) {
        JWTClaimsSet real = control.claims();
        Supplier<JWTClaimsSet> valid = () -> times(real, now, now.plus(Duration.ofHours(1)));
        List<AdversarialToken> cases = new ArrayList<>();
        cases.add(new AdversarialToken("expired", "the real claims with exp one hour ago, signed with the cluster's key",
                TokenForge.sign(times(real, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1))), clusterKey),
                EXPIRED_ERROR));
        cases.add(new AdversarialToken("not yet valid", "the real claims with nbf one hour ahead, signed with the "
                + "cluster's key", TokenForge.sign(new JWTClaimsSet.Builder(times(real, now, now.plus(Duration.ofHours(2))))
                        .notBeforeTime(Date.from(now.plus(Duration.ofHours(1)))).build(), clusterKey),
                NOT_YET_VALID_ERROR));
        cases.add(new AdversarialToken("foreign key", "the real claims signed with an RSA key the cluster never "
                + "published" + verdicts.foreignKeyNote() + ", under the cluster key's kid " + clusterKey.kid()
                + (verdicts.foreignKeyNote().isEmpty() ? "" : "; Vault: permission denied, TokenReview: crypto error"),
                TokenForge.sign(valid.get(), TokenForge.foreignKey(clusterKey.kid())), verdicts.signature()));
        cases.add(new AdversarialToken("alg none", "the real claims with header {\"alg\":\"none\"} and no signature"
                + verdicts.algNoneNote(), TokenForge.unsigned(valid.get()), verdicts.algNone()));
        cases.add(new AdversarialToken("wrong issuer", "the real claims with iss https://issuer.invalid, signed with "
                + "the cluster's key" + verdicts.issuerNote(),
                TokenForge.sign(new JWTClaimsSet.Builder(valid.get()).issuer("https://issuer.invalid").build(), clusterKey),
                verdicts.issuer()));
        cases.add(new AdversarialToken("tampered payload", "a real token whose exp was moved a year ahead after "
                + "signing" + verdicts.tamperedNote(), TokenForge.tamper(control.raw(), claims ->
                        new JWTClaimsSet.Builder(claims).expirationTime(Date.from(now.plus(Duration.ofDays(365)))).build()),
                verdicts.tampered()));
        return cases;
    }

    private static JWTClaimsSet times(JWTClaimsSet real, Instant from, Instant until) {
        return new JWTClaimsSet.Builder(real).issueTime(Date.from(from)).notBeforeTime(Date.from(from))
                .expirationTime(Date.from(until)).jwtID(UUID.randomUUID().toString()).build();
    }

    private static void ensureServiceAccount(KubernetesClient kube, String namespace, String name) {
        var ns = kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build());
        if (ns.get() == null) {
            ns.create();
        }
        var sa = kube.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).withNamespace(namespace).endMetadata().build());
        if (sa.get() == null) {
            sa.create();
        }
    }

    /** Return the role under attack. */
    public String role() {
        return role;
    }

    /** Return the cases, in the order they are tried. */
    public List<AdversarialToken> cases() {
        return cases;
    }

    /** The result of trying one case. */
    public record Attempt(AdversarialToken token, boolean accepted, List<String> vaultErrors,
                          List<String> mismatches) {

        public Attempt {
            vaultErrors = List.copyOf(vaultErrors);
            mismatches = List.copyOf(mismatches);
        }

        /** An attempt without a login diagnosis. */
        public Attempt(AdversarialToken token, boolean accepted, List<String> vaultErrors) {
            this(token, accepted, vaultErrors, List.of());
        }

        /**
         * Return whether Vault rejected the token with the expected reason: in Vault's errors or, for the
         * {@code kubernetes} auth method (whose "permission denied" hides the TokenReview's reason), in the login
         * diagnosis's TokenReview line.
         */
        public boolean rejectedAsExpected() {
            return !accepted && (vaultErrors.stream().anyMatch(e -> e.contains(token.expectedError()))
                    || mismatches.stream().anyMatch(m -> m.startsWith("TokenReview") && m.contains(token.expectedError())));
        }

        /** Return one line: verdict, case name and Vault's reason. */
        public String describe() {
            String verdict = accepted ? "ACCEPTED" : rejectedAsExpected() ? "rejected" : "rejected, other reason";
            return String.format("%-22s %-26s %s", verdict, token.name(), accepted ? "(Vault issued a token)"
                    : String.join("; ", vaultErrors) + mismatches.stream().filter(m -> m.startsWith("TokenReview"))
                            .map(m -> " [" + m + "]").collect(Collectors.joining()) + (rejectedAsExpected() ? ""
                            : "  [expected: \"" + token.expectedError() + "\"]"));
        }
    }

    /** The result of trying every case. */
    public record Report(String role, String control, List<Attempt> attempts) {

        public Report {
            attempts = List.copyOf(attempts);
        }

        /** Return how many tokens were tried. */
        public int tried() {
            return attempts.size();
        }

        /** Return how many tokens Vault accepted (must be 0). */
        public long accepted() {
            return attempts.stream().filter(Attempt::accepted).count();
        }

        /** Return how many were rejected for another reason than the expected one. */
        public long unexpectedReasons() {
            return attempts.stream().filter(a -> !a.accepted() && !a.rejectedAsExpected()).count();
        }

        /** Return e.g. {@code 9 tried, 0 accepted}. */
        public String summary() {
            return tried() + " tried, " + accepted() + " accepted";
        }

        @Override
        public String toString() {
            return "Adversarial tokens against role \"" + role + "\" (control: " + control + "):\n"
                    + attempts.stream().map(a -> "  " + a.describe()).collect(Collectors.joining("\n")) + "\n"
                    + summary() + (unexpectedReasons() == 0 ? "" : ", " + unexpectedReasons()
                    + " rejected for another reason than expected");
        }
    }

    /**
     * Log in with every case and return what happened; accepted tokens are revoked at once. Fails first if the
     * control token (the real one) is refused.
     */
    public Report tryAll() {
        String controlDescription = loginWithControl();
        List<Attempt> attempts = new ArrayList<>();
        for (AdversarialToken token : cases) {
            attempts.add(attempt(token));
        }
        return new Report(role, controlDescription, attempts);
    }

    /**
     * Try every case, print the report (ending in e.g. {@code 9 tried, 0 accepted}) and fail unless each token was
     * rejected with its expected reason.
     *
     * @return the report, for further assertions
     */
    public Report assertAllRejected() {
        Report report = tryAll();
        Progress.say(report.toString());
        if (report.accepted() > 0 || report.unexpectedReasons() > 0) {
            throw new AssertionError(report.toString());
        }
        return report;
    }

    /**
     * Return one dynamic test per case, named e.g. {@code k8s-dev rejects expired}, after a first test proving the
     * role accepts the control token (without it, a role that accepts nobody would pass every case).
     */
    public Stream<DynamicTest> tests() {
        DynamicTest controlTest = DynamicTest.dynamicTest(role + " accepts the control token", this::loginWithControl);
        return Stream.concat(Stream.of(controlTest), cases.stream().map(token -> DynamicTest.dynamicTest(role + " rejects " + token.name(), () -> {
            Attempt attempt = attempt(token);
            if (!attempt.rejectedAsExpected()) {
                throw new AssertionError("role \"" + role + "\", " + token.name() + " (" + token.description() + "): "
                        + attempt.describe());
            }
        })));
    }

    /** Log in with the real token the role should accept; fail if it does not, since rejections would prove nothing. */
    private String loginWithControl() {
        try (VaultSession session = environment.login(role, control.raw())) {
            Objects.requireNonNull(session);
            return control.namespace() + "/" + control.serviceAccountName() + " accepted";
        } catch (VaultLoginException e) {
            throw new AssertionError("The control token for " + control.namespace() + "/" + control.serviceAccountName()
                    + " (the workload role \"" + role + "\" should accept) was rejected, so rejections of the "
                    + "adversarial tokens would prove nothing:\n" + e.getMessage(), e);
        }
    }

    private Attempt attempt(AdversarialToken token) {
        try (VaultSession accepted = environment.login(role, token.jwt())) {
            Objects.requireNonNull(accepted);
            return new Attempt(token, true, List.of());
        } catch (VaultLoginException e) {
            return new Attempt(token, false, e.vaultErrors(), e.mismatches());
        }
    }

    @Override
    public String toString() {
        return "AdversarialTokens[role=" + role + ", " + cases.size() + " cases]";
    }
}
