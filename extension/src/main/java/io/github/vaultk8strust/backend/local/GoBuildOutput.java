package io.github.vaultk8strust.backend.local;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Copy go build's output to the log, count compiled packages and keep the last lines for errors.
 * Runs on its own thread so the builder's heartbeat can report progress while the compiler works.
 */
final class GoBuildOutput implements Runnable {

    /** How many of the last output lines a failed build's message shows. */
    static final int TAIL_LINES = 30;

    private final InputStream output;
    private final BufferedWriter log;
    private final AtomicInteger packages = new AtomicInteger();
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile IOException failure;

    GoBuildOutput(InputStream output, BufferedWriter log) {
        this.output = output;
        this.log = log;
    }

    @Override
    public void run() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                BufferedWriter out = log) {
            for (String line; (line = lines.readLine()) != null; ) {
                // go build -v prints each package's import path, a single word, as it compiles it;
                // everything else ("go: downloading ...", compiler errors) has spaces.
                if (!line.isBlank() && !line.contains(" ") && !line.startsWith("#")) {
                    packages.incrementAndGet();
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                out.write(line);
                out.newLine();
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    int packages() {
        return packages.get();
    }

    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }
}
