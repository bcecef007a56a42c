package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner records and the stale sweep, with real processes standing in for servers. */
class EnvironmentDirectoryTest {

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopStandIns() {
        started.forEach(Process::destroyForcibly);
    }

    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        return gone.pid();
    }

    private Process standIn(String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        started.add(process);
        return process;
    }

    private static Path environment(Path parent, long ownerPid) throws Exception {
        Path dir = Files.createDirectory(parent.resolve(EnvironmentDirectory.PREFIX + ownerPid + "-" + System.nanoTime()));
        Files.writeString(dir.resolve(EnvironmentDirectory.OWNER_FILE), "pid=" + ownerPid + "\nstarted=\n");
        Files.writeString(dir.resolve("sa.key"), "not really a key");
        return dir;
    }

    @Test
    void createsAPrivateDirectoryOwnedByThisJvm() throws Exception {
        Path dir = EnvironmentDirectory.create(tmp);

        assertThat(dir.getFileName().toString()).startsWith(EnvironmentDirectory.PREFIX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.readString(dir.resolve("owner"))).contains("pid=" + ProcessHandle.current().pid());
        assertThat(EnvironmentDirectory.isStale(dir)).isFalse();
    }

    @Test
    void sweepsDirectoriesOfGoneOwnersStoppingOnlyProcessesThatNameThem() throws Exception {
        Path stale = environment(tmp, deadPid());
        // A recorded server whose command line names the directory: one of that environment's, stopped.
        Process server = standIn("sh", "-c", "sleep 60", stale.toString());
        // A recorded pid now used by an unrelated process: left alone.
        Process unrelated = standIn("sleep", "60");
        Files.writeString(stale.resolve("etcd.pid"), server.pid() + " " + unrelated.pid() + "\n");
        Path live = EnvironmentDirectory.create(tmp);
        Path foreign = Files.createDirectory(tmp.resolve(EnvironmentDirectory.PREFIX + "no-owner-record"));

        List<String> said = new ArrayList<>();
        EnvironmentDirectory.Sweep sweep = EnvironmentDirectory.sweepStale(tmp, said::add);

        assertThat(sweep.removed()).containsExactly(stale);
        assertThat(stale).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(foreign).isDirectory();
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("the server naming the directory stopped").isTrue();
        assertThat(unrelated.isAlive()).as("the unrelated process").isTrue();
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).startsWith("swept 1 stale environment directory left by JVMs that are gone (stopped "
                + "etcd pid " + server.pid() + "): [" + stale.getFileName() + "]");
    }

    @Test
    void aReusedOwnerPidWithAnotherStartTimeIsGone() throws Exception {
        Process other = standIn("sleep", "60");
        Path dir = environment(tmp, other.pid());
        Files.writeString(dir.resolve(EnvironmentDirectory.OWNER_FILE), "pid=" + other.pid() + "\nstarted=1000\n");

        assertThat(EnvironmentDirectory.isStale(dir)).isTrue();
    }

    @Test
    void keptDirectoriesLoseTheirKeysAndAreNeverSwept() throws Exception {
        Path dir = environment(tmp, deadPid());
        Files.writeString(dir.resolve("etcd.log"), "log line");
        Files.writeString(dir.resolve("admin-token.csv"), "not really a token,admin,admin,\"system:masters\"\n");

        String said = EnvironmentDirectory.keep(dir);

        assertThat(said).contains(dir.toString()).contains("private keys and tokens deleted");
        assertThat(dir.resolve("sa.key")).doesNotExist();
        assertThat(dir.resolve("admin-token.csv")).doesNotExist();
        assertThat(dir.resolve("etcd.log")).exists();
        assertThat(EnvironmentDirectory.sweepStale(tmp, line -> { }).removed()).isEmpty();
        assertThat(dir).isDirectory();
    }
}
