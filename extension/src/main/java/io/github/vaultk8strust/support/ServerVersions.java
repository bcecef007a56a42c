package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.github.vaultk8strust.ConfigKeys;
import io.github.vaultk8strust.VaultK8sTrustConfigurationException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The server versions the library knows: each one has a wrapper Go module shipped with the library that is known to
 * compile, and has passed the compatibility matrix (README, "Compatibility"). A requested version is resolved against
 * this table: a full version must be listed, a minor ({@code 1.33}) becomes its newest listed patch, anything else is
 * refused with the list.
 */
@API(status = INTERNAL, since = "0.1")
public final class ServerVersions {

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    private ServerVersions() {
    }

    /** A server whose version is a setting. */
    public enum Product {
        /** kube-apiserver (and with it the etcd Kubernetes pairs it with). */
        KUBERNETES("kubernetes", "kubernetesVersion", ConfigKeys.KUBERNETES_VERSION_KEY,
                ConfigKeys.DEFAULT_KUBERNETES_VERSION, List.of("1.33.13", "1.34.10")),
        /** HashiCorp Vault. */
        VAULT("vault", "vaultVersion", ConfigKeys.VAULT_VERSION_KEY, ConfigKeys.DEFAULT_VAULT_VERSION,
                List.of("1.19.5", "1.21.0"));

        private final String label;
        private final String attribute;
        private final String key;
        private final String defaultVersion;
        private final List<String> known;

        Product(String label, String attribute, String key, String defaultVersion, List<String> known) {
            this.label = label;
            this.attribute = attribute;
            this.key = key;
            this.defaultVersion = defaultVersion;
            this.known = known;
        }

        /** Return the name used in display names and messages, e.g. {@code kubernetes}. */
        public String label() {
            return label;
        }

        /** Return the annotation attribute and builder method, e.g. {@code kubernetesVersion}. */
        public String attribute() {
            return attribute;
        }

        /** Return the configuration key, e.g. {@link ConfigKeys#KUBERNETES_VERSION_KEY}. */
        public String key() {
            return key;
        }

        /** Return the version used when none is asked for: the library's pin. */
        public String defaultVersion() {
            return defaultVersion;
        }

        /** Return the known versions, oldest first, without a leading {@code v}. */
        public List<String> known() {
            return known;
        }
    }

    /**
     * Resolve a requested version against the known ones.
     *
     * @param product the server
     * @param requested as written: {@code 1.33}, {@code 1.33.13} or {@code v1.33.13}
     * @param where what the user wrote, with the value, for the message, e.g.
     *              {@code @VaultK8sTrust(kubernetesVersion = "1.x")}
     * @return the full known version, without a leading {@code v}
     * @throws VaultK8sTrustConfigurationException if it is malformed or not known, listing the known versions
     */
    public static String resolve(Product product, String requested, String where) {
        String value = requested == null ? "" : requested.strip();
        Matcher m = VERSION.matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new VaultK8sTrustConfigurationException(where + " is not a " + product.label()
                    + " version; write a known version or its minor, e.g. \"" + minor(product.defaultVersion())
                    + "\". " + knownText(product));
        }
        String minor = Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2));
        if (m.group(3) == null) {
            Optional<String> newest = product.known().stream().filter(v -> minor(v).equals(minor))
                    .max(Comparator.comparingInt(ServerVersions::patch));
            return newest.orElseThrow(() -> new VaultK8sTrustConfigurationException(where + ": " + product.label()
                    + " " + minor + " is not a known minor. " + knownText(product)));
        }
        String full = minor + "." + Integer.parseInt(m.group(3));
        if (!product.known().contains(full)) {
            throw new VaultK8sTrustConfigurationException(where + ": " + product.label() + " " + full
                    + " is not a known version. " + knownText(product));
        }
        return full;
    }

    /** Say which versions are known, e.g. {@code Known kubernetes versions: 1.33.13 (1.33), 1.34.10 (1.34, default).} */
    public static String knownText(Product product) {
        return "Known " + product.label() + " versions: " + product.known().stream()
                .map(v -> v + " (" + minor(v) + (v.equals(product.defaultVersion()) ? ", default" : "") + ")")
                .collect(Collectors.joining(", ")) + ". Each has a Go wrapper module shipped with the library; a"
                + " version outside this table can still run from a binary you provide (vaultk8s.local.* settings)"
                + " with the version setting left unset.";
    }

    /** Return the etcd version the local backend runs beside a Kubernetes version (Kubernetes' own pairing). */
    public static String etcdFor(String kubernetesVersion) {
        // Kubernetes 1.33 is tested against etcd 3.5 and 3.6; 1.34 pairs with 3.6. One etcd serves both.
        return "3.6.14";
    }

    /** Return {@code 1.33} for {@code 1.33.13}. */
    public static String minor(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        int last = v.lastIndexOf('.');
        return v.indexOf('.') == last ? v : v.substring(0, last);
    }

    private static int patch(String version) {
        return Integer.parseInt(version.substring(version.lastIndexOf('.') + 1));
    }
}
