package io.github.vaultk8strust.core;

import io.github.jopenlibs.vault.Vault;
import io.github.vaultk8strust.VaultK8sTrustException;
import io.github.vaultk8strust.VaultSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A Vault token with its two clients; a login session revokes its token once, on close. */
final class DefaultVaultSession implements VaultSession {

    private final String token;
    private final String role;
    private final List<String> policies;
    private final String address;
    // Built on first use: a login is on every test's path, and most tests use one of the two clients, or none.
    private Vault kv;
    private Vault api;
    private final VaultApi admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    DefaultVaultSession(String address, String token, String role, List<String> policies) {
        this.token = token;
        this.role = role;
        this.policies = List.copyOf(policies);
        this.address = address;
        this.admin = VaultApi.of(address, token);
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public Optional<String> role() {
        return Optional.ofNullable(role);
    }

    @Override
    public List<String> policies() {
        return policies;
    }

    @Override
    public synchronized Vault kv() {
        if (kv == null) {
            kv = VaultApi.kvClient(address, token);
        }
        return kv;
    }

    @Override
    public synchronized Vault api() {
        if (api == null) {
            api = VaultApi.plainClient(address, token);
        }
        return api;
    }

    @Override
    public List<String> capabilities(String path) {
        VaultApi.Answer answer = admin.write("sys/capabilities-self", Map.of("paths", List.of(path)));
        if (!answer.ok()) {
            throw new VaultK8sTrustException("sys/capabilities-self for \"" + path + "\" failed: HTTP " + answer.status()
                    + ": " + String.join("; ", answer.errors()));
        }
        List<String> capabilities = new ArrayList<>();
        answer.body().path(path).forEach(c -> capabilities.add(c.asText()));
        return capabilities;
    }

    @Override
    public void close() {
        if (role == null || !closed.compareAndSet(false, true)) {
            return;
        }
        // Over the library's kept-alive JDK client rather than the driver's new connection per call. Any answer is
        // fine: the token may already be expired or revoked by the test itself; the environment is thrown away anyway.
        admin.write("auth/token/revoke-self", Map.of());
    }

    @Override
    public String toString() {
        return "VaultSession[role=" + (role == null ? "<root>" : role) + ", policies=" + policies + "]";
    }
}
