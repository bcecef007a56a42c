package io.github.vaultk8strust.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * One fresh JVM of a start-up measurement: runs a fixture set through the JUnit launcher ({@link EngineTestKit}) and
 * prints its timestamps (wall-clock milliseconds, the JVM's own start first) as {@code RESULT key=value} lines for
 * the parent. Modes: {@code ours}, {@code peer}, {@code classes1}, {@code classes10}.
 */
final class Child {

    private static final Pattern READY_LINE = Pattern.compile("environment ready in (\\d+) ms");

    private Child() {
    }

    public static void main(String[] args) {
        long mainAt = System.currentTimeMillis();
        String mode = args[0];
        Tap tap = Tap.install();
        DiscoverySelector[] selectors = switch (mode) {
            case "ours" -> new DiscoverySelector[] {selectClass(Fixtures.FirstLogin.class)};
            case "peer" -> new DiscoverySelector[] {selectClass(Fixtures.Peer.class)};
            case "classes1" -> new DiscoverySelector[] {selectClass(Fixtures.SHARED[0])};
            case "classes10" -> Arrays.stream(Fixtures.SHARED).map(c -> selectClass(c))
                    .toArray(DiscoverySelector[]::new);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectors).execute();
        long endAt = System.currentTimeMillis();
        long expected = mode.equals("classes10") ? 10 : 1;
        if (results.testEvents().succeeded().count() != expected) {
            throw new IllegalStateException(mode + ": " + results.testEvents().succeeded().count() + " of " + expected
                    + " tests passed: " + results.allEvents().failed().list());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jvm", ManagementFactory.getRuntimeMXBean().getStartTime());
        out.put("main", mainAt);
        out.put("ready", Fixtures.environmentReadyAt);
        out.put("firstLine", Fixtures.firstLineAt);
        out.put("firstCall", Fixtures.firstCallDoneAt);
        out.put("end", endAt);
        String log = tap.text();
        Matcher ready = READY_LINE.matcher(log);
        out.put("environmentStart", ready.find() ? Long.parseLong(ready.group(1)) : -1);
        out.put("environments", READY_LINE.matcher(log).results().count());
        out.forEach((k, v) -> System.out.println("RESULT " + k + "=" + v));
        Fixtures.phases.forEach((name, d) -> System.out.println("PHASE " + d.toMillis() + " " + name));
    }

    /** Standard error, copied into a buffer: the extension's "environment ready in N ms" line is read from it. */
    static final class Tap extends OutputStream {

        private final PrintStream original;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        private Tap(PrintStream original) {
            this.original = original;
        }

        static Tap install() {
            Tap tap = new Tap(System.err);
            System.setErr(new PrintStream(tap, true, StandardCharsets.UTF_8));
            return tap;
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            copy.write(b, off, len);
        }

        synchronized String text() {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }
}
