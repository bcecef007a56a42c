package io.github.vaultk8strust.support;

/** Print progress of long work to standard error, where build tools show it while tests run. */
public final class Progress {

    private Progress() {
    }

    /** Print one line, prefixed so it is easy to find in a build log. Never pass secrets. */
    public static void say(String message) {
        System.err.println("[vault-k8s-trust] " + message);
        System.err.flush();
    }
}
