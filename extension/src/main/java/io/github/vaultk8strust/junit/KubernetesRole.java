package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.AliasNameSource;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Declare a role of Vault's {@code kubernetes} auth method, written to
 * {@code auth/<kubernetesAuthPath>/role/<name>}; enable the method with
 * {@code @VaultK8sTrust(authMethods = {JWT, KUBERNETES})} (or {@code KUBERNETES} alone). The service accounts it
 * names without globs (every name in every namespace) are created.
 *
 * <pre>{@code
 * @KubernetesRole(name = "payments-reader", boundServiceAccountNames = "reader",
 *         boundServiceAccountNamespaces = "payments", policies = "payments-reader")
 * }</pre>
 *
 * <p>Or from the role file you ship ({@link #resource()}), or a directory of them ({@link #directory()}): the file's
 * parameters are sent to Vault as they are, and every key Vault does not know (say {@code audiences} for
 * {@code audience}), and every value that does not read back as written, fails the start naming the file, the key
 * and its line.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface KubernetesRole {

    /**
     * Name the role; unique across both auth methods. Required for a role declared attribute by attribute; for a
     * {@link #resource()} it defaults to the file's name without its extension; not allowed with {@link #directory()}.
     */
    String name() default "";

    /**
     * Read the role from a role file on the test class path, e.g. {@code "vault/roles/payments.json"}: a JSON
     * ({@code .json}) or YAML ({@code .yaml}, {@code .yml}) object of the parameters {@code vault write
     * auth/kubernetes/role/<name> @file} takes, sent as it is. The other attributes (but {@link #name()}) must then be
     * left out: everything comes from the file.
     */
    String resource() default "";

    /**
     * Read one role from each role file ({@code .json}, {@code .yaml}, {@code .yml}) of a directory on the test class
     * path, e.g. {@code "vault/roles/kubernetes"}, each named after its file. The other attributes must then be left
     * out.
     */
    String directory() default "";

    /** Bind service account names ({@code bound_service_account_names}); globs allowed, {@code "*"} for any. Required. */
    String[] boundServiceAccountNames() default {};

    /** Bind namespaces ({@code bound_service_account_namespaces}); globs allowed, {@code "*"} for any. Required. */
    String[] boundServiceAccountNamespaces() default {};

    /**
     * Require this token audience ({@code audience}); {@code ""} sets none, and then Vault asks TokenReview for the
     * token's own audiences, so a token minted for any audience (the API server's included) is accepted.
     */
    String audience() default VaultK8sTrust.SEED_AUDIENCE;

    /** Name the identity alias after the service account's UID (Vault's default) or {@code <namespace>/<name>}. */
    AliasNameSource aliasNameSource() default AliasNameSource.SERVICEACCOUNT_UID;

    /** Attach these policies to issued Vault tokens. */
    String[] policies() default {};

    /** Set the token TTL in Vault's duration syntax, e.g. {@code 1h}, {@code 30m}, {@code 90s}. */
    String ttl() default "1h";
}
