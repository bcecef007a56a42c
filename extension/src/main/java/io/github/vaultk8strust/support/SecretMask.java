package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Mask what must never reach a log file or an exception message: the value on lines naming a root token or an
 * unseal key (Vault's dev mode prints both, e.g. {@code Unseal Key: ...} and {@code Root Token: ...}), and any
 * secret the caller knows by value, such as a dev root token it generated. Used by every backend.
 */
@API(status = INTERNAL, since = "0.1")
public final class SecretMask {

    private static final Pattern SECRET_LINE = Pattern.compile(
            "(?i)^(.*?(?:root[ _]token|unseal[ _]key[^:=]*|keys_base64|token)[\"']?\\s*[:=]\\s*)\\S.*$");
    private static final String MASK = "<masked by vault-k8s-trust>";

    private SecretMask() {
    }

    /** Mask one line. */
    public static String line(String line, Collection<String> knownSecrets) {
        String masked = SECRET_LINE.matcher(line).replaceAll("$1" + MASK);
        for (String secret : knownSecrets) {
            if (secret != null && !secret.isEmpty()) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    /** Mask every line of a text. */
    public static String text(String text, Collection<String> knownSecrets) {
        return text.lines().map(l -> line(l, knownSecrets)).collect(Collectors.joining("\n"));
    }
}
