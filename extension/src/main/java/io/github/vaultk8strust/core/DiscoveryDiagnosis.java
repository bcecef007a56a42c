package io.github.vaultk8strust.core;

import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.spi.VaultVantage.Reach;
import java.net.URI;
import java.time.Duration;

/**
 * Explain why Vault could not read the issuer's discovery document ({@code auth/jwt/config} answering "error checking
 * oidc discovery URL"): fetch the same URL from where Vault runs ({@link VaultVantage}) and say which URL, from where,
 * and what failed (DNS, connection, TLS certificate, HTTP 401/403/404), with the fix for each.
 */
final class DiscoveryDiagnosis {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private DiscoveryDiagnosis() {
    }

    /**
     * Probe and explain; the lines are indented for an exception message. The discovery document is fetched first;
     * when it is readable from where Vault runs, the JWKS URI it announces is fetched too (Vault reads it to verify
     * every login).
     */
    static String explain(String issuer, String jwksUri, String caPem, VaultVantage vantage) {
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        Reach reach = probe(vantage, discovery, caPem);
        String text = explain(discovery, vantage.where(), reach);
        if (reach.stage() == VaultVantage.Stage.HTTP && reach.status() == 200) {
            URI jwks = URI.create(jwksUri);
            text += "\n" + explain(jwks, vantage.where(), probe(vantage, jwks, caPem)).lines()
                    .filter(l -> !l.startsWith("  Vault runs in:")).collect(java.util.stream.Collectors.joining("\n"));
        }
        return text;
    }

    private static Reach probe(VaultVantage vantage, URI url, String caPem) {
        try {
            return vantage.reach(url, caPem, PROBE_TIMEOUT);
        } catch (RuntimeException e) {
            return Reach.failed(VaultVantage.Stage.UNKNOWN, "the probe failed: " + e);
        }
    }

    static String explain(URI url, String where, Reach reach) {
        String host = url.getHost();
        String hostPort = host + ":" + (url.getPort() < 0 ? 443 : url.getPort());
        String seen;
        String fix;
        switch (reach.stage()) {
            case DNS -> {
                seen = "DNS: " + host + " does not resolve there (" + reach.detail() + ")";
                fix = "the issuer's host name must resolve where Vault runs: for a container, a hosts entry "
                        + "(--add-host " + host + ":host-gateway) or a network alias on a Docker network both share; "
                        + "in a cluster, the cluster DNS (CoreDNS up before auth/jwt/config is written)";
            }
            case CONNECT -> {
                seen = "connection: " + hostPort + " resolves but takes no connection (" + reach.detail() + ")";
                fix = "the API server must listen on an address Vault can reach: for a container on the Docker bridge, "
                        + "the bridge gateway, not only 127.0.0.1; and the issuer's port must be the API server's";
            }
            case TLS -> {
                seen = "TLS: " + reach.detail();
                String d = reach.detail().toLowerCase(java.util.Locale.ROOT);
                if (d.contains("unknown authority") || d.contains("pkix") || d.contains("unable to find valid")) {
                    fix = "oidc_discovery_ca_pem must be the CA that signed the API server's serving certificate";
                } else {
                    fix = "the API server's serving certificate must cover " + host + " in its subject alternative "
                            + "names (kube-apiserver --tls-cert-file from a CA that lists it; k3s --tls-san=" + host
                            + "); the issuer, the JWKS URI and the certificate must all use the name Vault uses";
                }
            }
            case HTTP -> {
                seen = "HTTP " + reach.status() + (reach.detail().isEmpty() ? "" : ": " + abbreviate(reach.detail()));
                fix = switch (reach.status()) {
                    case 401 -> "the API server refuses anonymous requests: start it with --anonymous-auth=true "
                            + "(k3s: --kube-apiserver-arg=anonymous-auth=true); Vault sends no credentials";
                    case 403 -> "anonymous requests are not allowed to read discovery: create the ClusterRoleBinding "
                            + TrustSetup.DISCOVERY_BINDING + " (ClusterRole system:service-account-issuer-discovery "
                            + "for User system:anonymous)";
                    case 404 -> "the server at " + hostPort + " serves no discovery document: is it the API server, and "
                            + "does it run with --service-account-issuer=" + url.getScheme() + "://" + url.getAuthority()
                            + "?";
                    case 200 -> "the document is readable from there, so compare its \"issuer\" with "
                            + "oidc_discovery_url byte for byte (a trailing '/' matters), and check that its jwks_uri "
                            + "is reachable from there the same way; Vault's log below has its own words";
                    default -> "an unexpected answer from the API server; Vault's log below has its own words";
                };
            }
            default -> {
                seen = "not known: " + reach.detail();
                fix = "look at Vault's log below, and try the URL from where Vault runs by hand";
            }
        }
        return "  Vault runs in:   " + where + "\n"
                + "  Vault tried:     GET " + url + " without credentials, trusting oidc_discovery_ca_pem "
                + "(the cluster CA)\n"
                + "  Seen from there: " + seen + "\n"
                + "  Fix:             " + fix;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
