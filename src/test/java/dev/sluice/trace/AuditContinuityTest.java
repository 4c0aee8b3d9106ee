package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyed chain continues across restarts, rotation, a stop in the middle of a rotation, and an unkeyed older log. */
class AuditContinuityTest {
    private static final AuditKey KEY = AuditKey.of("5a".repeat(32));

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("audit.jsonl");
    }

    private void run(long rotateBytes, int from, int lines) {
        try (AuditWriter w = AuditWriter.toFile(file(), KEY, dir.resolve("audit.jsonl.anchor"), rotateBytes)) {
            for (int i = from; i < from + lines; i++) {
                w.write(("{\"kind\":\"request\",\"n\":" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private AuditChain.Result verify() throws Exception {
        return AuditChain.verify(file(), KEY, dir.resolve("audit.jsonl.anchor"), true);
    }

    @Test
    void restartsAndRotationContinueOneChain() throws Exception {
        // Every batch passes 1 byte, so the file is moved aside after each: restarts begin on an empty file and
        // must continue from the newest rotated one.
        for (int run = 0; run < 3; run++) {
            run(1, run * 4, 4);
        }
        List<Path> rotated = AuditLines.rotated(file());
        assertThat(rotated).hasSizeGreaterThan(1);
        AuditChain.Result r = verify();
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(12);
        assertThat(r.anchored()).isTrue();

        // A rotated file cut at its end, or removed, breaks the link to the file after it.
        Path middle = rotated.get(rotated.size() / 2);
        List<String> kept = Files.readAllLines(middle);
        Files.write(middle, kept.subList(0, kept.size() - 1));
        assertThat(verify().ok()).isFalse();
        Files.write(middle, kept);
        assertThat(verify().ok()).isTrue();
        Files.delete(rotated.getFirst());
        assertThat(verify()).satisfies(b -> {
            assertThat(b.ok()).isFalse();
            assertThat(b.brokenLine()).isEqualTo(1);
        });
    }

    @Test
    void restartsWithoutRotationAppendToTheSameFile() throws Exception {
        run(AuditWriter.ROTATE_BYTES, 0, 5);
        run(AuditWriter.ROTATE_BYTES, 5, 5);
        assertThat(AuditLines.rotated(file())).isEmpty();
        assertThat(Files.readAllLines(file())).hasSize(10);
        AuditChain.Result r = verify();
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(10);
        // A cut at the end still chains; the anchor catches it.
        Files.write(file(), Files.readAllLines(file()).subList(0, 9));
        assertThat(verify().reason()).isEqualTo("truncated: anchor says 10 lines, file has 9");
    }

    @Test
    void aStopBetweenMovingTheFileAsideAndAnchoringIsNoTampering() throws Exception {
        run(AuditWriter.ROTATE_BYTES, 0, 6);
        // The anchor says 6 lines in audit.jsonl; the file is moved aside as a rotation does, and nothing else happens.
        Files.move(file(), dir.resolve("audit.jsonl." + System.currentTimeMillis()));
        assertThat(verify().ok()).as(String.valueOf(verify())).isTrue();
        run(AuditWriter.ROTATE_BYTES, 6, 2);
        AuditChain.Result r = verify();
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(8);
    }

    @Test
    void anUnkeyedOlderLogIsContinuedAndThenPinned() throws Exception {
        List<String> legacy = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            legacy.add("{\"kind\":\"request\",\"n\":" + i + ",\"chain\":\"" + "0".repeat(64) + "\"}");
        }
        AuditTamperTest.write(file(), AuditTamperTest.rechain(legacy, 0, null));
        AuditChain.Result old = AuditChain.verify(file(), null, null, false);
        assertThat(old.ok()).as(String.valueOf(old)).isTrue();
        assertThat(old.legacyLines()).isEqualTo(5);

        run(AuditWriter.ROTATE_BYTES, 5, 3);
        AuditChain.Result r = verify();
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(8);
        assertThat(r.legacyLines()).isEqualTo(5);
        // Once keyed lines follow, an edit to an unkeyed line (its SHA-256 chain recomputed) shows at the first keyed one.
        List<String> lines = Files.readAllLines(file());
        lines.set(1, lines.get(1).replace("\"n\":1", "\"n\":7"));
        List<String> forged = new java.util.ArrayList<>(AuditTamperTest.rechain(lines.subList(0, 5), 1, null));
        forged.addAll(lines.subList(5, 8));
        AuditTamperTest.write(file(), forged);
        assertThat(verify()).satisfies(b -> {
            assertThat(b.ok()).isFalse();
            assertThat(b.brokenLine()).isEqualTo(6);
        });
    }

    @Test
    void aStreamLogIsKeyedAndChecksWithoutAnAnchor() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (AuditWriter w = AuditWriter.toStream(sink, 16, KEY)) {
            for (int i = 0; i < 4; i++) {
                w.write(("{\"n\":" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        Files.write(file(), sink.toByteArray());
        AuditChain.Result r = AuditChain.verify(file(), KEY, null, false);
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(4);
        assertThat(r.anchored()).isFalse();
        assertThat(AuditChain.verify(file(), AuditKey.of("00".repeat(32)), null, false).ok()).isFalse();
        assertThat(AuditChain.verify(file(), null, null, false).reason()).contains("give the audit key");
    }
}
