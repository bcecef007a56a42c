package io.github.vaultk8strust.spi;

import io.github.vaultk8strust.spi.VaultVantage.Reach;
import io.github.vaultk8strust.spi.VaultVantage.Stage;
import io.github.vaultk8strust.support.Tls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * {@link VaultVantage} from this JVM: fetch without credentials, trusting one CA and checking the host name as Vault
 * does. Right for anything sharing this JVM's network (a Vault process on this host); the fallback otherwise.
 */
record JvmVantage(String where) implements VaultVantage {

    @Override
    public Reach reach(URI url, String caPem, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .sslContext(Tls.trusting(caPem)).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return Reach.http(response.statusCode(), response.body().lines().findFirst().orElse(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reach.failed(Stage.UNKNOWN, "interrupted");
        } catch (IOException | RuntimeException e) {
            return classify(e);
        }
    }

    static Reach classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return Reach.failed(Stage.DNS, "the host name does not resolve (" + describe(t) + ")");
            }
            if (t instanceof SSLException) {
                return Reach.failed(Stage.TLS, describe(t));
            }
            if (t instanceof ConnectException || t instanceof HttpTimeoutException) {
                return Reach.failed(Stage.CONNECT, describe(t));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Reach.failed(Stage.UNKNOWN, describe(e));
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
