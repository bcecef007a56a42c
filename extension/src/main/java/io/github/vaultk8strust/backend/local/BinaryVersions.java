package io.github.vaultk8strust.backend.local;

import io.github.vaultk8strust.ConfigKeys;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Ask a found binary which version it is, so a binary on PATH, in KUBEBUILDER_ASSETS or set explicitly is only
 * used for a requested version when it really is that version.
 */
final class BinaryVersions {

    private static final Pattern VERSION_IN_OUTPUT = Pattern.compile("v?(\\d+\\.\\d+\\.\\d+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(20);

    private BinaryVersions() {
    }

    /** The setting a server's version comes from, for messages. */
    static String versionKey(ServerBinary binary) {
        return binary == ServerBinary.VAULT ? ConfigKeys.VAULT_VERSION_KEY : ConfigKeys.KUBERNETES_VERSION_KEY;
    }

    /**
     * Ask a binary its version ({@code --version}; {@code vault version}) and say which it is when it is not
     * {@code wanted}; empty when it is. A binary that does not answer counts as another version.
     */
    static Optional<String> wrongVersion(ServerBinary binary, Path executable, String wanted) {
        String found = versionOf(binary, executable).orElse("of unknown version");
        String bare = wanted.startsWith("v") ? wanted.substring(1) : wanted;
        boolean bao = executable.getFileName().toString().equals("bao");
        return !bao && (found.equals(bare) || found.equals("v" + bare)) ? Optional.empty()
                : Optional.of(bao ? "OpenBao " + found : found.startsWith("of") ? found : "v" + found);
    }

    /** Run {@code executable --version} (etcd, kube-apiserver) or {@code executable version} (vault, bao). */
    static Optional<String> versionOf(ServerBinary binary, Path executable) {
        List<String> command = List.of(executable.toString(), binary == ServerBinary.VAULT ? "version" : "--version");
        Process process = null;
        Path output = null;
        try {
            // Output to a file, not a pipe: a binary that hangs without printing cannot block this thread.
            output = Files.createTempFile("vault-k8s-trust-version-", ".txt");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!process.waitFor(VERSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            var m = VERSION_IN_OUTPUT.matcher(text.length() > 4096 ? text.substring(0, 4096) : text);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a few bytes in the temp directory
                }
            }
        }
    }
}
