package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Hold the outcome of a command run in a {@link Workload} pod ({@code kubectl exec}): its exit code and what it
 * wrote to standard output and standard error.
 *
 * @param command the command as run, one element per argument
 * @param exitCode the process's exit code; 0 means success
 * @param stdout everything written to standard output, decoded as UTF-8
 * @param stderr everything written to standard error, decoded as UTF-8
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** Copy the command list so the record stays immutable. */
    public ExecResult {
        command = List.copyOf(command);
    }

    /** Return whether the command exited with 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Describe the command, its exit code and standard error. Standard output is left out on purpose: a
     * {@code vault write auth/jwt/login} prints the Vault token there.
     */
    @Override
    public String toString() {
        return "ExecResult[" + String.join(" ", command) + " -> exit " + exitCode + ", " + stdout.length()
                + " chars on stdout" + (stderr.isBlank() ? "" : ", stderr: " + stderr.strip()) + "]";
    }
}
