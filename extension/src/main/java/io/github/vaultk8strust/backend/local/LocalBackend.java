package io.github.vaultk8strust.backend.local;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.VaultPlacement;
import io.github.vaultk8strust.spi.Cluster;
import io.github.vaultk8strust.spi.RunningBackend;
import io.github.vaultk8strust.spi.VaultServer;
import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.spi.container.ContainerVault;
import io.github.vaultk8strust.support.Closer;
import io.github.vaultk8strust.support.Deadline;
import io.github.vaultk8strust.support.PemKeys;
import io.github.vaultk8strust.support.Progress;
import io.github.vaultk8strust.support.Tls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/**
 * The local backend: real {@code etcd}, {@code kube-apiserver} and {@code vault} (or {@code bao}) processes on
 * 127.0.0.1 with free ports, in a private temporary directory that is deleted on close. There is no kubelet, so
 * no pod runs; discovery, TokenRequest, RBAC and Vault are all real.
 * <p>Each server dies with this JVM, however it ends ({@link ManagedProcess}); directories of JVMs that were killed
 * are swept by the next start ({@link EnvironmentDirectory}); etcd's port accepts only clients holding a certificate
 * from the environment's own CA, and kube-apiserver reaches etcd through a Unix socket in the private directory
 * ({@link #ETCD_SOCKET}); a server that exits after start-up marks the environment broken.
 */
@API(status = INTERNAL, since = "0.1")
public final class LocalBackend implements RunningBackend, Cluster, VaultServer {

    /** How often a start is tried again on fresh ports after a server lost a race for its port. */
    static final int PORT_ATTEMPTS = 3;

    /**
     * The API groups kube-apiserver serves ({@code --runtime-config=api/all=false,<group>=true,...}); every other
     * group (batch, autoscaling, policy, certificates, events.k8s.io, flowcontrol, resource, storagemigration, the
     * alpha and beta ones) is switched off. Serving fewer groups means fewer storage back ends, informers and OpenAPI
     * documents in kube-apiserver's heap. Kept: what the trust flow and its tests use (core {@code v1}: namespaces,
     * service accounts and their TokenRequest, pods as objects, secrets, config maps, services; {@code apps/v1};
     * {@code rbac}; {@code authentication} for TokenReview; {@code authorization} for SubjectAccessReview;
     * {@code apiextensions} for CRDs), and what kube-apiserver itself needs to start and to admit those objects:
     * {@code apiregistration} (it refuses to start without), {@code networking} (Service IP allocation through
     * ServiceCIDR and IPAddress), {@code discovery} and {@code coordination} (its own controllers' informers and
     * leases), {@code admissionregistration}, {@code scheduling}, {@code storage} and {@code node} (the informers of
     * the default admission plugins, which otherwise never sync and refuse every request).
     * {@code LocalServerSettingsTest} (src-it) proves each assumption against the real server.
     */
    public static final List<String> SERVED_API_GROUPS = List.of("v1", "apps/v1", "rbac.authorization.k8s.io/v1",
            "authentication.k8s.io/v1", "authorization.k8s.io/v1", "apiextensions.k8s.io/v1",
            "apiregistration.k8s.io/v1", "networking.k8s.io/v1", "discovery.k8s.io/v1", "coordination.k8s.io/v1",
            "admissionregistration.k8s.io/v1", "scheduling.k8s.io/v1", "storage.k8s.io/v1", "node.k8s.io/v1");

    /**
     * The Go garbage collector's target ({@code GOGC}) for the servers that get one: collect when the heap has grown
     * by this percentage since the last collection (Go's default is 100). Measured alone, it lowered etcd's and
     * Vault's resident memory with no measurable cost per login or at start-up; it changes only when memory is
     * collected. kube-apiserver keeps Go's default: 25 saved it about 37 MiB but made its boot, the floor of every
     * start, about a second slower on two cores.
     */
    public static final Map<String, String> GO_GC = Map.of("etcd", "50", "vault", "50");

    /**
     * The Unix socket, in the environment's private directory, on which etcd also listens and through which
     * kube-apiserver reaches it: {@code --listen-client-urls=https://127.0.0.1:<port>,unix://<dir>/etcd.sock} and
     * {@code --etcd-servers=unix://<dir>/etcd.sock}. etcd serves a Unix socket without TLS and over its native gRPC
     * server, where on a TLS listener it serves gRPC through its HTTP handler; measured in ten paired fresh-JVM starts,
     * kube-apiserver's boot took a median 0.36 s less and a start to the first login 0.59 s less, and each TokenRequest
     * (which reads its service account from etcd) about 0.4 ms less. Who can reach the socket is decided by the
     * directory's mode, 0700: only this user, as only this user can read the client key the TCP listener asks for.
     * A socket's path holds at most {@value #UNIX_SOCKET_PATH_MAX} bytes; for a longer directory kube-apiserver keeps
     * the TLS link with the environment's client certificate.
     */
    public static final String ETCD_SOCKET = "etcd.sock";

    /** The longest path a Unix socket can have on Linux ({@code sun_path} holds 108 bytes with the final NUL). */
    static final int UNIX_SOCKET_PATH_MAX = 107;

    /** The names of {@link #startupPhases()}, in order. */
    public static final String BINARIES_PHASE = "local: find the server binaries";
    public static final String LAUNCH_PHASE = "local: backend start to kube-apiserver launched (directory, ports, "
            + "key material, etcd launched)";
    public static final String PKI_PHASE = "local: generate the key material (CA, certificates, service-account key)";
    public static final String ETCD_PHASE = "etcd: launch to /health";
    public static final String APISERVER_PHASE = "kube-apiserver: launch to /readyz";
    public static final String VAULT_PHASE = "vault: launch to /v1/sys/health";

    private final Path dir;
    private final boolean keepOnFailure;
    private final AtomicReference<String> broken = new AtomicReference<>();
    private final Ports.Reservation ports;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private Pki.Material pki;
    private String apiServerUrl;
    private String issuer;
    private String vaultAddress;
    private String devRootToken;
    private ManagedProcess vaultProcess;
    private LocalPlacement placement;
    private boolean allApiGroups;
    private ContainerVault containerVault;
    private volatile boolean closed;
    private final Map<String, Duration> phases = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final long startedNanos = System.nanoTime();

    private LocalBackend(Path dir, boolean keepOnFailure, Ports.Reservation ports) {
        this.dir = dir;
        this.keepOnFailure = keepOnFailure;
        this.ports = ports;
    }

    /**
     * Start the three servers and wait until each is usable, all within the deadline. On any
     * failure, everything started so far is stopped and the directory deleted before the exception propagates.
     */
    public static LocalBackend start(Map<ServerBinary, Path> binaries, VaultMode vaultMode, Deadline deadline) {
        return start(binaries, vaultMode, new LocalPlacement(VaultPlacement.PROCESS, "", "", true), deadline);
    }

    /**
     * Start the servers with Vault where {@code placement} says: a process, or a container that reaches the API
     * server across the Docker bridge (then the API server listens on the bridge gateway and the issuer is
     * {@code https://<issuer host>:<port>}, a name the container resolves to the gateway and the serving certificate
     * covers). Stale environment directories left by killed JVMs are swept first. A server that loses a race for its
     * port is detected and the start is tried again on fresh ports (at most {@value #PORT_ATTEMPTS} times, within
     * the same budget). On any other failure, everything started so far is stopped and the directory deleted (or
     * kept, with {@code keepOnFailure}) before the exception propagates.
     */
    public static LocalBackend start(Map<ServerBinary, Path> binaries, VaultMode vaultMode, LocalPlacement placement,
                                     Deadline deadline) {
        return start(binaries, vaultMode, placement, false, deadline);
    }

    /** As {@link #start(Map, VaultMode, LocalPlacement, Deadline)}, keeping a failed environment's directory if asked. */
    public static LocalBackend start(Map<ServerBinary, Path> binaries, VaultMode vaultMode, LocalPlacement placement,
                                     boolean keepOnFailure, Deadline deadline) {
        return start(binaries, vaultMode, placement, keepOnFailure, null, Pki.serviceAccountKeys(), false,
                backend -> { }, deadline);
    }

    /**
     * As above, also reporting how long finding the binaries took ({@link #BINARIES_PHASE}) when known, with the
     * service-account key already being generated ({@link Pki#serviceAccountKeys()}, started before the binaries
     * were looked for), and handing the backend to {@code vaultReady} as soon as Vault answers, before kube-apiserver
     * is ready ({@link io.github.vaultk8strust.spi.PreparedBackend#start(Deadline, java.util.function.Consumer)}).
     */
    static LocalBackend start(Map<ServerBinary, Path> binaries, VaultMode vaultMode, LocalPlacement placement,
                              boolean keepOnFailure, Duration binariesTime,
                              java.util.concurrent.CompletableFuture<java.security.KeyPair> serviceAccountKeys,
                              boolean allApiGroups,
                              java.util.function.Consumer<RunningBackend> vaultReady, Deadline deadline) {
        Path parent = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        EnvironmentDirectory.sweepStale(parent, Progress::say);
        for (int attempt = 1; ; attempt++) {
            LocalBackend backend = new LocalBackend(EnvironmentDirectory.create(parent), keepOnFailure,
                    Ports.reserve(3));
            backend.placement = placement;
            backend.allApiGroups = allApiGroups;
            if (binariesTime != null) {
                backend.phases.put(BINARIES_PHASE, binariesTime);
            }
            ManagedProcess.deleteDirectoryAtExit(backend.dir);
            try {
                backend.startServers(binaries, vaultMode, serviceAccountKeys, vaultReady, deadline);
                backend.watch();
                return backend;
            } catch (ManagedProcess.PortConflictException e) {
                boolean retry = attempt < PORT_ATTEMPTS && !deadline.remaining().isZero();
                backend.closeAfterFailure(e, !retry);
                if (!retry) {
                    throw e;
                }
                String first = e.getMessage().lines().findFirst().orElse("");
                int cut = first.indexOf(". The cause");
                Progress.say("a server lost a race for its port (" + (cut > 0 ? first.substring(0, cut) : first)
                        + "); starting again on fresh ports, attempt " + (attempt + 1) + " of " + PORT_ATTEMPTS);
            } catch (RuntimeException | Error e) {
                backend.closeAfterFailure(e, true);
                throw e;
            }
        }
    }

    @Override
    public Optional<String> failed(Throwable cause) {
        broken.compareAndSet(null, "start-up failed: " + cause.getMessage());
        return Optional.empty();
    }

    private void closeAfterFailure(Throwable failure, boolean keepIfAsked) {
        if (keepIfAsked && keepOnFailure) {
            broken.compareAndSet(null, "start-up failed: " + failure.getMessage());
        }
        try {
            close();
        } catch (RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }

    private void startServers(Map<ServerBinary, Path> binaries, VaultMode mode,
                              java.util.concurrent.CompletableFuture<java.security.KeyPair> serviceAccountKeys,
                              java.util.function.Consumer<RunningBackend> vaultReady, Deadline deadline) {
        int apiPort = ports.port(1);
        int vaultPort = ports.port(2);
        // The issuer is what Vault fetches discovery from, so it must be reachable from Vault, by that name, with a
        // certificate covering it, and equal, byte for byte, to the issuer in the discovery document: no trailing
        // slash. A Vault process shares this host's loopback; a Vault container reaches the host by the issuer host
        // name, which its /etc/hosts maps to the Docker bridge gateway, where the API server then listens.
        String bindAddress = "127.0.0.1";
        String issuerHost = bindAddress;
        List<String> sans = new ArrayList<>(List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local"));
        if (placement.container()) {
            bindAddress = ContainerDocker.bridgeGateway().getHostAddress();
            issuerHost = placement.issuerHost();
            sans.add(bindAddress);
            if (placement.issuerHostInCert()) {
                sans.add(issuerHost);
            }
            // The container reaches this host by the issuer host name, mapped to the bridge gateway in its /etc/hosts.
            String host = placement.issuerHost();
            containerVault = ContainerVault.create(placement.image(), mode, "Docker bridge network; " + host
                    + " is mapped to the host gateway in its /etc/hosts", c -> c.withExtraHost(host, "host-gateway"));
            // The container starts beside etcd and the API server; the trust flow waits for both.
            containerVault.startInBackground(deadline.remaining());
        }
        apiServerUrl = "https://" + bindAddress + ":" + apiPort;
        issuer = "https://" + issuerHost + ":" + apiPort;
        vaultAddress = "http://127.0.0.1:" + vaultPort;
        // The key material, then etcd and kube-apiserver: that is the critical path (kube-apiserver's boot is the
        // longest). Vault needs no certificate and is ready long before kube-apiserver; it is launched after them so
        // that its boot does not take a core from the key generation.
        long pkiStarted = System.nanoTime();
        pki = Pki.generate(dir, sans, serviceAccountKeys);

        // etcd's TCP listener serves TLS only and accepts only clients with a certificate from this environment's
        // CA: without that, any local user could write RBAC objects straight into the cluster. The peer listener
        // (required by etcd even for one member) is TLS with client certificates too, on a port the kernel picks
        // (":0"), never dialled by a single-member cluster. kube-apiserver reaches etcd through a Unix socket in the
        // private directory instead (see ETCD_SOCKET), unless the directory's path is too long for one.
        String etcdUrl = "https://127.0.0.1:" + ports.port(0);
        String peerUrl = "https://127.0.0.1:2380";
        Optional<String> etcdSocket = etcdSocketUrl(dir);
        ManagedProcess etcd = launch("etcd", 0, List.of(binaries.get(ServerBinary.ETCD).toString(),
                "--name=default",
                "--data-dir=" + dir.resolve("etcd-data"),
                "--listen-client-urls=" + etcdUrl + etcdSocket.map(socket -> "," + socket).orElse(""),
                "--advertise-client-urls=" + etcdUrl,
                "--cert-file=" + pki.etcdCert(),
                "--key-file=" + pki.etcdKey(),
                "--client-cert-auth",
                "--trusted-ca-file=" + pki.caCert(),
                "--listen-peer-urls=https://127.0.0.1:0",
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=default=" + peerUrl,
                "--peer-cert-file=" + pki.etcdCert(),
                "--peer-key-file=" + pki.etcdKey(),
                "--peer-client-cert-auth",
                "--peer-trusted-ca-file=" + pki.caCert(),
                "--unsafe-no-fsync=true",
                // A single member elects itself once an election timeout passes: with the default (1000 ms, ticks of
                // 100 ms) etcd answered /health after about 850 ms, with these after 100 to 200 ms. There is no
                // other member to lose touch with, so a short timeout risks nothing.
                "--heartbeat-interval=50",
                "--election-timeout=250",
                "--log-level=warn"), goEnvironment("etcd"));

        // etcd needs no service-account key: it boots while the key is finished.
        pki.awaitServiceAccountKey();
        phases.put(PKI_PHASE, Duration.ofNanos(System.nanoTime() - pkiStarted));
        List<String> etcdLink = etcdSocket.map(socket -> List.of("--etcd-servers=" + socket))
                .orElseGet(() -> List.of("--etcd-servers=" + etcdUrl, "--etcd-cafile=" + pki.caCert(),
                        "--etcd-certfile=" + pki.etcdClientCert(), "--etcd-keyfile=" + pki.etcdClientKey()));
        List<String> apiServerCommand = new ArrayList<>();
        apiServerCommand.add(binaries.get(ServerBinary.KUBE_APISERVER).toString());
        apiServerCommand.addAll(etcdLink);
        apiServerCommand.addAll(List.of(
                "--bind-address=" + bindAddress,
                "--advertise-address=" + bindAddress,
                "--secure-port=" + apiPort,
                "--tls-cert-file=" + pki.servingCert(),
                "--tls-private-key-file=" + pki.servingKey(),
                "--client-ca-file=" + pki.caCert(),
                "--token-auth-file=" + pki.adminTokenFile(),
                // RBAC is required: with AlwaysAllow the server forces anonymous auth off and skips creating the
                // system:service-account-issuer-discovery cluster role.
                "--authorization-mode=RBAC",
                "--anonymous-auth=true",
                "--service-account-issuer=" + issuer,
                "--service-account-jwks-uri=" + issuer + "/openid/v1/jwks",
                "--service-account-key-file=" + pki.serviceAccountPublicKey(),
                "--service-account-signing-key-file=" + pki.serviceAccountKey(),
                "--service-cluster-ip-range=10.0.0.0/24",
                // No controller-manager runs, so nothing would create the default service accounts it waits for.
                "--disable-admission-plugins=ServiceAccount",
                "--allow-privileged=true",
                "--profiling=false",
                // The "kubernetes" Service's endpoints cannot point at a loopback address; nothing here needs them.
                "--endpoint-reconciler-type=none",
                // Lighter (LocalServerSettingsTest proves what each of these leaves working): only the API groups
                // tests use (SERVED_API_GROUPS); no API Priority and Fairness (it queues and limits concurrent
                // requests of many tenants; one test run is one tenant, and its configuration objects and
                // controllers cost memory); no watch cache (reads and watches go to etcd directly, as consistent
                // as through the cache, and kube-apiserver no longer keeps a copy of every object).
                "--runtime-config=" + runtimeConfig(allApiGroups),
                "--enable-priority-and-fairness=false",
                "--watch-cache=false",
                "--cert-dir=" + dir.resolve("apiserver-certs")));
        ManagedProcess apiserver = launch("kube-apiserver", 1, apiServerCommand, goEnvironment("kube-apiserver"));

        phases.put(LAUNCH_PHASE, Duration.ofNanos(System.nanoTime() - startedNanos));
        if (containerVault == null) {
            vaultProcess = launchVault(binaries.get(ServerBinary.VAULT), mode, vaultPort);
        }
        // The probes' clients are built once every server is launched, off the critical path.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpClient etcdClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).sslContext(Tls.mutual(pki.caPem(), pki.etcdClientCert(),
                        pki.etcdClientKey())).build();

        // kube-apiserver was launched without waiting for etcd (it retries its storage on its own); etcd's own
        // check still runs first, so that an etcd that dies is reported as such, with its log.
        awaitEtcd(etcd, etcdClient, etcdUrl, deadline);
        phases.put(ETCD_PHASE, etcd.sinceLaunch());
        // Vault is ready well before kube-apiserver (about two seconds, on two cores): the trust flow initialises it
        // while kube-apiserver boots.
        if (containerVault != null) {
            containerVault.awaitStarted();
            vaultAddress = containerVault.address();
        } else {
            awaitVaultProcess(http, deadline);
            phases.put(VAULT_PHASE, vaultProcess.sinceLaunch());
        }
        vaultReady.accept(this);
        awaitApiServer(apiserver, deadline);
        phases.put(APISERVER_PHASE, apiserver.sinceLaunch());
    }

    /**
     * The {@code --runtime-config} value: only {@link #SERVED_API_GROUPS}; with {@code all}
     * ({@link io.github.vaultk8strust.ConfigKeys#LOCAL_ALL_API_GROUPS_KEY}) kube-apiserver's own defaults (core
     * {@code v1} is on by default, so naming it changes nothing).
     */
    static String runtimeConfig(boolean all) {
        if (all) {
            return "api/v1=true";
        }
        StringBuilder value = new StringBuilder("api/all=false");
        for (String group : SERVED_API_GROUPS) {
            value.append(',').append(group.equals("v1") ? "api/v1" : group).append("=true");
        }
        return value.toString();
    }

    /** The environment a Go server gets besides the clean one {@link ManagedProcess} gives it. */
    private static Map<String, String> goEnvironment(String server) {
        return GO_GC.containsKey(server) ? Map.of("GOGC", GO_GC.get(server)) : Map.of();
    }

    /**
     * Return how long the local start-up steps took: finding the binaries (when known), the key material, and each
     * server from its launch until its health check answered. The servers boot in parallel, so these overlap;
     * kube-apiserver's is the longest and the floor of any start.
     */
    @Override
    public Map<String, Duration> startupPhases() {
        synchronized (phases) {
            return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
        }
    }

    // One method per ready-wait, so that a stack sample (the start-up benchmark's phase profile) names the server.

    /** Return etcd's {@code unix://} client URL in {@code dir}, or empty when the socket's path would be too long. */
    static Optional<String> etcdSocketUrl(Path dir) {
        String path = dir.toAbsolutePath().resolve(ETCD_SOCKET).toString();
        return path.getBytes(StandardCharsets.UTF_8).length <= UNIX_SOCKET_PATH_MAX ? Optional.of("unix://" + path)
                : Optional.empty();
    }

    private static void awaitEtcd(ManagedProcess etcd, HttpClient etcdClient, String etcdUrl, Deadline deadline) {
        etcd.awaitReady(deadline, "answering GET /health", () -> {
            HttpResponse<String> r = get(etcdClient, etcdUrl + "/health");
            return r.statusCode() == 200 && r.body().contains("\"true\"") ? null : "HTTP " + r.statusCode() + " " + r.body();
        });
    }

    private void awaitApiServer(ManagedProcess apiserver, Deadline deadline) {
        HttpClient tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).sslContext(Tls.trusting(pki.caPem()))
                .build();
        apiserver.awaitReady(deadline, "answering GET /readyz", () -> {
            HttpResponse<String> r = get(tls, apiServerUrl + "/readyz");
            return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + r.body().lines().filter(
                    l -> l.contains("failed")).toList();
        });
    }

    private void awaitVaultProcess(HttpClient http, Deadline deadline) {
        vaultProcess.awaitReady(deadline, "answering GET /v1/sys/health", () -> {
            HttpResponse<String> r = get(http, vaultAddress + "/v1/sys/health?uninitcode=200&sealedcode=200&standbyok=true");
            return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " " + r.body();
        });
    }

    private ManagedProcess launchVault(Path binary, VaultMode mode, int port) {
        String listen = "127.0.0.1:" + port;
        if (mode == VaultMode.DEV) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            devRootToken = "dev-" + HexFormat.of().formatHex(random);
            // Dev mode merges this file into its built-in configuration: no cluster listener (see below).
            Path config = dir.resolve("vault-dev.hcl");
            write(config, "disable_clustering = true\n");
            // Passed through the environment, not the command line, so that `ps` does not show it. Both names, so
            // that vault and bao (which reads BAO_* first) agree.
            return launch(binaryName(binary), 2, List.of(binary.toString(), "server", "-dev", "-dev-no-store-token",
                            "-config=" + config),
                    Map.of("VAULT_DEV_ROOT_TOKEN_ID", devRootToken, "BAO_DEV_ROOT_TOKEN_ID", devRootToken,
                            "VAULT_DEV_LISTEN_ADDRESS", listen, "BAO_DEV_LISTEN_ADDRESS", listen,
                            "GOGC", GO_GC.get("vault")));
        }
        Path config = dir.resolve("vault.hcl");
        // Storage in memory: an environment lives exactly as long as its Vault process, which is never restarted, so
        // nothing needs to reach the disk; logins and revocations no longer write files (measured on one environment:
        // about 0.4 ms less per login and 1.5 ms less per revocation). Initialisation, sealing and unsealing are
        // those of any real server. disable_clustering: a single server needs no cluster listener, which Vault would
        // otherwise open on the API port + 1, a port nobody reserved.
        write(config, """
                storage "inmem" {}
                listener "tcp" {
                  address     = "%s"
                  tls_disable = true
                }
                api_addr           = "http://%s"
                disable_clustering = true
                disable_mlock      = true
                default_lease_ttl  = "168h"
                max_lease_ttl      = "720h"
                """.formatted(listen, listen));
        return launch(binaryName(binary), 2, List.of(binary.toString(), "server", "-config=" + config),
                goEnvironment("vault"));
    }

    private static String binaryName(Path binary) {
        return binary.getFileName().toString().startsWith("bao") ? "bao" : "vault";
    }

    /** Release the server's reserved port at the last moment, then start it. */
    private ManagedProcess launch(String name, int portIndex, List<String> command, Map<String, String> env) {
        ports.release(portIndex);
        ManagedProcess process = ManagedProcess.start(name, command, env, dir, dir.resolve(name + ".log"),
                dir.resolve(name + EnvironmentDirectory.PID_SUFFIX));
        processes.add(process);
        return process;
    }

    /** After start-up: a server that exits on its own marks the environment broken, and says so at once. */
    private void watch() {
        for (ManagedProcess process : processes) {
            process.onUnexpectedExit(p -> {
                if (closed) {
                    return;
                }
                String reason = p.state() + " while tests were running (binary " + p.binary() + "); this environment "
                        + "is broken and is not used again. Last lines of its log:\n" + p.logTail(20);
                if (broken.compareAndSet(null, reason)) {
                    Progress.say("WARNING: " + reason.lines().findFirst().orElse(reason));
                }
            });
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultK8sTrustException("interrupted", e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Return the private directory holding data, keys and logs (deleted on close). */
    public Path directory() {
        return dir;
    }

    /** Return the process ids of the running servers. */
    public List<Long> pids() {
        return processes.stream().map(ManagedProcess::pid).toList();
    }

    /** Return the servers by name ({@code etcd}, {@code kube-apiserver}, {@code vault} or {@code bao}) with their pids. */
    public Map<String, Long> serverPids() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        processes.forEach(p -> pids.put(p.name(), p.pid()));
        return pids;
    }

    /** Return the process ids of the servers' supervisors. */
    public List<Long> supervisorPids() {
        return processes.stream().map(ManagedProcess::supervisorPid).toList();
    }

    /** Return etcd's client URL ({@code https}; etcd requires a client certificate from the environment's CA). */
    public String etcdUrl() {
        return "https://127.0.0.1:" + ports.port(0);
    }

    /** Return the service-account signing key file (PKCS#8 PEM). */
    public Path serviceAccountSigningKey() {
        return pki.serviceAccountKey();
    }

    @Override
    public Optional<PrivateKey> serviceAccountPrivateKey() {
        if (pki == null) {
            return Optional.empty();
        }
        try {
            String pem = Files.readString(pki.serviceAccountKey(), StandardCharsets.US_ASCII);
            return Optional.of(PemKeys.privateKey(pem, "The service-account signing key " + pki.serviceAccountKey()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the service-account signing key " + pki.serviceAccountKey(), e);
        }
    }

    @Override
    public String name() {
        return LocalBackendProvider.NAME;
    }

    @Override
    public Cluster cluster() {
        return this;
    }

    @Override
    public VaultServer vault() {
        return containerVault != null ? containerVault : this;
    }

    @Override
    public String apiServerUrl() {
        return apiServerUrl;
    }

    @Override
    public String issuer() {
        return issuer;
    }

    /**
     * The issuer is the API server's address as Vault reaches it in both placements ({@code https://127.0.0.1:<port>}
     * for a process, {@code https://host.docker.internal:<port>} for a container), covered by the serving certificate.
     */
    @Override
    public String apiServerUrlForVault() {
        return issuer;
    }

    @Override
    public String caPem() {
        return pki.caPem();
    }

    @Override
    public Config adminConfig() {
        Base64.Encoder b64 = Base64.getEncoder();
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(apiServerUrl)
                .withCaCertData(b64.encodeToString(pki.caPem().getBytes(StandardCharsets.US_ASCII)))
                .withOauthToken(pki.adminToken())
                .withRequestTimeout(30_000)
                .build();
    }

    @Override
    public String address() {
        return vaultAddress;
    }

    @Override
    public Optional<String> devRootToken() {
        return Optional.ofNullable(devRootToken);
    }

    @Override
    public String logTail() {
        return vaultProcess == null ? "    (not started)" : vaultProcess.logTail(30);
    }

    @Override
    public String processState() {
        return vaultProcess == null ? "Vault was not started as a process here" : vaultProcess.state();
    }

    @Override
    public Optional<String> brokenReason() {
        return Optional.ofNullable(broken.get());
    }

    /** Answer {@link VaultVantage} from where Vault runs: its container, or this host (the process's network). */
    @Override
    public <T> Optional<T> capability(Class<T> type) {
        if (type == VaultVantage.class) {
            return Optional.of(type.cast(containerVault != null ? containerVault
                    : VaultVantage.thisJvm("a vault process on this host (it shares this JVM's network, so the probe "
                            + "ran from this JVM)")));
        }
        return RunningBackend.super.capability(type);
    }

    /**
     * Stop the servers in reverse order of start and delete the directory; keep it instead (private keys and the
     * token file deleted) when the environment failed and {@code keepOnFailure} is set.
     */
    @Override
    public void close() {
        closed = true;
        ports.releaseAll();
        // Signal all first, then wait: the servers shut down in parallel instead of one after another.
        List<AutoCloseable> steps = new ArrayList<>();
        steps.add(containerVault);
        steps.add(() -> processes.forEach(ManagedProcess::signalStop));
        for (int i = processes.size() - 1; i >= 0; i--) {
            steps.add(processes.get(i));
        }
        try {
            Closer.closeAll(null, steps.toArray(AutoCloseable[]::new));
        } finally {
            processes.clear();
            if (keepOnFailure && broken.get() != null) {
                Progress.say(EnvironmentDirectory.keep(dir));
            } else {
                ManagedProcess.deleteTree(dir);
            }
            ManagedProcess.forgetDirectory(dir);
        }
    }

    @Override
    public String toString() {
        return "local backend (API server " + apiServerUrl + ", Vault " + vaultAddress + ", directory " + dir + ")";
    }
}
