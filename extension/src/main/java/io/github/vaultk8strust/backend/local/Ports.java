package io.github.vaultk8strust.backend.local;

import io.github.vaultk8strust.VaultK8sTrustException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reserve free TCP ports on 127.0.0.1 for the servers of one environment.
 *
 * <p>A reservation is a listening socket bound to a kernel-chosen port, held until just before the server that gets
 * the port starts ({@link Reservation#release(int)}): no other process can take the port in the meantime, and the
 * window left (the server's start until its bind) is covered by the caller detecting "address already in use" and
 * starting again on fresh ports. Within this JVM, a port handed out is not handed out again for
 * {@value #QUARANTINE_MINUTES} minutes, so parallel environments of one JVM never collide.
 */
final class Ports {

    static final long QUARANTINE_MINUTES = 5;

    private static final Map<Integer, Long> RECENT = new ConcurrentHashMap<>();

    private Ports() {
    }

    /** Reserve {@code count} distinct ports. */
    static Reservation reserve(int count) {
        long now = System.nanoTime();
        RECENT.values().removeIf(at -> now - at > TimeUnit.MINUTES.toNanos(QUARANTINE_MINUTES));
        List<ServerSocket> kept = new ArrayList<>();
        List<ServerSocket> rejected = new ArrayList<>();
        try {
            while (kept.size() < count) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                if (RECENT.putIfAbsent(socket.getLocalPort(), now) == null) {
                    kept.add(socket);
                } else {
                    // Handed out recently to another environment of this JVM: hold it so the kernel picks another.
                    rejected.add(socket);
                    if (rejected.size() > 100) {
                        throw new IOException("100 ports in a row were recently handed out already");
                    }
                }
            }
            return new Reservation(kept);
        } catch (IOException e) {
            kept.forEach(Ports::closeQuietly);
            throw new VaultK8sTrustException("Cannot find a free TCP port on 127.0.0.1: " + e, e);
        } finally {
            rejected.forEach(Ports::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a listening socket that never accepted anything does not fail in practice.
        }
    }

    /** Ports held for one environment until each server is about to start. */
    static final class Reservation {

        private final List<ServerSocket> sockets;
        private final int[] ports;

        private Reservation(List<ServerSocket> sockets) {
            this.sockets = sockets;
            this.ports = sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        }

        /** Return the {@code index}-th port. */
        int port(int index) {
            return ports[index];
        }

        /** Stop holding the {@code index}-th port: its server starts next and binds it. */
        synchronized void release(int index) {
            closeQuietly(sockets.get(index));
        }

        /** Stop holding every port. */
        synchronized void releaseAll() {
            sockets.forEach(Ports::closeQuietly);
        }
    }
}
