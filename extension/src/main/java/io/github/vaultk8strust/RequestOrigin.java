package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Say how a {@link TrustRequest} was written, so that every message names what the user wrote: the annotation
 * attribute ({@code @VaultK8sTrust(kvPath = "sys")}, {@code @JwtRole(name = "r"): ttl = "1x"}) or the builder call
 * ({@code TrustEnvironment.builder().kvPath("sys")}, {@code RoleSpec.builder("r").ttl("1x")}). {@code @VaultK8sTrust}
 * and {@link TrustEnvironment#builder()} each bring their own; the core only asks.
 *
 * <p>Values are passed as Java source text: a string with its quotes ({@link #quote(String)}), an enum constant such
 * as {@code Backend.K3S}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface RequestOrigin {

    /** Return the request's own name, e.g. {@code @VaultK8sTrust} or {@code TrustEnvironment.builder()}. */
    String name();

    /** Write a top-level attribute with its value, e.g. {@code @VaultK8sTrust(kvPath = "sys")}. */
    String attribute(String attribute, String value);

    /**
     * Write a configuration key given in code with its value: the attribute that sets it (see
     * {@link #attributeOf(String)}), or for a key without one what sets it directly.
     */
    String setting(String key, String value);

    /** Name a key in the configuration source read after code, e.g. {@code Configuration parameter vaultk8s.backend}. */
    String configurationKey(String key);

    /** Name a declared jwt role, e.g. {@code @JwtRole(name = "r")} or {@code RoleSpec.builder("r")}. */
    String jwtRole(String name);

    /** Name a declared kubernetes role, e.g. {@code @KubernetesRole(name = "r")}. */
    String kubernetesRole(String name);

    /**
     * Name a role read from a role file, e.g. {@code @JwtRole(resource = "vault/roles/r.json")},
     * {@code @KubernetesRole(directory = "vault/roles"): r.yaml} or {@code RoleSpec.fromResource("vault/roles/r.json")}.
     *
     * @param method the role's auth method
     * @param file the file it was read from
     * @param name the role's name (the file's, or another one the code gave it)
     */
    String roleFile(AuthMethod method, RoleFile file, String name);

    /** Name a declared policy, e.g. {@code @VaultPolicy(name = "p")}. */
    String policy(String name);

    /** Name a declared service account, e.g. {@code @K8sServiceAccount(namespace = "n", name = "s")}. */
    String serviceAccount(String namespace, String name);

    /**
     * Write an attribute of a declared element (one of the above) with its value, e.g.
     * {@code @JwtRole(name = "r"): ttl = "1x"} or {@code RoleSpec.builder("r").ttl("1x")}.
     */
    String member(String element, String attribute, String value);

    /** Say how to declare a jwt role, e.g. {@code @VaultK8sTrust(roles = @JwtRole(name = "r", ...))}. */
    String declareJwtRole(String name);

    /** Say how to declare a kubernetes role. */
    String declareKubernetesRole(String name);

    /** Say how to declare a policy. */
    String declarePolicy(String name);

    /** Say how to declare a service account. */
    String declareServiceAccount(String namespace, String name);

    /** Return {@code "value"}, quoted as Java source. */
    static String quote(String value) {
        return "\"" + value + "\"";
    }

    /**
     * Return the attribute (of {@code @VaultK8sTrust}, and the builder method of the same name) that sets a
     * configuration key in code, if one does.
     */
    static Optional<String> attributeOf(String key) {
        return Optional.ofNullable(CodeSettings.BY_KEY.get(key)).map(a -> a[0]);
    }

    /**
     * Write a key's value as the attribute takes it: an enum constant ({@code VaultPlacement.IN_CLUSTER} for
     * {@code in-cluster}), an array of them ({@code {AuthMethod.JWT, AuthMethod.KUBERNETES}}) or a quoted string.
     */
    static String attributeValue(String key, String value) {
        if (key.equals(ConfigKeys.AUTH_METHODS_KEY)) {
            return Arrays.stream(value.split(",")).map(String::trim).filter(m -> !m.isEmpty())
                    .map(m -> "AuthMethod." + m.toUpperCase(Locale.ROOT)).collect(Collectors.joining(", ", "{", "}"));
        }
        String[] attribute = CodeSettings.BY_KEY.get(key);
        if (attribute != null && attribute[1] != null) {
            return attribute[1] + "." + value.toUpperCase(Locale.ROOT).replace('-', '_');
        }
        return quote(value);
    }
}
