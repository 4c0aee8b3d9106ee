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

    /**
     * As above, each keyword in capitals and in random case: the SIMD search's pair lookup and the eight-byte test fold
     * case by each byte's 0x20 bit, and must still let every keyword through wherever it lies in a register.
     */
    @Test
    void everyKeywordInAnyCaseIsFoundAtEveryOffsetOfARegister() {
        Random r = new Random(8);
        for (byte[] k : KEYWORDS) {
            for (int variant = 0; variant < 3; variant++) {
                byte[] w = k.clone();
                for (int i = 0; i < w.length; i++) {
                    boolean upper = variant == 0 || variant == 2 && r.nextBoolean();
                    if (upper && w[i] >= 'a' && w[i] <= 'z') {
                        w[i] -= 32;
                    } else if (!upper && w[i] >= 'A' && w[i] <= 'Z') {
                        w[i] += 32;
                    }
                }
                for (int at = 0; at < 70; at++) {
                    byte[] b = new byte[at + w.length + 80];
                    Arrays.fill(b, (byte) ' ');
                    System.arraycopy(w, 0, b, at, w.length);
                    b[at + w.length + 60] = Decoded.SEPARATOR;
                    int n = at + w.length + 61;
                    String what = new String(w, StandardCharsets.UTF_8) + " at " + at;
                    assertThat(STARTS.exact(b, at)).as(what).isTrue();
                    for (int[] found : fromStarts(b, n)) {
                        assertThat(found).as(what).isEqualTo(everyByte(b, n)).isNotEmpty();
                    }
                }
            }
        }
    }

    /**
     * A start of long keywords only is not run from where its eight bytes begin no keyword (a Java import, for
     * "important instructions"), and is where they do; the hits equal a full pass's both ways.
     */
    @Test
    void aStartOfLongKeywordsOnlyIsRunOnlyWhereOneOfThemBegins() {
        byte[] imports = "import java.util.List;\nimport java.util.Map;\n".getBytes(StandardCharsets.UTF_8);
        byte[] phrase = "Please read the IMPORTANT Instructions below".getBytes(StandardCharsets.UTF_8);
        int at = 0;
        assertThat(STARTS.exact(Arrays.copyOf(imports, imports.length + 16), at)).isFalse();
        assertThat(STARTS.exact(Arrays.copyOf(phrase, phrase.length + 16), 16)).isTrue();
        for (byte[] t : List.of(imports, phrase)) {
            byte[] b = Arrays.copyOf(t, t.length + 16);
            for (int[] found : fromStarts(b, t.length)) {
                assertThat(found).isEqualTo(everyByte(b, t.length));
            }
        }
        assertThat(new LongStarts(KEYWORDS, AUTOMATON.starts()).eligible()).as("starts tested on eight bytes").isGreaterThan(20);
    }

    /**
     * A short keyword inside the first seven bytes of a long one ("cde" in "abcdefghij"): if "abcd" were passed over in
     * "abcdez", the run from "cde" would record its hit in another row than a full pass (whose state is still "abcde"), so
     * such a start is always run.
     */
    @Test
    void aStartWithAKeywordInsideItsFirstSevenBytesIsAlwaysRun() {
        List<byte[]> words = List.of("abcdefghij".getBytes(StandardCharsets.US_ASCII), "cde".getBytes(StandardCharsets.US_ASCII),
                "klmnopqrst".getBytes(StandardCharsets.US_ASCII));
        KeywordAutomaton automaton = KeywordAutomaton.build(words);
        KeywordStarts starts = KeywordStarts.of(automaton);
        assertThat(new LongStarts(words, automaton.starts()).eligible()).as("only klmn").isEqualTo(1);
        byte[] b = Arrays.copyOf("xx abcdezzzz klmnozzzz abcdefghij xx".getBytes(StandardCharsets.US_ASCII), 52);
        int n = 36;
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
                .hasSize(6);
        assertThat(starts.exact(b, 13)).as("klmnozzz begins no keyword").isFalse();
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
