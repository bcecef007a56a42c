package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor between the JVM and a server, with {@code sleep} as the server. */
class ManagedProcessTest {

    @TempDir
    Path dir;

    @Test
    void closingThePipeStopsTheServerAndTheLogIsPrivate() throws Exception {
        ManagedProcess process = ManagedProcess.start("sleeper", List.of("/bin/sh", "-c", "echo started; exec sleep 300"),
                Map.of(), dir, dir.resolve("sleeper.log"), dir.resolve("sleeper.pid"));
        long pid = process.pid();
        assertThat(pid).isNotEqualTo(process.supervisorPid());
        assertThat(ProcessHandle.of(pid).orElseThrow().parent().map(ProcessHandle::pid)).contains(process.supervisorPid());
        assertThat(process.isAlive()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sleeper.log"))))
                .isEqualTo("rw-------");
        assertThat(ManagedProcess.readPidFile(dir.resolve("sleeper.pid")).orElseThrow())
                .containsExactly(pid, process.supervisorPid());

        long start = System.nanoTime();
        process.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(process.exitCode()).contains(143);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
        assertThat(Files.readString(dir.resolve("sleeper.log"))).contains("started");
    }

    @Test
    void anExitNobodyAskedForIsReportedWithItsCode() throws Exception {
        ManagedProcess process = ManagedProcess.start("stubborn", List.of("/bin/sh", "-c", "exit 7"), Map.of(), dir,
                dir.resolve("stubborn.log"), dir.resolve("stubborn.pid"));
        java.util.concurrent.CompletableFuture<ManagedProcess> exited = new java.util.concurrent.CompletableFuture<>();
        process.onUnexpectedExit(exited::complete);

        assertThat(exited.get(10, TimeUnit.SECONDS).exitCode()).contains(7);
        assertThat(process.state()).isEqualTo("stubborn (pid " + process.pid() + ") exited with code 7");
        process.close();
    }

    @Test
    void describesSignals() {
        assertThat(ManagedProcess.describeExit(137)).isEqualTo("was killed by signal 9 (SIGKILL) (exit code 137)");
        assertThat(ManagedProcess.describeExit(139)).isEqualTo("was killed by signal 11 (SIGSEGV) (exit code 139)");
        assertThat(ManagedProcess.describeExit(1)).isEqualTo("exited with code 1");
    }
}
