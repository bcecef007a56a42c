package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** Name a capability of a Vault ACL policy, as {@code sys/capabilities-self} reports it. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Capability {
    /** {@code create}: write a path that does not exist yet (KV v2: the first version of a secret). */
    CREATE,
    /** {@code read}: GET. */
    READ,
    /** {@code update}: write a path that exists (KV v2: a further version). */
    UPDATE,
    /** {@code patch}: PATCH. */
    PATCH,
    /** {@code delete}: DELETE. */
    DELETE,
    /** {@code list}: LIST; Vault checks a LIST against the path with a trailing {@code /}. */
    LIST,
    /** {@code sudo}: root-protected paths. */
    SUDO;

    /** Return Vault's name, e.g. {@code read}. */
    public String vaultName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parse Vault's name, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the valid capabilities
     */
    public static Capability parse(String name) {
        String wanted = name == null ? "" : name.strip();
        for (Capability capability : values()) {
            if (capability.vaultName().equalsIgnoreCase(wanted)) {
                return capability;
            }
        }
        throw new IllegalArgumentException("unknown capability \"" + name + "\"; valid capabilities: " + names());
    }

    /** Return the valid names, comma-separated: {@code create, read, update, patch, delete, list, sudo}. */
    public static String names() {
        return Arrays.stream(values()).map(Capability::vaultName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return vaultName();
    }
}
