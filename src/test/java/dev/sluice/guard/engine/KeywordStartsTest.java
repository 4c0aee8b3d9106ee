package dev.sluice.guard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.GuardRules;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Keyword;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The automaton run only from keyword starts ({@link KeywordStarts}) reports exactly the hits of a pass over every
 * byte, on text made of little but keywords, their beginnings and ends, overlapping and in mixed case: the text where a
 * run stops and restarts most often.
 */
class KeywordStartsTest {
    private static final List<byte[]> KEYWORDS = GuardRules.detectors().stream().map(Detector::keywords)
            .flatMap(List::stream).map(Keyword::bytes).toList();
    private static final KeywordAutomaton AUTOMATON = KeywordAutomaton.build(KEYWORDS);
    private static final KeywordStarts STARTS = KeywordStarts.of(AUTOMATON);

    /** (row, offset) pairs of a pass over every byte of {@code b[0, n)}. */
    private static int[] everyByte(byte[] b, int n) {
        IntArray out = new IntArray(16);
        int row = 0;
        for (int i = 0; i < n; i++) {
            row = AUTOMATON.step(row, b[i]);
            if (row >= AUTOMATON.firstMatch()) {
                out.add(row);
                out.add(i);
            }
        }
        return Arrays.copyOf(out.array(), out.size());
    }

    /** The same from the starts: the byte-at-a-time search, and the SIMD one where the CPU has it. */
    private static List<int[]> fromStarts(byte[] b, int n) {
        List<int[]> all = new ArrayList<>();
        IntArray out = new IntArray(16);
        STARTS.scan(b, 0, n, out);
        all.add(Arrays.copyOf(out.array(), out.size()));
        if (BytePermute.AVAILABLE) {
            out.clear();
            new VectorKeywordStarts(STARTS).run(b, n, out);
            all.add(Arrays.copyOf(out.array(), out.size()));
        }
        return all;
    }

    /** Text as the walker leaves it: strings separated by 0xFF, and room past the end. */
    private static byte[] text(Random r, int pieces, List<byte[]> vocabulary) {
        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < pieces; i++) {
            byte[] w = vocabulary.get(r.nextInt(vocabulary.size()));
            for (byte c : w) {
                s.write(r.nextInt(4) == 0 && c >= 'a' && c <= 'z' ? c - 32 : c);
            }
            if (r.nextInt(40) == 0) {
                s.write(Decoded.SEPARATOR);
            }
        }
        s.write(Decoded.SEPARATOR);
        byte[] body = s.toByteArray();
        return Arrays.copyOf(body, body.length + 16);
    }

    /** Keywords, every beginning and end of each, and bytes that start or end nothing. */
    private static List<byte[]> fragments() {
        List<byte[]> v = new ArrayList<>();
        for (byte[] k : KEYWORDS) {
            for (int i = 1; i <= k.length; i++) {
                v.add(Arrays.copyOf(k, i));
                v.add(Arrays.copyOfRange(k, k.length - i, k.length));
            }
        }
        for (String filler : new String[] {" ", "x", "\n", "(", "7", "\u2192", "\u00e9", "_", "-", ".", ":"}) {
            v.add(filler.getBytes(StandardCharsets.UTF_8));
        }
        return v;
    }

    @Test
    void reportsTheHitsOfAPassOverEveryByte() {
        List<byte[]> vocabulary = fragments();
        Random r = new Random(12);
        long hits = 0;
        for (int round = 0; round < 300; round++) {
            byte[] b = text(r, 20 + r.nextInt(round % 10 == 0 ? 3000 : 300), vocabulary);
            int n = b.length - 16;
            int[] expected = everyByte(b, n);
            hits += expected.length / 2;
            for (int[] found : fromStarts(b, n)) {
                assertThat(found).as("round %d", round).isEqualTo(expected);
            }
        }
        assertThat(hits).as("the text is dense with keywords").isGreaterThan(10_000);
    }

    @Test
    void everyKeywordStartPassesBothTestsAtEveryOffsetOfARegister() {
        for (byte[] k : KEYWORDS) {
            for (int at = 0; at < 70; at++) {
                byte[] b = new byte[at + k.length + 80];
                Arrays.fill(b, (byte) '#');
                System.arraycopy(k, 0, b, at, k.length);
                b[at + k.length + 60] = Decoded.SEPARATOR;
                int n = at + k.length + 61;
                assertThat(STARTS.candidate(b, at) && STARTS.exact(b, at)).as("%s at %d", new String(k, StandardCharsets.UTF_8), at)
                        .isTrue();
                for (int[] found : fromStarts(b, n)) {
                    assertThat(found).as("%s at %d", new String(k, StandardCharsets.UTF_8), at).isEqualTo(everyByte(b, n))
                            .isNotEmpty();
                }
            }
        }
    }

    /** The looked-up first steps are used for most starts (a run from every one is compared with a full pass above). */
    @Test
    void mostFourByteStartsHaveTheirFirstStepsLookedUp() {
        long fourByteStarts = AUTOMATON.starts().stream().filter(s -> s.length == KeywordStarts.WINDOW).count();
        assertThat(STARTS.shortcuts()).isGreaterThan((int) (fourByteStarts * 3 / 4)).isLessThanOrEqualTo((int) fourByteStarts);
    }

    /** Far more starts than the table of first steps holds (an operator's custom rules): it fills to half, the rest step. */
    @Test
    void manyStartsFillTheTableOfFirstStepsToHalfAndStillFindEverything() {
        List<byte[]> many = new ArrayList<>(KEYWORDS);
        Random r = new Random(5);
        for (int i = 0; i < 1500; i++) {
            byte[] w = new byte[4 + r.nextInt(6)];
            for (int j = 0; j < w.length; j++) {
                w[j] = (byte) ('a' + r.nextInt(26));
            }
            many.add(w);
        }
        KeywordAutomaton automaton = KeywordAutomaton.build(many);
        KeywordStarts starts = KeywordStarts.of(automaton);
        assertThat(starts.shortcuts()).isEqualTo(512);
        byte[] b = text(r, 4000, many);
        int n = b.length - 16;
        IntArray expected = new IntArray(16);
        int row = 0;
        for (int i = 0; i < n; i++) {
            row = automaton.step(row, b[i]);
            if (row >= automaton.firstMatch()) {
                expected.add(row);
                expected.add(i);
            }
        }
        IntArray found = new IntArray(16);
        starts.scan(b, 0, n, found);
        assertThat(Arrays.copyOf(found.array(), found.size())).isEqualTo(Arrays.copyOf(expected.array(), expected.size()))
                .hasSizeGreaterThan(2000);
    }

    @Test
    void notUsedWhenAKeywordIsShorterThanThreeBytes() {
        List<byte[]> withShort = new ArrayList<>(KEYWORDS);
        withShort.add("ab".getBytes(StandardCharsets.US_ASCII));
        assertThat(KeywordStarts.of(KeywordAutomaton.build(withShort))).isNull();
        assertThat(STARTS).isNotNull();
    }
}
