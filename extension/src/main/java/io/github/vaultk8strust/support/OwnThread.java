package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Work that waits (on a server, a process or class loading) run on a daemon thread of its own rather than on the
 * common pool, which has a single thread on a two-core machine and would queue such work behind one another.
 */
@API(status = INTERNAL, since = "0.1")
public final class OwnThread {

    private OwnThread() {
    }

    /**
     * Start {@code work} on a new daemon thread named {@code vault-k8s-trust-<name>} and return its result as it will
     * be: completed with what it returns, or exceptionally with what it throws.
     */
    public static <T> CompletableFuture<T> supply(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, "vault-k8s-trust-" + name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
