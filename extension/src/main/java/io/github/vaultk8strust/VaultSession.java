package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.jopenlibs.vault.Vault;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Hold a Vault token and clients that use it. Obtained by injection ({@code @VaultLogin}, {@code @VaultRoot}) or
 * from {@link TrustEnvironment#login(String)}. Closing a login session revokes its token.
 *
 * <p>The vault-java-driver rewrites paths by KV engine version, so there are two clients: {@link #kv()} for
 * secrets (KV version 2: {@code kvv2/k8s-dev/foo} goes to {@code kvv2/data/k8s-dev/foo}) and {@link #api()} for
 * every other path ({@code sys/...}, {@code auth/...}), sent as written.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface VaultSession extends AutoCloseable {

    /** Return the Vault token. Treat it as a secret: it is never printed by this library. */
    String token();

    /** Return the role this session logged in with; empty for the root session. */
    Optional<String> role();

    /** Return the token's policies as Vault reported them at login ({@code root} for the root session). */
    List<String> policies();

    /** Return a client for KV version 2 paths, as {@code vault kv get/put/list} use them. */
    Vault kv();

    /** Return a client that sends paths unchanged, for {@code sys/...} and {@code auth/...}. */
    Vault api();

    /**
     * Return this token's capabilities on a path, from {@code sys/capabilities-self}, e.g.
     * {@code ["create", "read"]} or {@code ["deny"]}. Give the API path, e.g. {@code kvv2/data/k8s-dev/foo}.
     */
    List<String> capabilities(String path);

    /** Revoke the token of a login session; does nothing for the root session. */
    @Override
    void close();
}
