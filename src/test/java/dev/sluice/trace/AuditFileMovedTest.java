package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit file moved away or deleted under a running gateway (attack round 19): the writer went on writing into the
 * moved or unlinked file and anchoring its line count, so lines vanished and the next start refused the log as
 * truncated. The writer now notices and goes on in a new file at the path, the chain continuing.
 */
class AuditFileMovedTest {
    @TempDir
    Path dir;

    @Test
    void aLogMovedAsideByLogrotateIsFollowedByANewFileAndTheChainVerifies() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter w = AuditWriter.toFile(file)) {
            write(w, 0, 5);
            waitFor(() -> w.written() == 5);
            Files.move(file, dir.resolve("audit.jsonl.1")); // logrotate's rename, with a number verify orders by
            waitUntilReopened(w, file, 5);
        }
        AuditChain.Result r = AuditChain.verify(file);
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(Files.readAllLines(file)).isNotEmpty();
        AuditWriter.toFile(file).close(); // and the next start takes it
    }

    @Test
    void aDeletedLogShowsAsABreakButTheGatewayKeepsLoggingAndRestarts() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter w = AuditWriter.toFile(file)) {
            write(w, 0, 5);
            waitFor(() -> w.written() == 5);
            Files.delete(file);
            waitUntilReopened(w, file, 5);
        }
        assertThat(Files.readAllLines(file)).isNotEmpty();
        assertThat(AuditChain.verify(file).ok()).as("the deletion is evidence").isFalse();
        AuditWriter.toFile(file).close();
    }

    /** Writes a line every few milliseconds until the writer has a file at the path again (it checks about once a second). */
    private static void waitUntilReopened(AuditWriter w, Path file, int from) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int i = from;
        while (!(Files.exists(file) && sizeOf(file) > 0) && System.nanoTime() < deadline) {
            write(w, i, ++i);
            Thread.sleep(20);
        }
        write(w, i, i + 1);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void write(AuditWriter w, int from, int to) {
        for (int i = from; i < to; i++) {
            w.write(("{\"kind\":\"request\",\"i\":" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }
}
