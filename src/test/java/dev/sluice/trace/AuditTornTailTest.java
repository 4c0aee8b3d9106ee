package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 33: the gateway killed (SIGKILL) in the middle of the audit writer's write of a batch of lines. Linux
 * stops a write to a file at a page boundary when a fatal signal is pending, so the file ends in part of a line, past
 * what the anchor counts (as after a power cut before the sync). The next start must continue the chain from the last
 * whole line: appending after the torn bytes glued them to the next line, which then failed {@code sluice audit verify}
 * as tampering, for good.
 */
class AuditTornTailTest {
    private static final AuditKey KEY = AuditKey.of("3c".repeat(32));

    @TempDir
    Path dir;

    @Test
    void aLineTornByAKillIsCutAtTheNextStartAndTheChainStillVerifies() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Path anchor = dir.resolve("audit.jsonl.anchor");
        run(file, anchor, 0, 4);
        byte[] whole = Files.readAllBytes(file);
        // The next batch's first line, cut at a page boundary by the kill: no newline, no chain value.
        Files.write(file, "{\"kind\":\"request\",\"n\":4,\"request_id\":\"req_torn".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        run(file, anchor, 5, 3);

        AuditChain.Result r = AuditChain.verify(file, KEY, anchor, true);
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(7);
        byte[] now = Files.readAllBytes(file);
        assertThat(new String(now, 0, whole.length, StandardCharsets.UTF_8)).as("the whole lines before the tear are kept")
                .isEqualTo(new String(whole, StandardCharsets.UTF_8));
        assertThat(new String(now, StandardCharsets.UTF_8)).doesNotContain("req_torn");
    }

    private static void run(Path file, Path anchor, int from, int lines) {
        try (AuditWriter w = AuditWriter.toFile(file, KEY, anchor, AuditWriter.ROTATE_BYTES)) {
            for (int i = from; i < from + lines; i++) {
                w.write(("{\"kind\":\"request\",\"n\":" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
