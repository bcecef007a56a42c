package io.github.vaultk8strust.it;

import static io.github.vaultk8strust.it.ItSupport.commandLineOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.backend.local.LocalBackend;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local backend's memory and speed settings (LocalBackend: {@code SERVED_API_GROUPS} through
 * {@code --runtime-config}, API Priority and Fairness off, the watch cache off, {@code GOGC} per server, Vault's
 * storage in memory, the administrator's token) against the real servers: each test
 * proves that what the trust flow and its tests need still works with what was switched off, and that what was
 * switched off is off.
 */
@VaultK8sTrust(backend = Backend.LOCAL)
class LocalServerSettingsTest {

    private static final String NAMESPACE = "default";

    private final TrustEnvironment environment;
    private final KubernetesClient kube;

    LocalServerSettingsTest(TrustEnvironment environment, @KubeAdmin KubernetesClient kube) {
        this.environment = environment;
        this.kube = kube;
    }

    @AfterEach
    void deleteWhatWasCreated() {
        kube.pods().inNamespace(NAMESPACE).withName("settings-pod").withGracePeriod(0).delete();
        kube.services().inNamespace(NAMESPACE).withName("settings-service").delete();
        kube.rbac().roleBindings().inNamespace(NAMESPACE).withName("settings-reader").delete();
        kube.rbac().roles().inNamespace(NAMESPACE).withName("settings-reader").delete();
        kube.serviceAccounts().inNamespace(NAMESPACE).withName("settings-watched").delete();
    }

    @Test
    void discoveryListsExactlyTheServedGroupsAndTheOthersAreNotServed() {
        List<String> served = kube.getApiGroups().getGroups().stream()
                .flatMap(g -> g.getVersions().stream().map(v -> v.getGroupVersion())).sorted().toList();
        List<String> expected = LocalBackend.SERVED_API_GROUPS.stream().filter(g -> !g.equals("v1")).sorted().toList();
        assertThat(served).isEqualTo(expected);
        assertThat(kube.raw("/api")).contains("\"versions\":[\"v1\"]");
        // What a user of another group meets: the group is not found, rather than some other error.
        assertThat(kube.getApiGroup("batch")).isNull();
        assertThat(kube.getApiGroup("flowcontrol.apiserver.k8s.io")).isNull();
        APIGroup rbac = kube.getApiGroup("rbac.authorization.k8s.io");
        assertThat(rbac).isNotNull();
    }

    @Test
    void tokenRequestAndTokenReviewWork() {
        ServiceAccountJwt jwt = environment.mintToken(NAMESPACE, "vault-writer", "vault-dev");

        TokenReview review = kube.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(jwt.raw()).withAudiences("vault-dev").endSpec().build());

        assertThat(review.getStatus().getAuthenticated()).isTrue();
        assertThat(review.getStatus().getUser().getUsername()).isEqualTo("system:serviceaccount:default:vault-writer");
        assertThat(review.getStatus().getAudiences()).containsExactly("vault-dev");
    }

    @Test
    void rbacAndSubjectAccessReviewDecideForAServiceAccount() {
        Role role = new RoleBuilder().withNewMetadata().withName("settings-reader").withNamespace(NAMESPACE)
                .endMetadata().addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list")
                .endRule().build();
        RoleBinding binding = new RoleBindingBuilder().withNewMetadata().withName("settings-reader")
                .withNamespace(NAMESPACE).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role").withName("settings-reader").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withName("vault-writer").withNamespace(NAMESPACE).endSubject().build();
        kube.rbac().roles().resource(role).create();
        kube.rbac().roleBindings().resource(binding).create();

        assertThat(allowed("get")).isTrue();
        assertThat(allowed("delete")).isFalse();
    }

    private boolean allowed(String verb) {
        SubjectAccessReview review = kube.authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec().withUser("system:serviceaccount:default:vault-writer")
                        .withGroups("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated")
                        .withNewResourceAttributes().withNamespace(NAMESPACE).withVerb(verb).withResource("pods")
                        .endResourceAttributes().endSpec().build());
        return review.getStatus().getAllowed();
    }

    @Test
    void podsAreStoredAsObjectsAndBindTokensServicesGetAClusterIp() {
        Pod pod = kube.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
                .withName("settings-pod").endMetadata().withNewSpec().withServiceAccountName("vault-writer")
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build()).create();
        // The Priority admission plugin (whose informer needs scheduling.k8s.io) still fills in the priority.
        assertThat(pod.getSpec().getPriority()).isZero();

        TokenRequest bound = kube.serviceAccounts().inNamespace(NAMESPACE).withName("vault-writer").tokenRequest(
                new TokenRequestBuilder().withNewSpec().withAudiences("vault-dev").withNewBoundObjectRef()
                        .withApiVersion("v1").withKind("Pod").withName("settings-pod")
                        .withUid(pod.getMetadata().getUid()).endBoundObjectRef().endSpec().build());
        assertThat(ServiceAccountJwt.parse(bound.getStatus().getToken()).podName()).contains("settings-pod");

        Service service = kube.services().inNamespace(NAMESPACE).resource(new ServiceBuilder().withNewMetadata()
                .withName("settings-service").endMetadata().withNewSpec().addNewPort().withPort(80).endPort()
                .endSpec().build()).create();
        assertThat(service.getSpec().getClusterIP()).startsWith("10.0.0.");
    }

    @Test
    void watchesWorkWithoutTheWatchCache() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (Watch watch = kube.serviceAccounts().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ServiceAccount resource) {
                seen.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            kube.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("settings-watched").endMetadata().build()).create();
            String event;
            do {
                event = seen.poll(30, TimeUnit.SECONDS);
            } while (event != null && !event.equals("ADDED settings-watched"));
            assertThat(event).isEqualTo("ADDED settings-watched");
        }
    }

    @Test
    void eachServerRunsWithItsSettings() throws Exception {
        LocalBackend backend = (LocalBackend) ((DefaultTrustEnvironment) environment).runningBackend();
        for (Map.Entry<String, Long> server : backend.serverPids().entrySet()) {
            String goGc = LocalBackend.GO_GC.get(server.getKey());
            if (goGc != null) {
                assertThat(environmentOf(server.getValue())).as(server.getKey()).containsEntry("GOGC", goGc);
            } else {
                assertThat(environmentOf(server.getValue())).as(server.getKey()).doesNotContainKey("GOGC");
            }
        }
        assertThat(commandLineOf(backend.serverPids().get("etcd"))).contains("--heartbeat-interval=50",
                "--election-timeout=250");
        List<String> apiServer = commandLineOf(backend.serverPids().get("kube-apiserver"));
        assertThat(apiServer).contains("--enable-priority-and-fairness=false", "--watch-cache=false")
                .anyMatch(arg -> arg.startsWith("--runtime-config=api/all=false,"));
    }

    @Test
    void theAdministratorIsSystemMastersByATokenThatNoLogShows() throws Exception {
        io.fabric8.kubernetes.client.Config admin = kube.getConfiguration();
        assertThat(admin.getClientCertData()).as("no client certificate").isNull();
        String token = admin.getOauthToken();
        assertThat(token).matches("[0-9a-f]{64}");
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1) // the JDK's HTTP/2 meets GOAWAY here
                .sslContext(io.github.vaultk8strust.support.Tls.trusting(environment.caPem())).build();
        java.net.http.HttpResponse<String> review = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(environment.apiServerUrl()
                                + "/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(review.statusCode()).as(review.body()).isEqualTo(201);
        assertThat(review.body()).contains("\"username\":\"vault-k8s-trust-admin\"").contains("system:masters");
        // A wrong token is refused, not taken for anonymous.
        java.net.http.HttpResponse<String> wrong = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(environment.apiServerUrl() + "/api/v1/namespaces"))
                .header("Authorization", "Bearer " + "0".repeat(64)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        LocalBackend backend = (LocalBackend) ((DefaultTrustEnvironment) environment).runningBackend();
        try (var logs = Files.list(backend.directory())) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(token);
            }
        }
    }

    @Test
    void vaultKeepsItsDataInMemoryOnly() throws Exception {
        java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(environment.vaultAddress()
                        + "/v1/sys/seal-status")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).contains("\"storage_type\":\"inmem\"").contains("\"initialized\":true");
        LocalBackend backend = (LocalBackend) ((DefaultTrustEnvironment) environment).runningBackend();
        assertThat(Files.readString(backend.directory().resolve("vault.hcl"))).contains("storage \"inmem\"");
        try (var files = Files.list(backend.directory())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("vault-data"));
        }
    }

    private static Map<String, String> environmentOf(long pid) throws Exception {
        return Arrays.stream(new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")),
                        StandardCharsets.UTF_8).split("\0")).filter(e -> e.contains("="))
                .collect(Collectors.toMap(e -> e.substring(0, e.indexOf('=')), e -> e.substring(e.indexOf('=') + 1),
                        (a, b) -> b));
    }
}
