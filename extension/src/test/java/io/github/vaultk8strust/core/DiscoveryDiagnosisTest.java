package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.vaultk8strust.spi.VaultVantage;
import io.github.vaultk8strust.spi.VaultVantage.Reach;
import io.github.vaultk8strust.spi.VaultVantage.Stage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the diagnosis of a failed auth/jwt/config says for each way the discovery fetch can fail from Vault's side. */
class DiscoveryDiagnosisTest {

    private static final String ISSUER = "https://host.docker.internal:6443";
    private static final URI URL = URI.create(ISSUER + "/.well-known/openid-configuration");

    private static String explain(Reach reach) {
        return DiscoveryDiagnosis.explain(URL, "the Vault container abc (Docker bridge network)", reach);
    }

    @Test
    void namesTheUrlAndWhereVaultRuns() {
        String text = explain(Reach.http(200, "{\"issuer\":\"x\"}"));
        assertThat(text).contains("Vault runs in:   the Vault container abc (Docker bridge network)")
                .contains("Vault tried:     GET https://host.docker.internal:6443/.well-known/openid-configuration "
                        + "without credentials")
                .contains("Seen from there: HTTP 200").contains("byte for byte");
    }

    @Test
    void dns() {
        assertThat(explain(Reach.failed(Stage.DNS, "lookup host.docker.internal: no such host")))
                .contains("Seen from there: DNS: host.docker.internal does not resolve there")
                .contains("--add-host host.docker.internal:host-gateway");
    }

    @Test
    void connection() {
        assertThat(explain(Reach.failed(Stage.CONNECT, "connect: connection refused")))
                .contains("connection: host.docker.internal:6443 resolves but takes no connection")
                .contains("bridge gateway");
    }

    @Test
    void certificateNotCoveringTheName() {
        assertThat(explain(Reach.failed(Stage.TLS, "x509: certificate is valid for kubernetes, localhost, not "
                + "host.docker.internal")))
                .contains("Seen from there: TLS: x509: certificate is valid for kubernetes, localhost, not "
                        + "host.docker.internal")
                .contains("must cover host.docker.internal in its subject alternative names")
                .contains("--tls-san=host.docker.internal");
    }

    @Test
    void certificateFromAnotherCa() {
        assertThat(explain(Reach.failed(Stage.TLS, "x509: certificate signed by unknown authority")))
                .contains("oidc_discovery_ca_pem must be the CA");
    }

    @Test
    void anonymousRefusedOrForbidden() {
        assertThat(explain(Reach.http(401, "Unauthorized"))).contains("HTTP 401").contains("--anonymous-auth=true");
        assertThat(explain(Reach.http(403, "forbidden"))).contains("HTTP 403")
                .contains(TrustSetup.DISCOVERY_BINDING);
    }

    @Test
    void aProbeThatThrowsIsReportedNotPropagated() {
        VaultVantage broken = new VaultVantage() {
            @Override
            public String where() {
                return "somewhere";
            }

            @Override
            public Reach reach(URI url, String caPem, Duration timeout) {
                throw new IllegalStateException("exec refused");
            }
        };
        assertThat(DiscoveryDiagnosis.explain(ISSUER, ISSUER + "/openid/v1/jwks", "pem", broken))
                .contains("Vault runs in:   somewhere")
                .contains("not known: the probe failed: java.lang.IllegalStateException: exec refused");
    }

    @Test
    void aReadableDiscoveryDocumentLeadsToItsJwksUriProbedFromTheSamePlace() {
        List<URI> probed = new ArrayList<>();
        VaultVantage vantage = new VaultVantage() {
            @Override
            public String where() {
                return "the Vault pod default/vault-0";
            }

            @Override
            public Reach reach(URI url, String caPem, Duration timeout) {
                probed.add(url);
                return url.getPath().endsWith("/jwks") ? Reach.failed(VaultVantage.Stage.CONNECT, "connection refused")
                        : Reach.http(200, "{\"issuer\":\"" + ISSUER + "\"}");
            }
        };

        String text = DiscoveryDiagnosis.explain(ISSUER, "https://10.0.0.9:6443/openid/v1/jwks", "pem", vantage);

        assertThat(probed).containsExactly(URI.create(ISSUER + "/.well-known/openid-configuration"),
                URI.create("https://10.0.0.9:6443/openid/v1/jwks"));
        assertThat(text).contains("GET https://10.0.0.9:6443/openid/v1/jwks")
                .contains("connection: 10.0.0.9:6443 resolves but takes no connection (connection refused)");
        assertThat(text.lines().filter(l -> l.startsWith("  Vault runs in:"))).hasSize(1);
    }

    @Test
    void anUnreadableDiscoveryDocumentIsTheOnlyProbe() {
        List<URI> probed = new ArrayList<>();
        VaultVantage vantage = new VaultVantage() {
            @Override
            public String where() {
                return "here";
            }

            @Override
            public Reach reach(URI url, String caPem, Duration timeout) {
                probed.add(url);
                return Reach.http(401, "Unauthorized");
            }
        };
        DiscoveryDiagnosis.explain(ISSUER, ISSUER + "/openid/v1/jwks", "pem", vantage);
        assertThat(probed).hasSize(1);
    }
}
