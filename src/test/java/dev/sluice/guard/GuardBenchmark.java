package dev.sluice.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.guard.incremental.MessageSpans;
import dev.sluice.guard.incremental.PrefixHashes;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The guard's numbers: precision and recall per rule on the labelled corpus, the false-positive rate on its
 * negatives, and the time all scanners take on a 700 KB Claude-Code-shaped request (whole) and on the new
 * part of a typical turn (incremental). Not a unit test; run it by hand from the repository root:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.guard.GuardBenchmark [iterations]
 * </pre>
 *
 * The 700 KB body is src/main/resources/demo/claude-code-request.json (system prompt, 14 tools) followed by
 * turns in which the assistant reads this repository's own source files (Claude Code's Read format, line
 * numbers and arrows) and a few tool results carry planted credentials; the cache marker sits on the last
 * message, as Claude Code puts it. A typical turn adds an assistant tool call and a ~12 KB tool result and moves
 * the marker.
 */
public final class GuardBenchmark {
    private static final int TARGET_BYTES = 700 * 1024;

    private GuardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        System.out.printf("guard benchmark: %d cores, Java %s, %d timed iterations, load average %.1f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), iterations,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        GuardScanner scanner = new GuardScanner();
        corpus(scanner);
        Conversation c = Conversation.build();
        System.out.printf("%nbody: %,d bytes, %d messages, %d planted secrets%n", c.body.length, c.messageCount, c.planted);
        GuardPolicy all = GuardPolicy.builder().allPii().build();
        GuardScan check = scanner.scan(c.body, c.body.length, GuardPolicy.defaults());
        System.out.printf("findings at the default policy: %d (%s)%n", check.findings().size(),
                check.findings().stream().map(Finding::rule).sorted().distinct().toList());
        System.out.printf("findings with personal data on: %d%n", scanner.scan(c.body, c.body.length, all).findings().size());
        // The two whole-body scans share most of their code: warm both, alternating, before timing either, or the
        // one timed first runs on a colder JIT (measured: its p50 moved by more than 1 ms between runs).
        for (int i = 0; i < iterations; i++) {
            scanner.scan(c.body, c.body.length, GuardPolicy.defaults());
            scanner.scan(c.body, c.body.length, all);
        }
        time("whole body, default policy (secrets + injection)", iterations, () -> scanner.scan(c.body, c.body.length, GuardPolicy.defaults()));
        time("whole body, all scanners (secrets + injection + personal data)", iterations, () -> scanner.scan(c.body, c.body.length, all));
        MessageSpans spans = MessageSpans.find(c.body, c.body.length);
        time("message spans (structure pass, if the inspection does not give offsets)", iterations, () -> MessageSpans.find(c.body, c.body.length));
        time("prefix digests of every message (shared with an exact-prefix cache)", iterations, () -> PrefixHashes.compute(c.body, spans));
        incremental(scanner, c, all, iterations / 4, false);
        incremental(scanner, c, GuardPolicy.defaults(), iterations, true);
        incremental(scanner, c, all, iterations, true);
    }

    /**
     * Turn N+1 arriving after turn N was scanned: every timed iteration gets a cache that holds exactly what the
     * scan of turn N left (a fresh guard, primed without timing), so the previous last message, whose cache
     * marker moved, is read again as it would be in a real session.
     */
    private static void incremental(GuardScanner scanner, Conversation c, GuardPolicy policy, int iterations, boolean print) throws IOException {
        MessageSpans spans = MessageSpans.find(c.body, c.body.length);
        PrefixHashes turnHashes = PrefixHashes.compute(c.body, spans);
        byte[] next = c.nextTurn();
        MessageSpans nextSpans = MessageSpans.find(next, next.length);
        long[] hashNs = new long[iterations];
        long[] scanNs = new long[iterations];
        long[] hashCpu = new long[iterations];
        long[] scanCpu = new long[iterations];
        GuardScan last = null;
        IncrementalGuard guard = null;
        for (int i = -iterations / 4; i < iterations; i++) {
            guard = new IncrementalGuard(scanner, 100_000, Duration.ofHours(1));
            guard.scan(c.body, c.body.length, spans, turnHashes, policy);
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            PrefixHashes hashes = PrefixHashes.compute(next, nextSpans);
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            last = guard.scan(next, next.length, nextSpans, hashes, policy);
            long t2 = System.nanoTime();
            long c2 = THREADS.getCurrentThreadCpuTime();
            if (i >= 0) {
                hashNs[i] = t1 - t0;
                scanNs[i] = t2 - t1;
                hashCpu[i] = c1 - c0;
                scanCpu[i] = c2 - c1;
            }
        }
        if (!print) {
            return;
        }
        GuardScan full = scanner.scan(next, next.length, policy);
        int messagesRead = nextSpans.end(nextSpans.count() - 1) - last.scannedFrom();
        System.out.printf("%ntypical turn: +%,d bytes (an assistant tool call and a ~12 KB tool result; the cache marker moves)."
                + " Read: %,d bytes of messages (the previous last message, whose marker moved, and the two new ones);"
                + " system prompt and tools skipped as known%n", next.length - c.body.length, messagesRead);
        System.out.printf("incremental findings equal the full scan's: %s (%d findings, %d reused)%n",
                last.findings().equals(full.findings()), last.findings().size(), last.reused());
        report("incremental scan of a typical turn (" + (policy == GuardPolicy.defaults() ? "default policy" : "all scanners") + ")", scanNs, scanCpu);
        report("prefix digests of that turn's body (computed once per request, shared)", hashNs, hashCpu);
    }

    private static void corpus(GuardScanner scanner) {
        List<Corpus.Case> cases = Corpus.load();
        CorpusEvaluation e = CorpusEvaluation.run(scanner, cases);
        System.out.printf("%ncorpus: %d positive cases, %d negative cases (src/test/resources/guard/corpus)%n", e.positives, e.negatives);
        System.out.printf("%-28s %6s %6s %6s %10s %8s%n", "rule", "TP", "FN", "FP", "precision", "recall");
        e.perRule.forEach((rule, t) -> System.out.printf("%-28s %6d %6d %6d %10.3f %8.3f%n", rule, t.truePositives, t.falseNegatives,
                t.falsePositives, t.precision(), t.recall()));
        System.out.printf("negatives flagged: %d of %d (false-positive rate %.3f)%n", e.flaggedNegatives, e.negatives, e.falsePositiveRate());
        e.mistakes.forEach(m -> System.out.println("  " + m));
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static void time(String what, int iterations, Runnable task) {
        for (int i = 0; i < Math.max(50, iterations / 4); i++) {
            task.run();
        }
        long[] wall = new long[iterations];
        long[] cpu = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            task.run();
            wall[i] = System.nanoTime() - t0;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        report(what, wall, cpu);
    }

    /** Wall time is what a request waits; CPU time is the scan's own work, which other processes on a shared box do not inflate as much. */
    private static void report(String what, long[] wall, long[] cpu) {
        System.out.println(what);
        System.out.println("    wall " + percentiles(wall));
        System.out.println("    cpu  " + percentiles(cpu));
    }

    private static String percentiles(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("p50 %7.3f ms   p90 %7.3f ms   p99 %7.3f ms   max %7.3f ms", s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.9)] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("marker not found");
    }

    /** A Claude Code conversation reading this repository's sources, about 700 KB. */
    public static final class Conversation {
        byte[] body;
        int messageCount;
        int planted;
        private ObjectNode root;

        /** The request body. */
        public byte[] body() {
            return body;
        }

        public static Conversation build() throws IOException {
            Conversation c = new Conversation();
            try (InputStream in = GuardBenchmark.class.getResourceAsStream("/demo/claude-code-request.json")) {
                c.root = (ObjectNode) Json.MAPPER.readTree(in);
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(Path.of("src/main/java/dev/sluice"))) {
                files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            ArrayNode messages = (ArrayNode) c.root.get("messages");
            stripMarkers(messages);
            FakeSecrets fake = new FakeSecrets(2026);
            int turn = 0;
            while (Json.MAPPER.writeValueAsBytes(c.root).length < TARGET_BYTES) {
                Path file = files.get(turn % files.size());
                String text = Files.readString(file);
                if (turn % 12 == 5) {
                    text = "# .env.production (read by mistake)\nGITHUB_TOKEN=" + fake.githubToken("gh" + "p_") + "\nDATABASE_URL=postgres://app:"
                            + fake.password() + "@db.prod:5432/app\n" + text;
                    c.planted += 2;
                }
                String id = "toolu_01" + String.format("%016d", turn);
                messages.add(Bodies.message("assistant", Bodies.text("Let me look at " + file.getFileName() + "."),
                        Bodies.toolUse(id, "Read", Map.of("file_path", "/home/dev/sluice/" + file))));
                messages.add(Bodies.message("user", Bodies.toolResult(id, numbered(text))));
                turn++;
            }
            // The last turn reads a file of a typical size (~10 KB): it is what the next turn reads again, because
            // the cache marker moves off it.
            String last = Files.readString(Path.of("src/main/java/dev/sluice/guard/engine/GuardEngine.java"));
            messages.add(Bodies.message("assistant", Bodies.toolUse("toolu_01LAST", "Read", Map.of("file_path", "/home/dev/sluice/GuardEngine.java"))));
            messages.add(Bodies.message("user", Bodies.toolResult("toolu_01LAST", numbered(last.substring(0, Math.min(last.length(), 9_000))))));
            c.finish();
            return c;
        }

        private void finish() throws IOException {
            ArrayNode messages = (ArrayNode) root.get("messages");
            stripMarkers(messages);
            JsonNode last = messages.get(messages.size() - 1).get("content");
            ((ObjectNode) last.get(last.size() - 1)).putObject("cache_control").put("type", "ephemeral");
            body = Json.MAPPER.writeValueAsBytes(root);
            messageCount = messages.size();
        }

        /** This conversation one turn later: a test run and its ~12 KB output; the marker moves to it. */
        byte[] nextTurn() throws IOException {
            ObjectNode copy = root.deepCopy();
            ArrayNode messages = (ArrayNode) copy.get("messages");
            stripMarkers(messages);
            messages.add(Bodies.message("assistant", Bodies.text("Running the tests."),
                    Bodies.toolUse("toolu_01RUN", "Bash", Map.of("command", "./mvnw -q -o test -Dtest=GuardScannerTest"))));
            StringBuilder out = new StringBuilder("RUN-000000\n");
            String source = Files.readString(Path.of("src/main/java/dev/sluice/guard/engine/BodyWalker.java"));
            out.append(source, 0, Math.min(source.length(), 12_000));
            ObjectNode result = Bodies.toolResult("toolu_01RUN", out.toString());
            result.putObject("cache_control").put("type", "ephemeral");
            messages.add(Bodies.message("user", result));
            return Json.MAPPER.writeValueAsBytes(copy);
        }

        private static void stripMarkers(ArrayNode messages) {
            for (JsonNode m : messages) {
                if (m.get("content") instanceof ArrayNode blocks) {
                    blocks.forEach(b -> ((ObjectNode) b).remove("cache_control"));
                }
            }
        }

        private static String numbered(String text) {
            StringBuilder b = new StringBuilder(text.length() + text.length() / 8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                b.append(String.format("%6d\u2192", i + 1)).append(lines[i]).append('\n');
            }
            return b.toString();
        }
    }
}
