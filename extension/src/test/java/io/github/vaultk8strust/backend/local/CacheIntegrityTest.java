package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stamp that carries a successful SHA-256 check over to the next JVM: it is written by a check, it spares the
 * next JVM the hash only while the binary is exactly as it was, and anything that changes the file (or its record)
 * sends the next JVM back to hashing, which then finds the damage.
 */
class CacheIntegrityTest {

    @TempDir
    Path dir;

    private Path binary;

    @BeforeEach
    void installed() throws Exception {
        Path tmp = dir.resolve("tmp-etcd");
        Files.write(tmp, "#!/bin/sh\necho a server binary\n".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        binary = dir.resolve("etcd");
        CacheIntegrity.record(tmp, binary);
        Files.move(tmp, binary);
        CacheIntegrity.markVerified(binary);
    }

    @Test
    void aCheckedBinaryIsStampedAndTheNextJvmTrustsTheStampWithoutHashing() {
        assertThat(CacheIntegrity.stampOf(binary)).exists();
        CacheIntegrity.forgetInThisJvm(binary);

        assertThat(CacheIntegrity.stampMatches(binary)).isTrue();
        assertThat(CacheIntegrity.isVerified(binary)).isTrue();
    }

    @Test
    void aTruncatedBinaryNoLongerMatchesItsStampAndFailsTheHash() throws Exception {
        CacheIntegrity.forgetInThisJvm(binary);
        byte[] all = Files.readAllBytes(binary);
        Files.write(binary, java.util.Arrays.copyOf(all, all.length / 2));

        assertThat(CacheIntegrity.stampMatches(binary)).isFalse();
        assertThat(CacheIntegrity.isVerified(binary)).isFalse();
        assertThat(CacheIntegrity.verify(binary)).get().asString().contains("does not match its SHA-256 record");
    }

    @Test
    void aRewriteOfTheSameSizeWithTheOldModificationTimeStillMissesTheStamp() throws Exception {
        CacheIntegrity.forgetInThisJvm(binary);
        FileTime modified = Files.getLastModifiedTime(binary);
        byte[] all = Files.readAllBytes(binary);
        all[10] = (byte) (all[10] ^ 1);
        Files.write(binary, all, StandardOpenOption.TRUNCATE_EXISTING);
        // Setting the modification time back changes the change time (ctime), which the stamp also holds.
        Files.setLastModifiedTime(binary, modified);

        assertThat(CacheIntegrity.stampMatches(binary)).isFalse();
        assertThat(CacheIntegrity.isVerified(binary)).isFalse();
    }

    @Test
    void aStampForAnotherRecordDoesNotCount() throws Exception {
        CacheIntegrity.forgetInThisJvm(binary);
        Files.writeString(CacheIntegrity.recordOf(binary), "0".repeat(64) + "  etcd\n", StandardCharsets.US_ASCII);

        assertThat(CacheIntegrity.stampMatches(binary)).isFalse();
        assertThat(CacheIntegrity.isVerified(binary)).isFalse();
    }

    @Test
    void settingADamagedBinaryAsideRemovesItsStamp() {
        Path aside = CacheIntegrity.setAside(binary);

        assertThat(aside).exists();
        assertThat(CacheIntegrity.stampOf(binary)).doesNotExist();
        assertThat(CacheIntegrity.recordOf(binary)).doesNotExist();
    }
}
