package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks that defeated the unkeyed chain, replayed against real files: a forger with write access to the
 * audit file (but not the key) edits a line and recomputes every later value, cuts the tail, empties the file.
 */
class AuditTamperTest {
    private static final String LEGACY = ",\"chain\":\"";
    private static final String KEYED = ",\"hmac\":\"";

    @TempDir
    Path dir;

    private Path log(int lines) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditWriter w = AuditWriter.toFile(file)) {
            for (int i = 1; i <= lines; i++) {
                w.write(("{\"kind\":\"request\",\"n\":" + i + ",\"key_alias\":\"dev-" + i + "\",\"cost_usd\":0.01")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    @Test
    void anUntouchedLogPassesKeyedAndAnchored() throws Exception {
        Path file = log(12);
        AuditChain.Result r = AuditChain.verify(file);
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(12);
        assertThat(r.legacyLines()).isZero();
        assertThat(r.anchored()).isTrue();
        assertThat(Files.readAllLines(file)).allSatisfy(l -> assertThat(l).contains(KEYED).doesNotContain(LEGACY));
        String key = Files.readString(dir.resolve(AuditKey.FILE)).strip();
        assertThat(Files.readString(file)).doesNotContain(key);
        assertThat(Files.getPosixFilePermissions(dir.resolve(AuditKey.FILE))).hasToString("[OWNER_READ, OWNER_WRITE]");
        assertThat(Files.getPosixFilePermissions(dir.resolve("audit.jsonl.anchor"))).hasToString("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void anEditRecomputedWithTheOldUnkeyedAlgorithmFails() throws Exception {
        Path file = log(12);
        List<String> lines = Files.readAllLines(file);
        lines.set(9, lines.get(9).replace("\"cost_usd\":0.01", "\"cost_usd\":0.00").replace("dev-10", "someone-else"));
        // The published attack: recompute the plain SHA-256 chain from the edited line on.
        write(file, rechain(lines, 9, null));
        assertBroken(file, 10, "unkeyed line after keyed ones");
        // The same forgery from the public genesis value down: the anchor's value at line 12 gives it away.
        write(file, rechain(lines, 0, null));
        assertBroken(file, 12, "differs from the anchored one");
    }

    @Test
    void anEditRecomputedWithAWrongKeyFails() throws Exception {
        Path file = log(12);
        List<String> lines = Files.readAllLines(file);
        lines.set(9, lines.get(9).replace("\"cost_usd\":0.01", "\"cost_usd\":0.00"));
        write(file, rechain(lines, 9, AuditKey.of("42".repeat(32)).newMac()));
        assertBroken(file, 10, "chain mismatch");
    }

    @Test
    void cuttingTheTailOrEmptyingOrRemovingTheFileFails() throws Exception {
        Path file = log(12);
        List<String> lines = Files.readAllLines(file);
        write(file, lines.subList(0, 7));
        assertBroken(file, 8, "truncated: anchor says 12 lines, file has 7");
        write(file, List.of());
        assertBroken(file, 1, "truncated: anchor says 12 lines, file has 0");
        Files.delete(file);
        assertBroken(file, 1, "truncated: anchor says 12 lines, file has 0");
    }

    @Test
    void deletingReorderingOrInsertingFails() throws Exception {
        Path file = log(12);
        List<String> lines = Files.readAllLines(file);
        List<String> deleted = new ArrayList<>(lines);
        deleted.remove(4);
        write(file, deleted);
        assertBroken(file, 5, "chain mismatch");
        List<String> swapped = new ArrayList<>(lines);
        swapped.set(5, lines.get(6));
        swapped.set(6, lines.get(5));
        write(file, swapped);
        assertBroken(file, 6, "chain mismatch");
        List<String> inserted = new ArrayList<>(lines);
        inserted.add(3, lines.get(3));
        write(file, inserted);
        assertBroken(file, 5, "chain mismatch");
    }

    @Test
    void bytesThatAreNotTextOrNotALogLineAreReportedNotThrown() throws Exception {
        Path file = log(4);
        byte[] all = Files.readAllBytes(file);
        int second = indexOf(all, (byte) '\n', 0) + 1;
        all[second + 3] = (byte) 0xC3; // a lone UTF-8 lead byte inside line 2
        Files.write(file, all);
        assertBroken(file, 2, "chain mismatch");
        Files.writeString(file, "not json at all\n\n");
        assertBroken(file, 1, "no chain value");
    }

    private static int indexOf(byte[] b, byte what, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == what) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aRewrittenOrMissingAnchorFails() throws Exception {
        Path file = log(12);
        Path anchor = dir.resolve("audit.jsonl.anchor");
        List<String> lines = Files.readAllLines(file);
        String original = Files.readString(anchor);
        // Cut the file to 7 lines and point the anchor at line 7's (public) value: its own HMAC gives it away.
        write(file, lines.subList(0, 7));
        String seventh = lines.get(6).substring(lines.get(6).length() - 66, lines.get(6).length() - 2);
        String twelfth = lines.get(11).substring(lines.get(11).length() - 66, lines.get(11).length() - 2);
        Files.writeString(anchor, original.replace("\"lines\":12", "\"lines\":7").replace(twelfth, seventh));
        AuditChain.Result r = AuditChain.verify(file);
        assertThat(r.ok()).isFalse();
        assertThat(r.brokenFile()).isEqualTo(anchor);
        assertThat(r.reason()).contains("was altered");
        Files.delete(anchor);
        r = AuditChain.verify(file);
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).contains("no anchor file");
    }

    @Test
    void aRestartAfterTheFileWasCutWhileDownRefusesToBlessIt() throws Exception {
        Path file = log(12);
        write(file, Files.readAllLines(file).subList(0, 5));
        assertThatThrownBy(() -> AuditWriter.toFile(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("truncated: anchor says 12 lines, file has 5").hasMessageContaining("aside");
        Files.delete(dir.resolve("audit.jsonl.anchor"));
        assertThatThrownBy(() -> AuditWriter.toFile(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds keyed lines but its anchor");
    }

    private static void assertBroken(Path file, long line, String reason) throws Exception {
        AuditChain.Result r = AuditChain.verify(file);
        assertThat(r.ok()).as(String.valueOf(r)).isFalse();
        assertThat(r.brokenLine()).as(String.valueOf(r)).isEqualTo(line);
        assertThat(r.reason()).contains(reason);
    }

    static void write(Path file, List<String> lines) throws Exception {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /**
     * The lines with every chain value from line {@code from} (0-based) recomputed from the value before it: with
     * {@code mac}, as keyed lines; without, as the old unkeyed SHA-256 lines.
     */
    static List<String> rechain(List<String> lines, int from, Mac mac) throws Exception {
        List<String> out = new ArrayList<>(lines.subList(0, from));
        String chain = from == 0 ? "0".repeat(64) : value(lines.get(from - 1));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String line : lines.subList(from, lines.size())) {
            String content = line.substring(0, line.length() - 66 - (line.contains(KEYED) ? KEYED.length() : LEGACY.length()));
            byte[] input = (chain + content).getBytes(StandardCharsets.UTF_8);
            chain = HexFormat.of().formatHex(mac == null ? sha.digest(input) : mac.doFinal(input));
            out.add(content + (mac == null ? LEGACY : KEYED) + chain + "\"}");
        }
        return out;
    }

    static String value(String line) {
        return line.substring(line.length() - 66, line.length() - 2);
    }
}
