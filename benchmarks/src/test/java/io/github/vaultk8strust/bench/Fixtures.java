package io.github.vaultk8strust.bench;

import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubeapitest.junit.KubeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.core.DefaultTrustEnvironment;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import io.github.vaultk8strust.junit.VaultLogin;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test classes the child JVMs run, each the cheapest test that still gets what a user's first test gets. Static
 * nested, so that Surefire's default exclude never runs them on their own.
 */
final class Fixtures {

    /** Wall-clock milliseconds, set by the fixtures as they run (one JVM runs one fixture set). */
    static volatile long environmentReadyAt;
    static volatile long firstLineAt;
    static volatile long firstCallDoneAt;
    static volatile Map<String, Duration> phases = Map.of();

    private Fixtures() {
    }

    /** Ours: a {@code @VaultK8sTrust} class whose one test takes a {@code @VaultLogin} session. */
    @VaultK8sTrust(backend = Backend.LOCAL)
    static class FirstLogin {

        @BeforeEach
        void environmentReady(TrustEnvironment environment) {
            // Runs once the environment is started and before the test's parameters (the login) are resolved.
            environmentReadyAt = System.currentTimeMillis();
            if (environment instanceof DefaultTrustEnvironment started) {
                phases = started.startupPhases();
            }
        }

        @Test
        void firstLogin(@VaultLogin(role = VaultK8sTrust.SEED_ROLE) VaultSession session) {
            firstLineAt = System.currentTimeMillis();
            if (!session.policies().contains(VaultK8sTrust.SEED_POLICY)) {
                throw new IllegalStateException("login without the seed policy: " + session.policies());
            }
        }
    }

    /**
     * The peer: fabric8 kube-api-test 7.4.0 as its README shows it, etcd and kube-apiserver from the same binaries
     * as ours (its test directory points at them), and the test's first API call.
     */
    @EnableKubeAPIServer(kubeAPIVersion = "1.34.10")
    static class Peer {

        @KubeConfig
        static String kubeConfigYaml;

        @Test
        void firstCall() {
            firstLineAt = System.currentTimeMillis();
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kubeConfigYaml)).build()) {
                if (client.namespaces().withName("default").get() == null) {
                    throw new IllegalStateException("no default namespace");
                }
            }
            firstCallDoneAt = System.currentTimeMillis();
        }
    }

    /** Ten classes with the same settings: they share one environment. */
    @VaultK8sTrust(backend = Backend.LOCAL)
    abstract static class Shared {

        @Test
        void login(@VaultLogin(role = VaultK8sTrust.SEED_ROLE) VaultSession session) {
            if (!session.policies().contains(VaultK8sTrust.SEED_POLICY)) {
                throw new IllegalStateException("login without the seed policy: " + session.policies());
            }
        }
    }

    static class Shared01 extends Shared {
    }

    static class Shared02 extends Shared {
    }

    static class Shared03 extends Shared {
    }

    static class Shared04 extends Shared {
    }

    static class Shared05 extends Shared {
    }

    static class Shared06 extends Shared {
    }

    static class Shared07 extends Shared {
    }

    static class Shared08 extends Shared {
    }

    static class Shared09 extends Shared {
    }

    static class Shared10 extends Shared {
    }

    static final Class<?>[] SHARED = {Shared01.class, Shared02.class, Shared03.class, Shared04.class, Shared05.class,
        Shared06.class, Shared07.class, Shared08.class, Shared09.class, Shared10.class};
}
