package dev.sluice.cache.learn.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.CliRun;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureLogTest {
    @TempDir
    Path dir;

    @Test
    void rotatesAtMaxBytesAndKeepsOnlyKeepOldFiles() throws Exception {
        long max = 64 * 1024;
        try (CaptureLog log = new CaptureLog(dir, max, 2)) {
            for (int i = 0; i < 400; i++) {
                long at = i;
                log.submit(0, () -> ShapeCodec.write(new Bust(at, "acme", "org", "x".repeat(900))));
            }
            log.drain();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).toList();
        }
        assertThat(files).hasSize(3);
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(max);
        }
        CaptureFiles.Capture c = CaptureFiles.read(dir, 0, 1000);
        assertThat(c.busts()).isNotEmpty().hasSizeLessThan(400);
        assertThat(c.busts().getLast().at()).as("the newest line survives rotation").isEqualTo(399);
        assertThat(c.busts()).isSortedAccordingTo(java.util.Comparator.comparingLong(Bust::at));
    }

    @Test
    void readSkipsBrokenLinesAndExportKeepsOnlyTheWindow() throws Exception {
        Path file = dir.resolve("capture.jsonl");
        Files.writeString(file, ShapeCodec.write(new Bust(10, "acme", "org", null)) + "\n{not json\n"
                + "{\"v\":9,\"type\":\"bust\"}\n" + ShapeCodec.write(new Bust(20, "acme", "org", "ns")) + "\n");
        CaptureFiles.Capture c = CaptureFiles.read(file, 0, 10);
        assertThat(c.busts()).extracting(Bust::at).containsExactly(10L, 20L);
        assertThat(c.skipped()).isEqualTo(2);
        StringWriter out = new StringWriter();
        assertThat(CaptureFiles.export(file, 15, out)).isEqualTo(1);
        assertThat(out.toString()).contains("\"at\":20").doesNotContain("\"at\":10");
    }

    @Test
    void aLineOverOneMegabyteIsSkippedNotHeldAndTheNewestShapesAreKept() throws Exception {
        Path file = dir.resolve("big.jsonl");
        StringBuilder sb = new StringBuilder("{\"v\":1,\"pad\":\"").append("x".repeat(CaptureFiles.MAX_LINE + 10)).append("\"}\n");
        for (int i = 0; i < 5; i++) {
            sb.append(ShapeCodec.write(dev.sluice.cache.learn.ShapeBuilder.shape("r" + i).at(i).build())).append('\n');
        }
        Files.writeString(file, sb);
        CaptureFiles.Capture c = CaptureFiles.read(file, 0, 3);
        assertThat(c.skipped()).isEqualTo(1);
        assertThat(c.truncated()).isTrue();
        assertThat(c.shapes()).extracting(dev.sluice.cache.learn.capture.Shape::requestId).containsExactly("r2", "r3", "r4");
    }

    @Test
    void theCliExportsTheWindowAsOneFileAndNeverOverwrites() throws Exception {
        long now = System.currentTimeMillis();
        try (CaptureLog log = new CaptureLog(dir.resolve("capture"), 64 * 1024, 2)) {
            log.submit(0, () -> ShapeCodec.write(new Bust(now - 10 * 86_400_000L, "acme", "org", "old")));
            log.submit(0, () -> ShapeCodec.write(new Bust(now - 60_000, "acme", "org", "new")));
            log.drain();
        }
        Path out = dir.resolve("week.jsonl");
        assertThat(CliRun.of("cache", "export", "--dir", dir.resolve("capture").toString(), "--since", "7d", "--out", out.toString())
                .code()).isZero();
        assertThat(CaptureFiles.read(out, 0, 10).busts()).extracting(Bust::namespace).containsExactly("new");
        CliRun again = CliRun.of("cache", "export", "--dir", dir.resolve("capture").toString(), "--out", out.toString());
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("exists");
    }
}
