package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ExecResult;
import io.github.vaultk8strust.support.Causes;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A {@link VaultVantage} that runs commands where Vault runs (its container through {@code docker exec}, its pod
 * through the API server's exec): Vault's own client ({@code vault status} against the URL's host, verifying TLS with
 * the CA as Vault's Go TLS stack does) for DNS, connection and certificate, then busybox {@code wget} for the HTTP
 * status of the URL itself, when the image has a working one. No credentials are sent: no token file, no
 * {@code VAULT_TOKEN}.
 */
@API(status = INTERNAL, since = "0.1")
public final class ExecVantage implements VaultVantage {

    /** Where the CA is written for {@code vault status -ca-cert}. */
    static final String PROBE_CA = "/tmp/vault-k8s-trust-issuer-ca.pem";
    private static final Pattern VAULT_CODE = Pattern.compile("Code: (\\d{3})");
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})");

    /** Runs a command where Vault runs; a failure to run it at all is an exception. */
    @FunctionalInterface
    public interface Exec {
        /** Run the command and return how it ended. */
        ExecResult run(List<String> command) throws Exception;
    }

    private final String where;
    private final Exec exec;

    /**
     * Probe through {@code exec}.
     *
     * @param where where the commands run, in words (the answer of {@link #where()})
     */
    public ExecVantage(String where, Exec exec) {
        this.where = Objects.requireNonNull(where, "where");
        this.exec = Objects.requireNonNull(exec, "exec");
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public Reach reach(URI url, String caPem, Duration timeout) {
        long seconds = Math.max(1, timeout.toSeconds());
        String host = url.getHost();
        String output;
        try {
            // The CA is public: it goes in as an argument, written by the image's own shell.
            ExecResult ca = exec.run(List.of("sh", "-c", "printf '%s' \"$1\" > " + PROBE_CA, "sh", caPem));
            if (!ca.succeeded()) {
                return Reach.failed(Stage.UNKNOWN, "cannot write the CA for the probe: " + ca);
            }
            ExecResult status = exec.run(List.of("env", "HOME=/nonexistent", "VAULT_TOKEN=",
                    "VAULT_CLIENT_TIMEOUT=" + seconds + "s", "VAULT_MAX_RETRIES=0", "vault", "status",
                    "-address=" + url.getScheme() + "://" + url.getRawAuthority(), "-ca-cert=" + PROBE_CA));
            output = (status.stdout() + "\n" + status.stderr()).strip();
            if (status.exitCode() == 127) {
                return Reach.failed(Stage.UNKNOWN, "the image has no vault binary to probe with: " + output);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Reach.failed(Stage.UNKNOWN, "cannot run a probe there: " + Causes.oneLine(e));
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
                    : host + " is not in /etc/hosts there and no DNS server answered within " + seconds
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
        return Reach.http(0, "name, connection and certificate verified from there; the API server answered "
                + "HTTP " + vaultCode + " for another path, and the image has no working wget to read the status of "
                + url.getPath() + " itself");
    }

    private Optional<Reach> wgetStatus(URI url, long seconds) {
        try {
            // Name and certificate were verified above; wget only reads the status (busybox checks no certificate).
            ExecResult wget = exec.run(List.of("wget", "-q", "-S", "-O", "-", "-T", String.valueOf(seconds),
                    "--no-check-certificate", url.toString()));
            Matcher status = HTTP_STATUS.matcher(wget.stderr());
            if (status.find()) {
                String body = wget.stdout().lines().findFirst().orElse("");
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
            ExecResult hosts = exec.run(List.of("cat", "/etc/hosts"));
            return hosts.stdout().lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty())
                    .map(l -> List.of(l.split("\\s+"))).anyMatch(f -> f.subList(1, f.size()).contains(host));
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
}
