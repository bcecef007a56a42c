package io.github.vaultk8strust.core;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.FeatureUnavailableException;
import io.github.vaultk8strust.KubernetesRoleSpec;
import io.github.vaultk8strust.ProjectedTokenFile;
import io.github.vaultk8strust.RoleDefinitionException;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TokenFileSpec;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import io.github.vaultk8strust.spi.BackendProvider;
import io.github.vaultk8strust.spi.BackendRequest;
import io.github.vaultk8strust.spi.PreparedBackend;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.WorkloadRunner;
import io.github.vaultk8strust.support.Closer;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.Progress;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/** A running environment: the backend, the completed trust setup, and the clients the helpers use. */
@API(status = INTERNAL, since = "0.1")
public final class DefaultTrustEnvironment implements ClosableTrustEnvironment {

    private final TrustSettings settings;
    private final RunningBackend backend;
    private final KubernetesClient kube;
    private final TrustSetup.Result setup;
    private final DefaultVaultSession root;
    private final VaultApi anonymous;
    /** Root-token client with short time-outs, for the reads that explain a failed login. */
    private final VaultApi diagnostics;

    /** A local Vault answers a login in milliseconds; a stopped one must not hang the test for long. */
    static final int LOGIN_READ_TIMEOUT_SECONDS = 10;
    static final int DIAGNOSTIC_READ_TIMEOUT_SECONDS = 3;
    private final TokenFiles tokenFiles;
    /** TokenRequests straight over the JDK's client (the per-test hot path); empty: through fabric8. */
    private final Optional<TokenRequestClient> tokenRequests;
    private Duration trustSetupTime = Duration.ZERO;
    private Duration trustAfterBackendTime = Duration.ZERO;

    private DefaultTrustEnvironment(TrustSettings settings, RunningBackend backend, KubernetesClient kube,
                                    TrustSetup.Result setup) {
        this.settings = settings;
        this.backend = backend;
        this.kube = kube;
        this.setup = setup;
        this.root = new DefaultVaultSession(backend.vault().address(), setup.rootToken(), null, List.of("root"));
        this.anonymous = VaultApi.quick(backend.vault().address(), null, LOGIN_READ_TIMEOUT_SECONDS);
        this.diagnostics = VaultApi.quick(backend.vault().address(), setup.rootToken(),
                DIAGNOSTIC_READ_TIMEOUT_SECONDS);
        this.tokenFiles = new TokenFiles(kube, this::mintToken);
        this.tokenRequests = backend.cluster() == null ? Optional.empty()
                : TokenRequestClient.from(backend.cluster().adminConfig());
    }

    /** Put together an environment whose backend runs and whose trust setup is done (the core's tests use fakes). */
    static DefaultTrustEnvironment assemble(TrustSettings settings, RunningBackend backend, KubernetesClient kube,
                                            TrustSetup.Result setup) {
        return new DefaultTrustEnvironment(settings, backend, kube, setup);
    }

    /**
     * Start the backend the settings name and run the trust setup on it. On failure, everything started is
     * stopped before the exception propagates.
     */
    public static DefaultTrustEnvironment start(TrustSettings settings) {
        long started = System.nanoTime();
        BackendProvider provider = Backends.installed().named(settings.backend()).orElseThrow(() ->
                new VaultK8sTrustException("Backend \"" + settings.backend() + "\" is not on the class path"));
        // The client classes load on another thread while binaries are checked and the servers boot.
        ClientWarmUp.start();
        // Obtaining binaries or images comes first and is not part of the start-up budget: a first build takes minutes.
        PreparedBackend prepared = provider.prepare(new BackendRequest(settings.vaultMode(), settings.config(),
                settings.keepOnFailure()));
        Deadline deadline = Deadline.in(settings.startupTimeout());
        // As soon as Vault answers, while the cluster boots: the Vault half of the trust setup begins, and the
        // cluster's client is built and warmed up against the booting API server.
        AtomicReference<TrustSetup.VaultSide> vaultSide = new AtomicReference<>();
        AtomicReference<KubernetesClient> earlyKube = new AtomicReference<>();
        AtomicReference<Runnable> stopWarmUp = new AtomicReference<>();
        long[] setupStarted = new long[1];
        RunningBackend backend;
        try {
            backend = prepared.start(deadline, ready -> {
                setupStarted[0] = System.nanoTime();
                // A start tried again hands over a new backend: drop what was begun on the old one.
                Optional.ofNullable(stopWarmUp.getAndSet(null)).ifPresent(Runnable::run);
                Optional.ofNullable(earlyKube.getAndSet(null)).ifPresent(KubernetesClient::close);
                stopVaultSide(vaultSide.getAndSet(null));
                vaultSide.set(TrustSetup.beginVaultSide(settings, ready, deadline));
                KubernetesClient client = new KubernetesClientBuilder().withConfig(ready.cluster().adminConfig())
                        .build();
                earlyKube.set(client);
                stopWarmUp.set(ClientWarmUp.cluster(client, ready.cluster(), deadline));
            });
        } catch (RuntimeException | Error e) {
            Optional.ofNullable(stopWarmUp.get()).ifPresent(Runnable::run);
            stopVaultSide(vaultSide.get());
            Closer.closeAll(e, earlyKube.get());
            throw e;
        }
        Optional.ofNullable(stopWarmUp.get()).ifPresent(Runnable::run);
        long backendReady = System.nanoTime();
        KubernetesClient kube = earlyKube.get();
        try {
            if (kube == null) {
                kube = new KubernetesClientBuilder().withConfig(backend.cluster().adminConfig()).build();
            }
            if (setupStarted[0] == 0) {
                setupStarted[0] = System.nanoTime();
            }
            TrustSetup.Result result = new TrustSetup(settings, backend, kube, deadline).run(vaultSide.get());
            long setupDone = System.nanoTime();
            Duration setupTime = Duration.ofNanos(setupDone - setupStarted[0]);
            Progress.say("environment ready in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms: "
                    + backend + ", issuer " + result.discoveryDocument().get("issuer"));
            DefaultTrustEnvironment environment = new DefaultTrustEnvironment(settings, backend, kube, result);
            environment.trustSetupTime = setupTime;
            environment.trustAfterBackendTime = Duration.ofNanos(setupDone - backendReady);
            return environment;
        } catch (RuntimeException | Error e) {
            stopVaultSide(vaultSide.get());
            Optional<String> kept = backend.failed(e);
            Closer.closeAll(e, kube, backend);
            if (kept.isPresent() && e instanceof VaultK8sTrustException) {
                // Keep the kind (and a role check's problems) for the caller; add where the evidence is.
                VaultK8sTrustException withEvidence = e instanceof RoleDefinitionException roles
                        ? new RoleDefinitionException(e.getMessage() + "\n" + kept.get(), roles.problems(), e)
                        : new VaultK8sTrustException(e.getMessage() + "\n" + kept.get(), e);
                Arrays.stream(e.getSuppressed()).forEach(withEvidence::addSuppressed);
                throw withEvidence;
            }
            throw e;
        }
    }

    private static void stopVaultSide(TrustSetup.VaultSide side) {
        if (side != null) {
            side.cancelAndAwait();
        }
    }

    @Override
    public Workload startWorkload(WorkloadSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Optional<WorkloadRunner> runner = backend.capability(WorkloadRunner.class);
        if (runner.isPresent()) {
            return runner.get().startWorkload(spec, settings.startupTimeout());
        }
        String feature = "startWorkload(" + spec + ")";
        String reason = k3sOnlyReason(feature);
        if (settings.k3sOnly() == TrustSettings.FeaturePolicy.SKIP) {
            // Not a failure: under @VaultK8sTrust the JUnit adapter reports the test skipped with this reason.
            throw new FeatureUnavailableException(feature, reason + " Skipped because " + ConfigKeys.K3S_ONLY_KEY
                    + "=skip (the default); set it to fail to make this an error.");
        }
        throw new VaultK8sTrustException(reason);
    }

    /** Explain that a k3s-only feature was asked of another backend, and how to get k3s. */
    public String k3sOnlyReason(String feature) {
        return feature + " needs a pod, and only the k3s backend runs pods; this environment runs on the "
                + backend.name() + " backend (no kubelet). Use " + settings.origin().attribute("backend", "Backend.K3S")
                + ", -D" + ConfigKeys.BACKEND_KEY + "=k3s or " + ConfigKeys.environmentVariable(ConfigKeys.BACKEND_KEY)
                + "=k3s where a Docker engine answers.";
    }

    /**
     * The start-up phase of the walkthrough's steps, after the backend's own ({@link #startupPhases()}): from Vault
     * answering (its half begins then, beside the cluster's boot, where the backend allows) to the last step.
     */
    public static final String TRUST_SETUP_PHASE = "trust set up (the walkthrough's steps, from Vault answering)";

    /** The part of {@link #TRUST_SETUP_PHASE} after the backend was ready (cluster and Vault): the critical path. */
    public static final String TRUST_AFTER_BACKEND_PHASE = "trust set up, after the backend was ready";

    /**
     * Return how long start-up took, by phase: the backend's own phases, then {@link #TRUST_SETUP_PHASE} and
     * {@link #TRUST_AFTER_BACKEND_PHASE}.
     */
    public java.util.Map<String, Duration> startupPhases() {
        java.util.Map<String, Duration> phases = new java.util.LinkedHashMap<>(backend.startupPhases());
        phases.put(TRUST_SETUP_PHASE, trustSetupTime);
        phases.put(TRUST_AFTER_BACKEND_PHASE, trustAfterBackendTime);
        return java.util.Collections.unmodifiableMap(phases);
    }

    /** Record that a test using this environment failed (the backend may keep evidence when it closes). */
    public void testFailed(String test, Throwable cause) {
        backend.testFailed(test, cause);
    }

    /** Return the settings this environment was started with. */
    public TrustSettings settings() {
        return settings;
    }

    /** Return the running backend. */
    public RunningBackend runningBackend() {
        return backend;
    }

    /** Return whether this environment's backend runs pods. */
    public boolean runsPods() {
        return backend.capability(WorkloadRunner.class).isPresent();
    }

    @Override
    public Backend backend() {
        for (Backend known : Backend.values()) {
            if (known.name().equalsIgnoreCase(backend.name())) {
                return known;
            }
        }
        return Backend.AUTO;
    }

    @Override
    public String backendName() {
        return backend.name();
    }

    @Override
    public String kubernetesVersion() {
        return settings.kubernetesVersion();
    }

    @Override
    public String vaultVersion() {
        return settings.vaultVersion();
    }

    @Override
    public String issuer() {
        return backend.cluster().issuer();
    }

    @Override
    public Map<String, Object> discoveryDocument() {
        return setup.discoveryDocument();
    }

    @Override
    public String caPem() {
        return backend.cluster().caPem();
    }

    @Override
    public String apiServerUrl() {
        return backend.cluster().apiServerUrl();
    }

    @Override
    public String vaultAddress() {
        return backend.vault().address();
    }

    @Override
    public String kvPath() {
        return settings.kvPath();
    }

    @Override
    public String authPath() {
        return settings.authPath();
    }

    @Override
    public Set<String> roles() {
        Set<String> names = new LinkedHashSet<>();
        settings.roles().forEach(r -> names.add(r.name()));
        settings.kubernetesRoles().forEach(r -> names.add(r.name()));
        return names;
    }

    /**
     * Fail at once when a server of this environment exited after start-up, naming it, with its pid, exit code
     * and log tail, instead of letting the next call run into time-outs.
     */
    public void requireUsable() {
        backend.brokenReason().ifPresent(reason -> {
            throw new VaultK8sTrustException("This environment (" + backend + ") can no longer be used: " + reason);
        });
    }

    @Override
    public KubernetesClient newKubernetesClient() {
        return new KubernetesClientBuilder().withConfig(backend.cluster().adminConfig()).build();
    }

    @Override
    public VaultSession root() {
        return root;
    }

    @Override
    public ServiceAccountJwt mintToken(String namespace, String serviceAccount, String audience) {
        return mintToken(namespace, serviceAccount, audience, 3600);
    }

    @Override
    public ServiceAccountJwt mintToken(String namespace, String serviceAccount, String audience,
                                       long expirationSeconds) {
        return mintToken(namespace, serviceAccount, List.of(audience), expirationSeconds);
    }

    @Override
    public ServiceAccountJwt mintToken(String namespace, String serviceAccount, List<String> audience,
                                       long expirationSeconds) {
        requireUsable();
        if (tokenRequests.isPresent()) {
            TokenRequestClient.Answer answer = tokenRequests.get().request(namespace, serviceAccount, audience,
                    expirationSeconds);
            if (answer.token().isPresent()) {
                return ServiceAccountJwt.parse(answer.token().get());
            }
            if (answer.status() == 404) {
                throw serviceAccountMissing(namespace, serviceAccount, null);
            }
            throw new IllegalArgumentException("The TokenRequest for " + namespace + "/" + serviceAccount
                    + " (audience " + audience + ", " + expirationSeconds + " s) was refused: HTTP " + answer.status()
                    + ": " + answer.message());
        }
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(audience)
                .withExpirationSeconds(expirationSeconds).endSpec().build();
        try {
            TokenRequest answer = kube.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                    .tokenRequest(request);
            return ServiceAccountJwt.parse(answer.getStatus().getToken());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw serviceAccountMissing(namespace, serviceAccount, e);
            }
            throw new IllegalArgumentException("The TokenRequest for " + namespace + "/" + serviceAccount
                    + " (audience " + audience + ", " + expirationSeconds + " s) was refused: " + e.getMessage(), e);
        }
    }

    private IllegalArgumentException serviceAccountMissing(String namespace, String serviceAccount, Throwable cause) {
        return new IllegalArgumentException("Service account " + namespace + "/" + serviceAccount
                + " does not exist; configured service accounts: " + settings.serviceAccounts()
                + ". Declare it with " + settings.origin().declareServiceAccount(namespace, serviceAccount)
                + " or a role whose boundSubject names it.", cause);
    }

    @Override
    public VaultSession login(String role, String jwt) {
        return login(loginMethod(role), role, jwt);
    }

    @Override
    public VaultSession login(AuthMethod method, String role, String jwt) {
        requireUsable();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role", role);
        body.put("jwt", jwt);
        String path = "auth/" + authPath(method) + "/login";
        VaultApi.Answer answer = VaultApi.write(anonymous, path, body);
        if (!answer.ok()) {
            Optional<String> unavailable = vaultUnavailable(answer);
            if (unavailable.isPresent()) {
                // Not a rejection: comparing the token with the role would only invent mismatches.
                throw new VaultLoginException(unavailable.get(), role, answer.status(), answer.errors(), null);
            }
            throw method == AuthMethod.KUBERNETES ? KubernetesLoginDiagnostics.rejected(diagnostics, kube, settings,
                    role, jwt, path, answer) : loginRejected(role, jwt, path, answer);
        }
        List<String> policies = new ArrayList<>();
        answer.body().path("auth").path("policies").forEach(p -> policies.add(p.asText()));
        String token = answer.body().path("auth").path("client_token").asText(null);
        if (token == null) {
            throw new VaultK8sTrustException("Vault answered " + path + " without auth.client_token");
        }
        return new DefaultVaultSession(vaultAddress(), token, role, policies);
    }

    /** The method a login with this role goes to: the role's, or for an unknown role the first enabled (Vault says why). */
    private AuthMethod loginMethod(String role) {
        return settings.authMethod(role).orElse(settings.enabled(AuthMethod.JWT) ? AuthMethod.JWT
                : AuthMethod.KUBERNETES);
    }

    @Override
    public VaultSession login(String role) {
        return loginAs(role, null, null, null, "login(\"" + role + "\")",
                "mint a token yourself and call login(role, jwt)");
    }

    /**
     * The one role → token → login path, behind {@link #login(String)} and {@code @VaultLogin}: find the role (of
     * either auth method), mint a fresh token for the service account and audiences given, else for those the role
     * binds, and log in with it.
     *
     * @param role the role's name
     * @param namespace the token's namespace, or {@code null} for the role's bound service account's
     * @param serviceAccount the token's service account, or {@code null} for the role's
     * @param audience the token's one audience, or {@code null} for the role's (for a kubernetes role in client-token
     *                 mode, plus the API server's: {@link #loginAudiences})
     * @param where how the caller asked, named in messages, e.g. {@code login("r")} or {@code @VaultLogin(role = "r")}
     * @param howToNameTheAccount what to do when the role binds no single service account, for the message
     * @throws IllegalArgumentException when the role is unknown or no service account is given or implied
     * @throws VaultLoginException when Vault rejects the token
     */
    public VaultSession loginAs(String role, String namespace, String serviceAccount, String audience, String where,
                                String howToNameTheAccount) {
        Optional<KubernetesRoleSpec> kubernetesRole = settings.kubernetesRole(role);
        Optional<RoleSpec> jwtRole = settings.role(role);
        if (kubernetesRole.isEmpty() && jwtRole.isEmpty()) {
            throw new IllegalArgumentException(where + " names no configured role; configured roles: " + roles()
                    + ". Declare it with " + settings.origin().declareJwtRole(role)
                    + (settings.enabled(AuthMethod.KUBERNETES) ? " or " + settings.origin().declareKubernetesRole(role)
                    : "") + " or fix the name.");
        }
        Optional<ServiceAccountSpec> bound = kubernetesRole.isPresent() ? kubernetesRole.get().boundServiceAccount()
                : jwtRole.get().boundServiceAccount();
        String ns = namespace != null ? namespace : bound.map(ServiceAccountSpec::namespace).orElse(null);
        String sa = serviceAccount != null ? serviceAccount : bound.map(ServiceAccountSpec::name).orElse(null);
        if (ns == null || sa == null) {
            String binds = kubernetesRole.map(r -> "kubernetes role \"" + role + "\" binds only globs (names "
                    + r.boundServiceAccountNames() + ", namespaces " + r.boundServiceAccountNamespaces() + ")")
                    .orElseGet(() -> "role \"" + role + "\" " + (jwtRole.get().boundSubject().isEmpty()
                            ? "binds claims, not a subject" : "binds subject \"" + jwtRole.get().boundSubject()
                            + "\", which names no service account"));
            throw new IllegalArgumentException(where + ": " + binds + "; " + howToNameTheAccount + ".");
        }
        List<String> audiences = audience != null ? List.of(audience)
                : kubernetesRole.map(this::loginAudiences).orElseGet(() -> List.of(loginAudience(jwtRole.get())));
        return login(role, mintToken(ns, sa, audiences, 3600).raw());
    }

    @Override
    public RoleSpec role(String name) {
        if (settings.role(name).isEmpty() && settings.kubernetesRole(name).isPresent()) {
            throw new IllegalArgumentException("role(\"" + name + "\"): \"" + name + "\" is a role of the kubernetes "
                    + "auth method; use kubernetesRole(\"" + name + "\") (authMethod(name) tells which)");
        }
        return requireRole(name, "role(\"" + name + "\")");
    }

    @Override
    public KubernetesRoleSpec kubernetesRole(String name) {
        return settings.kubernetesRole(name).orElseThrow(() -> new IllegalArgumentException("kubernetesRole(\"" + name
                + "\"): no kubernetes role \"" + name + "\"; kubernetes roles: " + settings.kubernetesRoles().stream()
                .map(KubernetesRoleSpec::name).toList() + (settings.role(name).isPresent() ? "; \"" + name
                + "\" is a jwt role, see role(name)" : "") + ". Declare it with "
                + settings.origin().declareKubernetesRole(name) + "."));
    }

    @Override
    public AuthMethod authMethod(String role) {
        return settings.authMethod(role).orElseThrow(() -> new IllegalArgumentException("authMethod(\"" + role
                + "\"): unknown role \"" + role + "\"; configured roles: " + roles()));
    }

    @Override
    public Set<AuthMethod> authMethods() {
        return settings.authMethods();
    }

    @Override
    public String kubernetesAuthPath() {
        return settings.kubernetesAuthPath();
    }

    /**
     * The audience a login with a jwt role mints its token for: the role's first, or the seed's when it binds none (a
     * role from a file may bind none; Vault then says why it refuses the token).
     */
    static String loginAudience(RoleSpec role) {
        return role.boundAudiences().isEmpty() ? io.github.vaultk8strust.Seed.AUDIENCE : role.boundAudiences().get(0);
    }

    /**
     * The audiences a login with a kubernetes role mints its token for: the role's (or the seed's when it sets none),
     * plus, in client-token mode, the API server's (the issuer): Vault then calls TokenReview with the login token
     * itself, and the API server only accepts a credential meant for it.
     */
    public List<String> loginAudiences(KubernetesRoleSpec role) {
        String audience = role.audience().isEmpty() ? io.github.vaultk8strust.Seed.AUDIENCE : role.audience();
        return settings.tokenReviewer() == io.github.vaultk8strust.TokenReviewer.CLIENT_TOKEN
                ? List.of(audience, issuer()) : List.of(audience);
    }

    @Override
    public ProjectedTokenFile projectToken(TokenFileSpec spec) {
        return tokenFiles.project(spec);
    }

    @Override
    public Optional<PrivateKey> serviceAccountSigningKey() {
        return backend.cluster().serviceAccountPrivateKey();
    }

    /** Return the role, or throw naming it and listing the configured roles. */
    private RoleSpec requireRole(String role, String where) {
        return settings.role(role).orElseThrow(() -> new IllegalArgumentException(where + ": unknown role \"" + role
                + "\"; configured roles: " + roles() + ". Declare it with " + settings.origin().declareJwtRole(role)
                + "."));
    }

    /**
     * Say so when the login failed because Vault did not answer or is sealed, with the Vault process's state and
     * log tail; empty when Vault answered and refused.
     */
    private Optional<String> vaultUnavailable(VaultApi.Answer answer) {
        String address = backend.vault().address();
        String what;
        if (answer.status() == 0) {
            what = "Vault at " + address + " did not answer the login (" + String.join("; ", answer.errors()) + ")";
        } else if (answer.status() == 503 || answer.errors().stream().anyMatch(e -> e.contains("sealed"))) {
            VaultApi.Answer health = VaultApi.read(diagnostics, "sys/health?sealedcode=200&uninitcode=200");
            if (!health.body().path("sealed").asBoolean(answer.errors().stream().anyMatch(e -> e.contains("sealed")))) {
                return Optional.empty();
            }
            what = "Vault at " + address + " is sealed (HTTP " + answer.status() + ": "
                    + String.join("; ", answer.errors()) + "); someone ran `vault operator seal` or Vault restarted. "
                    + "The login was not compared with the role";
        } else {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder(what).append('.');
        backend.brokenReason().ifPresent(reason -> message.append("\n  environment broken: ")
                .append(reason.lines().findFirst().orElse(reason)));
        message.append("\n  process: ").append(backend.vault().processState());
        message.append("\n  Vault's last log lines:\n").append(backend.vault().logTail());
        return Optional.of(message.toString());
    }

    private VaultLoginException loginRejected(String role, String jwt, String path, VaultApi.Answer answer) {
        LoginDiagnostics.RoleLookup lookup = LoginDiagnostics.lookup(diagnostics, settings.authPath(), role);
        LoginDiagnosis.Result diagnosis = LoginDiagnosis.diagnose(jwt, lookup.binding(), lookup.readFailure(),
                LoginDiagnostics.clusterKeys(kube), java.time.Instant.now());
        StringBuilder message = new StringBuilder("Vault rejected the login at ").append(path).append(" with role \"")
                .append(role).append("\" (HTTP ").append(answer.status()).append("): ")
                .append(String.join("; ", answer.errors()));
        diagnosis.mismatches().forEach(m -> message.append("\n  mismatch: ").append(m));
        if (lookup.readFailure() != null) {
            message.append("\n  mismatch: not compared: ").append(diagnosis.role());
        } else if (diagnosis.mismatches().isEmpty()) {
            message.append("\n  mismatch: none found by comparing token and role; Vault's reason above is the authority");
        }
        message.append("\n  token:  ").append(diagnosis.token());
        message.append("\n  role:   ").append(diagnosis.role());
        return new VaultLoginException(message.toString(), role, answer.status(), answer.errors(),
                diagnosis.mismatches(), null);
    }

    /** Stop everything; idempotent. */
    @Override
    public void close() {
        Closer.closeAll(null, tokenFiles, kube, backend);
    }

    @Override
    public String toString() {
        return "TrustEnvironment[" + backend + "]";
    }
}
