package io.github.vaultk8strust.spi.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.spi.VaultServer;
import io.github.vaultk8strust.spi.ExecVantage;
import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.support.Causes;
import io.github.vaultk8strust.support.SecretMask;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.wait.strategy.Wait;
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
            String reason = SecretMask.text(Causes.oneLine(e), secrets);
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


    /** Look at the URL from inside the container, the way Vault would fetch it ({@link ExecVantage}). */
    @Override
    public Reach reach(URI url, String caPem, Duration timeout) {
        if (!container.isRunning()) {
            return Reach.failed(VaultVantage.Stage.UNKNOWN, "the Vault container is not running");
        }
        return new ExecVantage(where(), command -> {
            ExecResult r = container.execInContainer(command.toArray(String[]::new));
            return new io.github.vaultk8strust.ExecResult(command, r.getExitCode(), r.getStdout(), r.getStderr());
        }).reach(url, caPem, timeout);
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
