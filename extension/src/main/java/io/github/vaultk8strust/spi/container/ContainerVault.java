package io.github.vaultk8strust.spi.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.VaultServer;
import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.support.SecretMask;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.vault.VaultContainer;

/**
 * Vault in a Testcontainers {@code VaultContainer} beside a backend's cluster; the test JVM reaches it through the
 * mapped port. Dev mode as {@code VaultContainer} does it; INIT mode as a real server (file storage, a TCP listener,
 * {@code disable_mlock}), initialised and unsealed by the trust flow like any other Vault. How the container reaches
 * the API server is the backend's wiring, passed to {@link #create}: the local backend maps its issuer host to the
 * Docker host gateway, the k3s backend puts Vault on a Docker network with the k3s container. As
 * {@link VaultVantage} it looks at a URL from inside the container, the way Vault would fetch it.
 */
@API(status = INTERNAL, since = "0.1")
public final class ContainerVault implements VaultServer, VaultVantage, AutoCloseable {

    /** The port Vault listens on in the container. */
    public static final int PORT = 8200;
    private static final DockerImageName OFFICIAL = DockerImageName.parse("hashicorp/vault");
    private static final String PROBE_CA = "/tmp/vault-k8s-trust-issuer-ca.pem";
    private static final Pattern VAULT_CODE = Pattern.compile("Code: (\\d{3})");
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})");

    private final VaultContainer<?> container;
    private final DockerImageName image;
    private final String network;
    private final String devRootToken;
    private Thread shutdownHook;
    private CompletableFuture<Void> background;

    private ContainerVault(VaultContainer<?> container, DockerImageName image, String network, String devRootToken) {
        this.container = container;
        this.image = image;
        this.network = network;
        this.devRootToken = devRootToken;
    }

    /** Return the image name to use: as given, declared compatible with {@code hashicorp/vault} when it is another. */
    public static DockerImageName imageName(String image) {
        DockerImageName name = DockerImageName.parse(image);
        return name.isCompatibleWith(OFFICIAL) ? name : name.asCompatibleSubstituteFor(OFFICIAL);
    }

    /**
     * Return the server configuration of INIT mode ({@code VAULT_LOCAL_CONFIG}): file storage, a plain TCP listener
     * on {@value #PORT}, no mlock (the container gets no {@code IPC_LOCK}).
     */
    public static String initConfig() {
        return """
                storage "file" {
                  path = "/vault/file"
                }
                listener "tcp" {
                  address     = "0.0.0.0:%d"
                  tls_disable = true
                }
                api_addr          = "http://127.0.0.1:%d"
                disable_mlock     = true
                default_lease_ttl = "168h"
                max_lease_ttl     = "720h"
                """.formatted(PORT, PORT);
    }

    /**
     * Describe the container; nothing starts until {@link #start}.
     *
     * @param image the image, {@code hashicorp/vault} or one that behaves like it
     * @param mode dev (a random root token) or init (the trust flow initialises and unseals)
     * @param network the network it is on, in words for messages, e.g. {@code "Docker bridge network; ..."}
     * @param wiring how the container reaches the API server (a hosts entry, a shared network), applied before start
     */
    @SuppressWarnings("resource") // closed by close()
    public static ContainerVault create(String image, VaultMode mode, String network,
                                        Consumer<VaultContainer<?>> wiring) {
        DockerImageName name = imageName(image);
        VaultContainer<?> container = new VaultContainer<>(name)
                // The official entrypoint would setcap the binary for mlock; disable_mlock and dev mode need none.
                .withEnv("SKIP_SETCAP", "true")
                .withLabel("io.github.vaultk8strust", "vault");
        wiring.accept(container);
        String token = null;
        if (mode == VaultMode.DEV) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            token = "dev-" + HexFormat.of().formatHex(random);
            // Only the dev root token variable: VaultContainer.withVaultToken would also export VAULT_TOKEN into the
            // container, and every `vault` command there (the diagnosis probe too) would send it.
            container.withEnv("VAULT_DEV_ROOT_TOKEN_ID", token)
                    .withCommand("server", "-dev", "-dev-no-store-token");
        } else {
            container.withEnv("VAULT_LOCAL_CONFIG", initConfig())
                    .withCommand("server")
                    // Uninitialised (501) and sealed (503) are ready: the trust flow initialises and unseals.
                    .waitingFor(Wait.forHttp("/v1/sys/health").forPort(PORT)
                            .forStatusCodeMatching(s -> s == 200 || s == 501 || s == 503));
        }
        return new ContainerVault(container, name, Objects.requireNonNull(network, "network"), token);
    }

    /** Start the container and wait until Vault answers, within the timeout; on failure its log is in the message. */
    public void start(Duration timeout) {
        container.withStartupTimeout(timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(1) : timeout);
        shutdownHook = new Thread(this::stopQuietly, "vault-k8s-trust: stop Vault container");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            container.start();
        } catch (RuntimeException e) {
            String log = logTail();
            // Testcontainers puts the container's environment, the dev root token included, into its exception
            // messages: mask them, and chain a copy with the masked message instead of the original.
            List<String> secrets = devRootToken == null ? List.of() : List.of(devRootToken);
            String reason = SecretMask.text(messages(e), secrets);
            RuntimeException masked = new RuntimeException(e.getClass().getName() + " (message masked): " + reason);
            masked.setStackTrace(e.getStackTrace());
            throw new VaultK8sTrustException("The Vault container (image " + image.asCanonicalNameString()
                    + ") did not start: " + reason + ".\nIts log:\n" + log, masked);
        }
    }

    /**
     * Start the container on a background thread (Vault boots while the caller starts the cluster); {@link
     * #awaitStarted()} waits for it, and {@link #close()} lets it finish before stopping the container.
     */
    public void startInBackground(Duration timeout) {
        background = CompletableFuture.runAsync(() -> start(timeout));
    }

    /** Wait for {@link #startInBackground}, rethrowing its failure as is. */
    public void awaitStarted() {
        try {
            background.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public String address() {
        return "http://" + container.getHost() + ":" + container.getMappedPort(PORT);
    }

    @Override
    public Optional<String> devRootToken() {
        return Optional.ofNullable(devRootToken);
    }

    @Override
    public String logTail() {
        String logs;
        try {
            logs = container.getContainerId() == null ? "" : container.getLogs();
        } catch (RuntimeException e) {
            return "    (cannot read the container's log: " + e.getMessage() + ")";
        }
        List<String> lines = logs.lines().toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - 30), lines.size());
        if (last.isEmpty()) {
            return "    (no output)";
        }
        return "    " + SecretMask.text(String.join("\n", last), devRootToken == null ? List.of() : List.of(devRootToken))
                .replace("\n", "\n    ");
    }

    @Override
    public String where() {
        String id = container.getContainerId();
        return "the Vault container " + (id == null ? "(not started)" : id.substring(0, Math.min(12, id.length())))
                + " (image " + image.asCanonicalNameString() + ", " + network + ")";
    }

    /**
     * Return the container's IP address on a Docker network it is attached to, by network id (what workloads in
     * another container on that network connect to), or empty when it is not attached or not started.
     */
    public Optional<String> ipAddressOn(String networkId) {
        if (container.getContainerId() == null) {
            return Optional.empty();
        }
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> networkId.equals(n.getNetworkID()))
                .map(com.github.dockerjava.api.model.ContainerNetwork::getIpAddress)
                .filter(ip -> ip != null && !ip.isBlank()).findFirst();
    }

    /** Return the Testcontainers container (for tests and diagnostics). */
    public VaultContainer<?> container() {
        return container;
    }

    /** Return the image, as Testcontainers uses it. */
    public DockerImageName image() {
        return image;
    }

    /** Join the messages of an exception and its causes (at most five), for one line of a report. */
    public static String messages(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
            parts.add(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip());
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join("; caused by: ", parts);
    }

    /**
     * Look at the URL from inside the container: Vault's own client ({@code vault status} against the URL's host,
     * verifying TLS with the CA, as Vault's Go TLS stack does) for DNS, connection and certificate; then busybox
     * {@code wget} for the HTTP status of the URL itself, when the image has a working one.
     */
    @Override
    public Reach reach(URI url, String caPem, Duration timeout) {
        if (!container.isRunning()) {
            return Reach.failed(Stage.UNKNOWN, "the Vault container is not running");
        }
        long seconds = Math.max(1, timeout.toSeconds());
        String host = url.getHost();
        String output;
        try {
            container.copyFileToContainer(Transferable.of(caPem.getBytes(StandardCharsets.US_ASCII)), PROBE_CA);
            // HOME without a token file and no VAULT_TOKEN: the probe sends no credentials to the API server.
            ExecResult status = container.execInContainer("env", "HOME=/nonexistent", "VAULT_TOKEN=",
                    "VAULT_CLIENT_TIMEOUT=" + seconds + "s", "VAULT_MAX_RETRIES=0", "vault", "status",
                    "-address=" + url.getScheme() + "://" + url.getRawAuthority(), "-ca-cert=" + PROBE_CA);
            output = (status.getStdout() + "\n" + status.getStderr()).strip();
            if (status.getExitCode() == 127) {
                return Reach.failed(Stage.UNKNOWN, "the image has no vault binary to probe with: " + output);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Reach.failed(Stage.UNKNOWN, "cannot run a probe in the container: " + messages(e));
        }
        String lower = output.toLowerCase(Locale.ROOT);
        if (lower.contains("no such host") || lower.contains("server misbehaving") || lower.contains("lookup " + host)) {
            return Reach.failed(Stage.DNS, firstErrorLine(output));
        }
        if (lower.contains("x509:") || lower.contains("tls:") || lower.contains("certificate")) {
            return Reach.failed(Stage.TLS, firstErrorLine(output));
        }
        if (lower.contains("connection refused") || lower.contains("no route to host")
                || lower.contains("network is unreachable") || lower.contains("i/o timeout")) {
            return Reach.failed(Stage.CONNECT, firstErrorLine(output));
        }
        if (lower.contains("context deadline exceeded") || lower.contains("timeout")) {
            // No DNS server answers in many containers: a name missing from /etc/hosts then shows up as a timeout.
            boolean inHosts = hostsFileNames(host);
            return Reach.failed(inHosts ? Stage.CONNECT : Stage.DNS, (inHosts ? "no answer within " + seconds + " s"
                    : host + " is not in the container's /etc/hosts and no DNS server answered within " + seconds
                            + " s") + " (" + firstErrorLine(output) + ")");
        }
        // Vault's client got an HTTP answer: name, connection and certificate are fine from here.
        Matcher code = VAULT_CODE.matcher(output);
        int vaultCode = code.find() ? Integer.parseInt(code.group(1)) : -1;
        Optional<Reach> exact = wgetStatus(url, seconds);
        if (exact.isPresent()) {
            return exact.get();
        }
        if (vaultCode == 401) {
            return Reach.http(401, "the API server refuses anonymous requests (HTTP 401 to Vault's client)");
        }
        return Reach.http(0, "name, connection and certificate verified from the container; the API server answered "
                + "HTTP " + vaultCode + " for another path, and the image has no working wget to read the status of "
                + url.getPath() + " itself");
    }

    private Optional<Reach> wgetStatus(URI url, long seconds) {
        try {
            // Name and certificate were verified above; wget only reads the status (busybox checks no certificate).
            ExecResult wget = container.execInContainer("wget", "-q", "-S", "-O", "-", "-T", String.valueOf(seconds),
                    "--no-check-certificate", url.toString());
            Matcher status = HTTP_STATUS.matcher(wget.getStderr());
            if (status.find()) {
                String body = wget.getStdout().lines().findFirst().orElse("");
                return Optional.of(Reach.http(Integer.parseInt(status.group(1)), body));
            }
            return Optional.empty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
    }

    private boolean hostsFileNames(String host) {
        try {
            ExecResult hosts = container.execInContainer("cat", "/etc/hosts");
            return hosts.getStdout().lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
                    .anyMatch(l -> List.of(l.split("\\s+")).subList(1, l.split("\\s+").length).contains(host));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private static String firstErrorLine(String output) {
        // Vault's CLI wraps the Go error in its own words about the path it asked for; keep the Go error.
        return output.lines().filter(l -> !l.isBlank()).findFirst().orElse(output).strip()
                .replaceFirst("^Error checking seal status: (Get \"[^\"]*\": )?", "");
    }

    private void stopQuietly() {
        try {
            container.stop();
        } catch (RuntimeException e) {
            // At JVM exit, or already gone: nothing more to do.
        }
    }

    /** Stop and remove the container with its volumes; idempotent. */
    @Override
    public void close() {
        if (background != null) {
            // A start that failed elsewhere: let the container's own start finish before stopping it.
            background.handle((ok, e) -> null).join();
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook runs anyway.
            }
            shutdownHook = null;
        }
        container.stop();
    }
}
