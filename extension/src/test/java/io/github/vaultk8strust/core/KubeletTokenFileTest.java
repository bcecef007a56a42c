package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.github.vaultk8strust.ServiceAccountJwt;
import io.github.vaultk8strust.VaultK8sTrustException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet-like refresh of token files, with short-lived stand-in tokens (Kubernetes mints none under 10 min). */
class KubeletTokenFileTest {

    @TempDir
    Path dir;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> minted = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private Supplier<ServiceAccountJwt> tokens(Duration lifetime) {
        return () -> {
            Instant now = Instant.now();
            String raw = new PlainJWT(new JWTClaimsSet.Builder().subject("system:serviceaccount:default:app")
                    .audience(List.of("vault")).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime))).jwtID(UUID.randomUUID().toString()).build())
                    .serialize();
            minted.add(raw);
            return ServiceAccountJwt.parse(raw);
        };
    }

    @Test
    void refreshTimeIsBeforeEightyPercentOfTheLifetime() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ServiceAccountJwt hour = ServiceAccountJwt.parse(new PlainJWT(new JWTClaimsSet.Builder()
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).build()).serialize());
        // 80 % of 3600 s is 2880 s; 1 % (36 s) early.
        assertThat(KubeletTokenFile.refreshTime(hour, now)).isEqualTo(now.plusSeconds(2880 - 36));
        ServiceAccountJwt tenMinutes = ServiceAccountJwt.parse(new PlainJWT(new JWTClaimsSet.Builder()
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build()).serialize());
        assertThat(KubeletTokenFile.refreshTime(tenMinutes, now)).isEqualTo(now.plusSeconds(480 - 6));
    }

    @Test
    void fileIsRewrittenBeforeTheTokenAgesAndReadersNeverSeeHalfAToken() throws Exception {
        Path file = dir.resolve("secrets").resolve("token");
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> torn = new java.util.concurrent.CopyOnWriteArrayList<>();
        KubeletTokenFile projected = new KubeletTokenFile(file, false, tokens(Duration.ofMillis(2500)), scheduler,
                Clock.systemUTC(), () -> { });
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                try {
                    String content = Files.readString(file);
                    reads.incrementAndGet();
                    if (!minted.contains(content)) {
                        torn.add(content);
                    }
                } catch (java.io.IOException e) {
                    torn.add("unreadable: " + e);
                }
            }
        });
        reader.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> projected.writes() >= 4);
            ServiceAccountJwt current = projected.current();
            // Each token was replaced while still valid: 80 % of 2.5 s minus 1 s early is 1 s.
            assertThat(current.expiresAt()).isAfter(Instant.now());
            assertThat(Files.readString(file)).isIn(minted);
        } finally {
            reading.set(false);
            reader.join();
            projected.close();
        }
        assertThat(reads.get()).isPositive();
        assertThat(torn).isEmpty();
        assertThat(file).doesNotExist();
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings).isEmpty(); // no temporary files left
        }
    }

    @Test
    void failedRefreshKeepsTheLastGoodTokenAndRetries() throws Exception {
        Path file = dir.resolve("token");
        Supplier<ServiceAccountJwt> good = tokens(Duration.ofMillis(2500));
        AtomicInteger calls = new AtomicInteger();
        KubeletTokenFile projected = new KubeletTokenFile(file, false, () -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("API server unreachable");
            }
            return good.get();
        }, scheduler, Clock.systemUTC(), () -> { });
        String first = Files.readString(file);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> projected.lastFailure() != null
                || projected.writes() >= 2);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> projected.writes() >= 2);
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        assertThat(Files.readString(file)).isNotEqualTo(first).isEqualTo(projected.current().raw());
        projected.close();
    }

    @Test
    void unwritablePathIsAnErrorNamingThePath() throws Exception {
        Path regularFile = Files.writeString(dir.resolve("not-a-directory"), "x");
        Path file = regularFile.resolve("token");
        assertThatThrownBy(() -> new KubeletTokenFile(file, false, tokens(Duration.ofMinutes(10)), scheduler,
                Clock.systemUTC(), () -> { })).isInstanceOf(VaultK8sTrustException.class)
                .hasMessageStartingWith("Cannot write the service-account token file " + file.toAbsolutePath() + ": ")
                .hasMessageContaining("Choose a path this JVM can write");
    }

    @Test
    void closedFileRefusesARefresh() {
        KubeletTokenFile projected = new KubeletTokenFile(dir.resolve("t"), false, tokens(Duration.ofMinutes(10)),
                scheduler, Clock.systemUTC(), () -> { });
        projected.close();
        projected.close(); // idempotent
        assertThatThrownBy(projected::refresh).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
