package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    @Test
    void readsAcrossRotatedSegmentsAndDeletesConsumedOnes() throws Exception {
        try (Journal j = Journal.open(dir)) {
            write(j, "one");
            write(j, "two");
            j.rotate().close();
            JournalPosition end = write(j, "three");
            Journal.Read all = j.read(j.start(), j.end(), 10);
            assertThat(texts(all)).containsExactly("one", "two", "three");
            assertThat(all.next()).isEqualTo(end);
            Journal.Read firstTwo = j.read(j.start(), j.end(), 2);
            assertThat(texts(firstTwo)).containsExactly("one", "two");
            j.deleteBefore(all.ends().get(2));
            assertThat(segments()).hasSize(1);
            assertThat(texts(j.read(all.ends().get(1), j.end(), 10))).containsExactly("three"); // its segment is gone
        }
    }

    /**
     * A rotation that cannot create the next segment (no file descriptor left: attack round 19 ran the gateway at
     * {@code --nofile=256}) leaves the live segment live: sealed anyway, it was read only up to its size at the failure,
     * and the lines written after it were never read.
     */
    @Test
    void aRotationThatCannotCreateTheNextSegmentKeepsTheLiveOne() throws Exception {
        try (Journal j = Journal.open(dir)) {
            write(j, "one");
            Path blocker = dir.resolve(String.format("%012d%s", j.end().segment() + 1, Journal.SUFFIX));
            Files.createFile(blocker); // the next segment's name is taken, so creating it fails
            assertThatThrownBy(j::rotate).isInstanceOf(IOException.class);
            Files.delete(blocker);
            JournalPosition end = write(j, "two");
            Journal.Read all = j.read(j.start(), j.end(), 10);
            assertThat(texts(all)).containsExactly("one", "two");
            assertThat(all.next()).isEqualTo(end);
            assertThat(j.bytes()).isEqualTo(end.offset());
        }
    }

    @Test
    void skipsCorruptAndTornLinesOnReplay() throws Exception {
        try (Journal j = Journal.open(dir)) {
            write(j, "a");
            write(j, "b");
            write(j, "c");
        }
        Path segment = segments().getFirst();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(Journal.frame(bytes("a")).limit() + 9); // flip the payload byte of line "b"
            f.write('X');
            f.seek(f.length());
            f.write("0000abcd {\"half a li".getBytes(StandardCharsets.US_ASCII)); // torn tail, no newline
        }
        try (Journal j = Journal.open(dir)) {
            Journal.Read r = j.read(j.start(), j.end(), 10);
            assertThat(texts(r)).containsExactly("a", "c");
            assertThat(r.corrupt()).isEqualTo(2);
            assertThat(r.next()).isEqualTo(j.end()); // past the old segment, onto the new empty one
        }
    }

    @Test
    void readsALineLongerThanOneChunk() throws Exception {
        String big = "x".repeat(600 * 1024);
        try (Journal j = Journal.open(dir)) {
            write(j, "small");
            write(j, big);
            write(j, "after");
            assertThat(texts(j.read(j.start(), j.end(), 10))).containsExactly("small", big, "after");
        }
    }

    @Test
    void oneProcessPerJournal() throws Exception {
        Journal first = Journal.open(dir);
        try {
            assertThatThrownBy(() -> Journal.open(dir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use by another process");
        } finally {
            first.close();
        }
        Journal.open(dir).close(); // released on close
    }

    private static JournalPosition write(Journal j, String text) throws IOException {
        return j.write(Journal.frame(bytes(text)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(Journal.Read r) {
        return r.payloads().stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(Journal.SUFFIX)).filter(p -> p.toFile().length() > 0).sorted().toList();
        }
    }
}
