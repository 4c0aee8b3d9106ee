package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit writer loses no line when its disk stalls, and its hash chain finds every kind of tampering. */
class AuditWriterTest {
    @TempDir
    Path dir;

    @Test
    void aStalledDiskSlowsRequestsButLosesNoLine() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream stalling = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                try {
                    stall.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.write(b, off, len);
            }
        };
        AuditWriter writer = AuditWriter.toStream(stalling, 8, AuditKey.of("ab".repeat(32)));
        List<Thread> requests = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            requests.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 50; i++) {
                    writer.write(("{\"n\":\"" + thread + "-" + i + "\"").getBytes(StandardCharsets.UTF_8));
                }
            }));
        }
        Thread.sleep(300);
        stall.countDown();
        for (Thread r : requests) {
            r.join(TimeUnit.SECONDS.toMillis(10));
        }
        writer.close();
        String[] lines = sink.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(200);
        assertThat(writer.written()).isEqualTo(200);
        assertThat(writer.direct()).as("lines written by callers while the queue was full").isPositive();
        assertThat(writer.errors()).isZero();
    }

    @Test
    void theChainHoldsAcrossRestartsAndBreaksAtAnyEdit() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        for (int run = 0; run < 2; run++) {
            try (AuditWriter w = AuditWriter.toFile(file)) {
                for (int i = 0; i < 5; i++) {
                    w.write(("{\"run\":" + run + ",\"i\":" + i).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(AuditChain.verify(file)).satisfies(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.lines()).isEqualTo(10);
        });
        List<String> lines = Files.readAllLines(file);

        List<String> edited = new ArrayList<>(lines);
        edited.set(6, edited.get(6).replace("\"i\":1", "\"i\":9"));
        assertBrokenAt(file, edited, 7);

        List<String> deleted = new ArrayList<>(lines);
        deleted.remove(3);
        assertBrokenAt(file, deleted, 4);

        List<String> swapped = new ArrayList<>(lines);
        swapped.set(2, lines.get(3));
        swapped.set(3, lines.get(2));
        assertBrokenAt(file, swapped, 3);
    }

    private static void assertBrokenAt(Path f, List<String> lines, int lineNumber) throws Exception {
        Files.write(f, lines);
        AuditChain.Result r = AuditChain.verify(f);
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenLine()).isEqualTo(lineNumber);
    }
}
