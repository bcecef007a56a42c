package io.github.vaultk8strust.core;

import io.github.vaultk8strust.support.Readiness;
import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.Cluster;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.VaultServer;
import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.OwnThread;
import io.github.vaultk8strust.support.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/**
 * The seed's trust setup, written once and run unchanged against any backend: discovery, the anonymous
 * discovery binding, Vault initialisation and unsealing, KV v2, the {@code jwt} auth method trusting the cluster
 * issuer, policies, roles, namespaces and service accounts.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrustSetup {

    /** How long a refused {@code auth/jwt/config} is retried (within the start-up budget) before it is explained. */
    static final Duration DISCOVERY_RETRY = Duration.ofSeconds(15);
    private static final Duration DISCOVERY_RETRY_PAUSE = Duration.ofMillis(500);

    /** The seed's binding name. */
    public static final String DISCOVERY_BINDING = "system:anonymous-service-account-issuer-discovery";
    private static final String PROBE = ".vault-k8s-trust-probe";
    /** The reviewer's token lives a week: longer than any test run, well below Vault's token_reviewer_jwt needs. */
    static final long REVIEWER_TOKEN_SECONDS = 7 * 24 * 3600;

    /** What the setup produced: the root token and the discovery document. */
    public record Result(String rootToken, Map<String, Object> discoveryDocument) {

        @Override
        public String toString() {
            return "TrustSetup.Result[issuer=" + discoveryDocument.get("issuer") + "]";
        }
    }

    private final TrustSettings settings;
    private final RunningBackend backend;
    private final KubernetesClient kube;
    private final Deadline deadline;
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Prepare the flow; nothing happens until {@link #run()}. */
    public TrustSetup(TrustSettings settings, RunningBackend backend, KubernetesClient kube, Deadline deadline) {
        this.settings = settings;
        this.backend = backend;
        this.kube = kube;
        this.deadline = deadline;
    }

    /**
     * The Vault half of the setup (initialisation, KV, the auth mounts, policies), which needs no cluster: begun on a
     * thread of its own as soon as Vault answers, while the cluster may still be booting
     * ({@link io.github.vaultk8strust.spi.PreparedBackend#start(Deadline, java.util.function.Consumer)}), and
     * joined by {@link #run(VaultSide)}.
     */
    public static final class VaultSide {

        private final TrustSetup setup;
        final CompletableFuture<String> rootToken;

        private VaultSide(TrustSetup setup) {
            this.setup = setup;
            this.rootToken = OwnThread.supply("setup-vault", setup::prepareVault);
        }

        /**
         * Stop at the next step or wait (the backend's start failed, or is being tried again, so this Vault is gone
         * or going), and return once nothing of it runs any more.
         */
        public void cancelAndAwait() {
            setup.cancelled.set(true);
            rootToken.handle((root, failure) -> null).join();
        }
    }

    /** Begin the Vault half on {@code backend}, whose Vault answers; its cluster need not be ready. */
    public static VaultSide beginVaultSide(TrustSettings settings, RunningBackend backend, Deadline deadline) {
        return new VaultSide(new TrustSetup(settings, backend, null, deadline));
    }

    /** Run every step; a failed step raises {@link VaultK8sTrustException} naming it, with the server's message. */
    public Result run() {
        return run(null);
    }

    /**
     * Run every step, the Vault half's only if {@code vaultSide} (begun on this backend) is {@code null}; a failed step
     * raises {@link VaultK8sTrustException} naming it, with the server's message.
     */
    public Result run(VaultSide vaultSide) {
        // The steps that do not depend on one another run at once, each on a thread of its own (OwnThread: they wait
        // on the servers, and in a fresh JVM on class loading): the Vault half (unless begun already); the discovery check;
        // the anonymous discovery binding with its proof; the namespaces and service accounts. What needs both sides
        // (the auth methods' configuration and the roles) follows.
        CompletableFuture<String> vault = vaultSide != null ? vaultSide.rootToken
                : OwnThread.supply("setup-vault", this::prepareVault);
        CompletableFuture<Map<String, Object>> discoveryCheck = OwnThread.supply("setup-discovery",
                this::checkDiscovery);
        CompletableFuture<Void> anonymousDiscovery = OwnThread.supply("setup-anonymous-discovery", () -> {
            bindAnonymousDiscovery();
            return null;
        });
        CompletableFuture<Void> accounts = OwnThread.supply("setup-service-accounts", () -> {
            createNamespacesAndServiceAccounts();
            if (settings.enabled(AuthMethod.KUBERNETES)) {
                bindTokenReviewers();
            }
            return null;
        });
        // Every step finishes (or fails) before a failure is reported, so that the caller never stops the servers
        // under a step still running; the first failure in the walkthrough's order is thrown, the others are added
        // to it as suppressed.
        List<CompletableFuture<?>> steps = List.of(discoveryCheck, anonymousDiscovery, accounts, vault);
        CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> null).join();
        Throwable first = null;
        for (CompletableFuture<?> step : steps) {
            Throwable failure = step.handle((ignored, e) -> e instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e).join();
            if (failure != null && first == null) {
                first = failure;
            } else if (failure != null) {
                first.addSuppressed(failure);
            }
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        Map<String, Object> discovery = discoveryCheck.join();
        String root = vault.join();
        VaultApi api = VaultApi.of(backend.vault().address(), root);
        RoleWriter roles = new RoleWriter(api, settings);
        if (settings.enabled(AuthMethod.JWT)) {
            configureJwtAuth(api);
            roles.writeJwtRoles();
        }
        if (settings.enabled(AuthMethod.KUBERNETES)) {
            configureKubernetesAuth(api);
            roles.writeKubernetesRoles();
        }
        roles.failOnProblems();
        return new Result(root, discovery);
    }

    /** The Vault half: initialise (or take dev mode's root token), mount KV v2 and the auth methods, write policies. */
    private String prepareVault() {
        String root = initialiseVault();
        VaultApi vault = VaultApi.of(backend.vault().address(), root);
        proceed();
        mountKv(vault);
        proceed();
        if (settings.enabled(AuthMethod.JWT)) {
            enableJwtAuth(vault);
        }
        if (settings.enabled(AuthMethod.KUBERNETES)) {
            enableAuth(vault, settings.kubernetesAuthPath(), "kubernetes");
        }
        proceed();
        writePolicies(vault);
        return root;
    }

    /** Throw if the Vault half was cancelled ({@link VaultSide#cancelAndAwait()}). */
    private void proceed() {
        if (cancelled.get()) {
            throw new VaultK8sTrustException("The Vault half of the trust setup was stopped: the backend's start failed "
                    + "or was tried again");
        }
    }

    // 1. "kubectl get --raw /.well-known/openid-configuration"
    private Map<String, Object> checkDiscovery() {
        Cluster cluster = backend.cluster();
        String raw;
        try {
            raw = kube.raw("/.well-known/openid-configuration");
        } catch (KubernetesClientException e) {
            throw new VaultK8sTrustException("Reading the cluster's OIDC discovery document failed: " + e.getMessage()
                    + ". The API server must run with --service-account-issuer and --service-account-signing-key-file.", e);
        }
        if (raw == null) {
            throw new VaultK8sTrustException("The API server at " + cluster.apiServerUrl() + " serves no "
                    + "/.well-known/openid-configuration: service-account issuer discovery is disabled. Start it with "
                    + "--service-account-issuer and --service-account-signing-key-file.");
        }
        Map<String, Object> document;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = VaultApi.JSON.readValue(raw, Map.class);
            document = parsed;
        } catch (IOException e) {
            throw new VaultK8sTrustException("The cluster's discovery document is not JSON: " + raw, e);
        }
        if (!cluster.issuer().equals(document.get("issuer"))) {
            throw new VaultK8sTrustException("The cluster's discovery document names issuer \"" + document.get("issuer")
                    + "\" but the backend announced \"" + cluster.issuer() + "\". Vault compares them byte for byte "
                    + "(a trailing '/' matters), so the trust would fail.");
        }
        if (!cluster.jwksUri().equals(document.get("jwks_uri"))) {
            throw new VaultK8sTrustException("The cluster's discovery document names jwks_uri \""
                    + document.get("jwks_uri") + "\" but the backend pinned \"" + cluster.jwksUri() + "\" "
                    + "(--service-account-jwks-uri). Vault fetches the issuer's keys from jwks_uri: left to itself, "
                    + "kube-apiserver derives it from its external address, which Vault may not reach, and every login "
                    + "would then fail at key fetch.");
        }
        return Map.copyOf(document);
    }

    // 2. "kubectl create clusterrolebinding system:anonymous-service-account-issuer-discovery ..."
    private void bindAnonymousDiscovery() {
        kube.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(DISCOVERY_BINDING).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("system:service-account-issuer-discovery").endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User")
                .withName("system:anonymous").endSubject()
                .build()).createOr(existing -> existing.update());
        // Vault fetches discovery and keys without credentials: prove that works before Vault tries.
        HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .sslContext(Tls.trusting(backend.cluster().caPem())).build();
        String url = backend.cluster().apiServerUrl() + "/openid/v1/jwks";
        try {
            Readiness.await(deadline, "anonymous read of " + url, () -> {
                HttpResponse<String> r = anonymous.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                boolean ready = r.statusCode() == 200 && r.body().contains("\"keys\"");
                return ready ? null : "HTTP " + r.statusCode() + " " + r.body().strip();
            });
        } catch (Readiness.NotReady e) {
            throw new VaultK8sTrustException("An anonymous GET " + url + " does not succeed (" + e.lastProblem() + "), so "
                    + "Vault could not fetch the issuer's keys. A 401 means the API server runs with "
                    + "--anonymous-auth=false (k3s does by default: start it with "
                    + "--kube-apiserver-arg=anonymous-auth=true); a 403 means the ClusterRoleBinding "
                    + DISCOVERY_BINDING + " is missing.", e);
        }
    }

    // 7a. "kubectl create sa vault-writer" (and the namespaces they live in)
    private void createNamespacesAndServiceAccounts() {
        for (String ns : settings.namespaces()) {
            var namespace = kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .endMetadata().build());
            if (namespace.get() == null) {
                namespace.create();
            }
        }
        for (ServiceAccountSpec sa : settings.serviceAccounts()) {
            var account = kube.serviceAccounts().inNamespace(sa.namespace()).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(sa.name()).withNamespace(sa.namespace()).endMetadata().build());
            if (account.get() == null) {
                account.create();
            }
        }
    }

    // 2. "vault operator init" + 3 x "vault operator unseal", or dev mode's root token
    private String initialiseVault() {
        VaultServer server = backend.vault();
        if (settings.vaultMode() == VaultMode.DEV) {
            return server.devRootToken().orElseThrow(() -> new VaultK8sTrustException(
                    "The Vault server was started in dev mode but the backend knows no root token"));
        }
        VaultApi anonymous = VaultApi.of(server.address(), null);
        VaultApi.Answer init = VaultApi.write(anonymous, "sys/init",
                Map.of("secret_shares", 5, "secret_threshold", 3));
        if (!init.ok()) {
            throw stepFailed("vault operator init (PUT sys/init, 5 shares, threshold 3)", init);
        }
        String root = init.body().path("root_token").asText(null);
        List<String> keys = new ArrayList<>();
        init.body().path("keys_base64").forEach(k -> keys.add(k.asText()));
        if (root == null || keys.size() != 5) {
            throw new VaultK8sTrustException("vault operator init answered without a root token and 5 keys; fields: "
                    + names(init.body()));
        }
        for (int i = 0; i < 3; i++) {
            proceed();
            VaultApi.Answer unseal = VaultApi.write(anonymous, "sys/unseal", Map.of("key", keys.get(i)));
            if (!unseal.ok()) {
                throw stepFailed("vault operator unseal (key " + (i + 1) + " of 3)", unseal);
            }
            if (i == 2 && unseal.body().path("sealed").asBoolean(true)) {
                throw new VaultK8sTrustException("Vault is still sealed after 3 of 5 unseal keys (threshold 3).\n"
                        + "Vault log:\n" + server.logTail());
            }
        }
        awaitActive(anonymous);
        return root;
    }

    private void awaitActive(VaultApi anonymous) {
        try {
            Readiness.await(deadline, "Vault active", () -> {
                proceed();
                VaultApi.Answer health = VaultApi.read(anonymous, "sys/health");
                return health.status() == 200 ? null : "HTTP " + health.status();
            });
        } catch (Readiness.NotReady e) {
            throw new VaultK8sTrustException("Vault did not become active after unsealing (sys/health: " + e.lastProblem()
                    + ").\nVault log:\n" + backend.vault().logTail(), e);
        }
    }

    // 3. "vault secrets enable --version=2 --path kvv2 kv"
    private void mountKv(VaultApi vault) {
        VaultApi.Answer mount = VaultApi.write(vault, "sys/mounts/" + settings.kvPath(),
                Map.of("type", "kv", "options", Map.of("version", "2")));
        if (!mount.ok()) {
            throw stepFailed("vault secrets enable --version=2 --path " + settings.kvPath() + " kv", mount);
        }
        // A fresh KV v2 mount answers 400 "Upgrading from non-versioned to versioned data" for a moment; wait it
        // out here so that a test's first write never sees it.
        String probe = settings.kvPath() + "/data/" + PROBE;
        AtomicReference<VaultApi.Answer> last = new AtomicReference<>();
        try {
            Readiness.await(deadline, "KV v2 ready", () -> {
                proceed();
                VaultApi.Answer write = VaultApi.write(vault, probe, Map.of("data", Map.of("ready", "true")));
                last.set(write);
                return write.ok() ? null : "HTTP " + write.status() + " " + write.errors();
            });
        } catch (Readiness.NotReady e) {
            throw stepFailed("first write to the new KV v2 mount " + settings.kvPath(), last.get());
        }
        // Deleting the metadata removes every version: the mount is left empty, as the seed's is.
        VaultApi.Answer deleted = vault.delete(settings.kvPath() + "/metadata/" + PROBE);
        if (!deleted.ok()) {
            throw new VaultK8sTrustException("Cannot delete the readiness probe " + settings.kvPath() + "/metadata/"
                    + PROBE + ": HTTP " + deleted.status() + " " + deleted.errors());
        }
    }

    // "vault auth enable jwt"
    private void enableJwtAuth(VaultApi vault) {
        enableAuth(vault, settings.authPath(), "jwt");
    }

    private void enableAuth(VaultApi vault, String path, String type) {
        VaultApi.Answer enable = VaultApi.write(vault, "sys/auth/" + path, Map.of("type", type));
        if (!enable.ok()) {
            throw stepFailed("vault auth enable -path=" + path + " " + type, enable);
        }
    }

    // "kubectl create sa vault-token-reviewer; kubectl create clusterrolebinding ... --clusterrole=system:auth-delegator"
    private void bindTokenReviewers() {
        List<ServiceAccountSpec> reviewers = new ArrayList<>();
        String binding;
        if (settings.tokenReviewer() == TokenReviewer.CLIENT_TOKEN) {
            binding = TokenReviewer.CLIENT_BINDING;
            settings.kubernetesRoles().forEach(r -> r.boundServiceAccounts().stream()
                    .filter(sa -> !reviewers.contains(sa)).forEach(reviewers::add));
        } else {
            binding = TokenReviewer.REVIEWER_BINDING;
            ServiceAccountSpec reviewer = reviewer();
            reviewers.add(reviewer);
            createServiceAccount(reviewer);
        }
        if (reviewers.isEmpty()) {
            return;
        }
        ClusterRoleBindingBuilder crb = new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(binding).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName(TokenReviewer.AUTH_DELEGATOR).endRoleRef();
        reviewers.forEach(sa -> crb.addNewSubject().withKind("ServiceAccount").withNamespace(sa.namespace())
                .withName(sa.name()).endSubject());
        kube.rbac().clusterRoleBindings().resource(crb.build()).createOr(existing -> existing.update());
    }

    static ServiceAccountSpec reviewer() {
        return new ServiceAccountSpec(TokenReviewer.REVIEWER_NAMESPACE, TokenReviewer.REVIEWER_NAME);
    }

    private void createServiceAccount(ServiceAccountSpec sa) {
        var namespace = kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(sa.namespace())
                .endMetadata().build());
        if (namespace.get() == null) {
            namespace.create();
        }
        var account = kube.serviceAccounts().inNamespace(sa.namespace()).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(sa.name()).withNamespace(sa.namespace()).endMetadata().build());
        if (account.get() == null) {
            account.create();
        }
    }

    // "vault write auth/kubernetes/config kubernetes_host=... kubernetes_ca_cert=@ca.crt token_reviewer_jwt=..."
    private void configureKubernetesAuth(VaultApi vault) {
        Cluster cluster = backend.cluster();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("kubernetes_host", cluster.apiServerUrlForVault());
        config.put("kubernetes_ca_cert", cluster.caPem());
        // Never fall back to a token file of the pod Vault may run in: the reviewer is exactly what was chosen.
        config.put("disable_local_ca_jwt", true);
        if (settings.tokenReviewer() == TokenReviewer.REVIEWER_SERVICE_ACCOUNT) {
            ServiceAccountSpec reviewer = reviewer();
            TokenRequest request = new TokenRequestBuilder().withNewSpec()
                    .withExpirationSeconds(REVIEWER_TOKEN_SECONDS).endSpec().build();
            String jwt = kube.serviceAccounts().inNamespace(reviewer.namespace()).withName(reviewer.name())
                    .tokenRequest(request).getStatus().getToken();
            config.put("token_reviewer_jwt", jwt);
        } else {
            config.put("token_reviewer_jwt", "");
        }
        String path = "auth/" + settings.kubernetesAuthPath() + "/config";
        VaultApi.Answer write = VaultApi.write(vault, path, config);
        if (!write.ok()) {
            throw new VaultK8sTrustException("Vault refused " + path + " with kubernetes_host="
                    + cluster.apiServerUrlForVault() + " (HTTP " + write.status() + "): "
                    + String.join("; ", write.errors()) + ".\nVault log:\n" + backend.vault().logTail());
        }
    }

    // 6. "vault policy write k8s-dev-writer k8s-dev-writer-policy.hcl"
    private void writePolicies(VaultApi vault) {
        for (PolicySpec policy : settings.policies()) {
            VaultApi.Answer write = VaultApi.write(vault, "sys/policies/acl/" + policy.name(),
                    Map.of("policy", policy.hcl()));
            if (!write.ok()) {
                throw new VaultK8sTrustException("Vault rejected policy \"" + policy.name() + "\" (from "
                        + policy.origin() + "), HTTP " + write.status() + ": " + String.join("; ", write.errors())
                        + ". Fix the HCL; `vault policy fmt` shows the same errors locally.");
            }
        }
    }

    // 4. "vault write auth/jwt/config oidc_discovery_url=... oidc_discovery_ca_pem=... default_role=k8s-dev"
    void configureJwtAuth(VaultApi vault) {
        Cluster cluster = backend.cluster();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("oidc_discovery_url", cluster.issuer());
        config.put("oidc_discovery_ca_pem", cluster.caPem());
        config.put("oidc_client_id", "");
        config.put("oidc_client_secret", "");
        // Without bound_issuer Vault does not check a token's iss claim.
        config.put("bound_issuer", cluster.issuer());
        config.put("default_role", settings.defaultRole());
        // The first call that makes Vault reach the issuer (it reads the discovery document while the config is
        // written): right after start-up, cluster DNS or Service routing may still be settling where Vault runs, so a
        // refusal is retried, within the start-up budget and at most DISCOVERY_RETRY, before it is explained.
        Deadline retry = Deadline.in(min(deadline.remaining(), DISCOVERY_RETRY));
        VaultApi.Answer[] last = new VaultApi.Answer[1];
        try {
            Readiness.await(retry, "auth/" + settings.authPath() + "/config", () -> {
                last[0] = VaultApi.write(vault, "auth/" + settings.authPath() + "/config", config);
                if (last[0].ok()) {
                    return null;
                }
                Thread.sleep(DISCOVERY_RETRY_PAUSE.toMillis());
                return "HTTP " + last[0].status() + ": " + String.join("; ", last[0].errors());
            });
        } catch (Readiness.NotReady e) {
            VaultApi.Answer write = last[0];
            // Vault's own answer ("error checking oidc discovery URL") hides the cause: look from where Vault runs.
            VaultVantage vantage = backend.capability(VaultVantage.class).orElseGet(() -> VaultVantage.thisJvm(
                    "unknown to the " + backend.name() + " backend; probed from this test JVM instead, which may see "
                            + "another network than Vault"));
            throw new VaultK8sTrustException("Vault refused auth/" + settings.authPath() + "/config with "
                    + "oidc_discovery_url=" + cluster.issuer() + " for " + retry.budget().toSeconds() + " s"
                    + (write == null ? " (no answer)" : " (last answer HTTP " + write.status() + ": "
                    + String.join("; ", write.errors()) + ")") + ".\n"
                    + DiscoveryDiagnosis.explain(cluster.issuer(), cluster.jwksUri(), cluster.caPem(), vantage)
                    + "\nVault's log:\n" + backend.vault().logTail(), e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private VaultK8sTrustException stepFailed(String step, VaultApi.Answer answer) {
        return new VaultK8sTrustException("Trust setup step failed: " + step + ": HTTP "
                + (answer == null ? "?" : answer.status() + ": " + String.join("; ", answer.errors()))
                + ".\nVault log:\n" + backend.vault().logTail());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
