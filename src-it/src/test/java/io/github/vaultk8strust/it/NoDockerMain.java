package io.github.vaultk8strust.it;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.ClosableTrustEnvironment;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultPlacement;

/**
 * Run in a child JVM by {@link VaultPlacementMisuseTest} with {@code DOCKER_HOST} pointing at a socket that does not
 * exist: asks for Vault in a container on the local backend and prints what it got, one line each.
 */
public final class NoDockerMain {

    private NoDockerMain() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        try (ClosableTrustEnvironment environment = TrustEnvironment.builder().backend(Backend.LOCAL)
                .vaultPlacement(VaultPlacement.CONTAINER).start()) {
            System.out.println("STARTED " + environment.vaultAddress());
        } catch (RuntimeException e) {
            System.out.println("TYPE: " + e.getClass().getName());
            System.out.println("MESSAGE: " + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.out.println("MILLIS: " + (System.nanoTime() - started) / 1_000_000);
    }
}
