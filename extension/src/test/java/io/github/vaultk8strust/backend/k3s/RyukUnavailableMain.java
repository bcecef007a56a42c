package io.github.vaultk8strust.backend.k3s;

/** Run by {@link ContainerWiringDockerTest} in a fresh JVM (Ryuk starts once per JVM): prints what a user sees. */
public final class RyukUnavailableMain {

    private RyukUnavailableMain() {
    }

    public static void main(String[] args) {
        System.out.println("PROBE: " + DockerProbe.dockerAvailable());
        try {
            DockerProbe.testcontainersClient();
            System.out.println("MESSAGE: (none: Testcontainers set up, Ryuk started)");
        } catch (RuntimeException e) {
            System.out.println("MESSAGE: " + e.getMessage().replace('\n', ' '));
        }
        System.exit(0);
    }
}
