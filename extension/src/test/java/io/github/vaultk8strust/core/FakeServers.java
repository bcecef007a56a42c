package io.github.vaultk8strust.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.vaultk8strust.spi.Cluster;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.VaultServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A JDK {@link HttpServer} on 127.0.0.1 that answers like the two servers the core talks to, as far as the tests
 * need: the Kubernetes API (TokenRequest, pods) and Vault (any {@code /v1/...} path, answered by a handler the test
 * sets). Every request is recorded. Also hands out a {@link DefaultTrustEnvironment} wired to it, so that the core's
 * own paths (mint, login, token files) run against it without real servers.
 */
public final class FakeServers implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    public record Request(String method, String path, JsonNode body, String vaultToken) {
    }

    /** A canned answer. */
    public record Answer(int status, String json) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<String> serviceAccounts = ConcurrentHashMap.newKeySet();
    private final Map<String, JsonNode> pods = new ConcurrentHashMap<>();
    private volatile Function<Request, Answer> vault = r -> new Answer(404, "{\"errors\":[]}");

    public FakeServers() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Return {@code http://127.0.0.1:<port>}. */
    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Let the Kubernetes API know this service account. */
    public FakeServers serviceAccount(String namespace, String name) {
        serviceAccounts.add(namespace + "/" + name);
        return this;
    }

    /** Answer Vault's requests ({@code /v1/...}) with this handler. */
    public FakeServers vault(Function<Request, Answer> handler) {
        this.vault = handler;
        return this;
    }

    /** Return the requests seen so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Return the requests to paths that start with the prefix. */
    public List<Request> requests(String pathPrefix) {
        return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    /** Return a fabric8 client for the fake Kubernetes API; the caller closes it. */
    public KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    private Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(address()).withRequestTimeout(5000)
                .withConnectionTimeout(2000).withRequestRetryBackoffLimit(0).build();
    }

    /** Return an environment over these servers with these settings; the caller closes it (not the servers). */
    public DefaultTrustEnvironment environment(TrustSettings settings) {
        return DefaultTrustEnvironment.assemble(settings, backend(), kubernetesClient(),
                new TrustSetup.Result("root-token-of-the-fake", Map.of("issuer", "https://fake-issuer")));
    }

    /** Return a backend over these servers: the fake API server and Vault, issuer https://fake-issuer. */
    public RunningBackend backend() {
        return new RunningBackend() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public Cluster cluster() {
                return new Cluster() {
                    @Override
                    public String apiServerUrl() {
                        return address();
                    }

                    @Override
                    public String issuer() {
                        return "https://fake-issuer";
                    }

                    @Override
                    public String caPem() {
                        return "";
                    }

                    @Override
                    public Config adminConfig() {
                        return config();
                    }
                };
            }

            @Override
            public VaultServer vault() {
                return new VaultServer() {
                    @Override
                    public String address() {
                        return FakeServers.this.address();
                    }

                    @Override
                    public Optional<String> devRootToken() {
                        return Optional.empty();
                    }

                    @Override
                    public String logTail() {
                        return "(fake)";
                    }
                };
            }

            @Override
            public void close() {
            }
        };
    }

    /** Return an unsigned JWT for a service account, valid from now for the given seconds. */
    public static String jwt(String namespace, String serviceAccount, List<String> audiences, long seconds) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", "https://fake-issuer")
                .put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount).put("iat", now)
                .put("nbf", now).put("exp", now + seconds);
        claims.set("aud", JSON.valueToTree(audiences));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            Request request = new Request(exchange.getRequestMethod(), path, body,
                    exchange.getRequestHeaders().getFirst("X-Vault-Token"));
            requests.add(request);
            Answer answer = path.startsWith("/v1/") ? vault.apply(request) : kubernetes(request);
            byte[] out = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    private Answer kubernetes(Request request) throws IOException {
        String[] parts = request.path().split("\\?")[0].split("/");
        // /api/v1/namespaces/{ns}/serviceaccounts/{sa}/token
        if (parts.length == 8 && parts[5].equals("serviceaccounts") && parts[7].equals("token")
                && request.method().equals("POST")) {
            String namespace = parts[4];
            String name = parts[6];
            if (!serviceAccounts.contains(namespace + "/" + name)) {
                return notFound("serviceaccounts", name);
            }
            JsonNode spec = request.body().path("spec");
            List<String> audiences = JSON.convertValue(spec.path("audiences"), JSON.getTypeFactory()
                    .constructCollectionType(List.class, String.class));
            long seconds = spec.path("expirationSeconds").asLong(3600);
            ObjectNode answer = ((ObjectNode) request.body().deepCopy());
            answer.putObject("status").put("token", jwt(namespace, name, audiences, seconds))
                    .put("expirationTimestamp", Instant.now().plusSeconds(seconds).toString());
            return new Answer(201, answer.toString());
        }
        // /api/v1/namespaces/{ns}/pods[/{name}]
        if (parts.length >= 6 && parts[5].equals("pods")) {
            String namespace = parts[4];
            if (parts.length == 6 && request.method().equals("POST")) {
                ObjectNode pod = (ObjectNode) request.body().deepCopy();
                ((ObjectNode) pod.path("metadata")).put("uid", "uid-" + pods.size()).put("namespace", namespace);
                pods.put(namespace + "/" + pod.path("metadata").path("name").asText(), pod);
                return new Answer(201, pod.toString());
            }
            if (parts.length == 7) {
                String key = namespace + "/" + parts[6];
                if (request.method().equals("DELETE")) {
                    JsonNode removed = pods.remove(key);
                    return removed == null ? notFound("pods", parts[6]) : new Answer(200, removed.toString());
                }
                JsonNode pod = pods.get(key);
                return pod == null ? notFound("pods", parts[6]) : new Answer(200, pod.toString());
            }
        }
        return notFound("paths", request.path());
    }

    /** Return whether the fake cluster holds this pod. */
    public boolean hasPod(String namespace, String name) {
        return pods.containsKey(namespace + "/" + name);
    }

    private static Answer notFound(String kind, String name) {
        return new Answer(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + kind
                + " \\\"" + name + "\\\" not found\",\"reason\":\"NotFound\",\"code\":404}");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
