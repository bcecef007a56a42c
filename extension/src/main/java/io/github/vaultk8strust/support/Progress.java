package io.github.vaultk8strust.support;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Report progress of long work (builds, downloads, start-up) and one-line reports through SLF4J, logger
 * {@code io.github.vaultk8strust}, level INFO. Without an SLF4J binding the lines still reach the console (standard
 * error, where build tools show them while tests run), so a first multi-minute build is never silent.
 */
@API(status = INTERNAL, since = "0.1")
public final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.vaultk8strust");
    private static final boolean NO_BINDING = LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory;

    private Progress() {
    }

    /** Report one line. Never pass secrets. */
    public static void say(String message) {
        if (NO_BINDING) {
            System.err.println("[vault-k8s-trust] " + message);
            System.err.flush();
        } else {
            LOG.info("[vault-k8s-trust] {}", message);
        }
    }
}
