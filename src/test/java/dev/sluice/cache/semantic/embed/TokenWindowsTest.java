package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Content-defined windows: short texts are one window; an edit moves only the boundaries near it. */
class TokenWindowsTest {
    private static final WordPiece TOKENIZER = MiniLmModel.loadTokenizer();
    private static final TokenWindows CUTTER = new TokenWindows(TOKENIZER);
    private static final String[] WORDS = ("the a to of in is it for on with how why where what does do we our this that "
            + "function class method module file test config server client request response cache token session user "
            + "database query index table column migration deploy build pipeline worker queue job retry timeout error").split(" ");

    static List<int[]> windows(String text) {
        int[] ids = new int[1024];
        BitSet lines = new BitSet();
        int n = TOKENIZER.encode(text, ids, 1024, lines);
        List<int[]> out = new ArrayList<>();
        int start = 0;
        for (int end : CUTTER.ends(ids, n, lines)) {
            out.add(Arrays.copyOfRange(ids, start, end));
            start = end;
        }
        return out;
    }

    private static String words(Random r, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    @Test
    void aTextOfUpTo64TokensIsOneWindowWhateverItsSentences() {
        assertThat(windows("Why does the build fail? It worked yesterday. Now it stops at the test step!")).hasSize(1);
        String sixtyFour = "the ".repeat(64).trim();
        assertThat(windows(sixtyFour)).hasSize(1);
        assertThat(windows(sixtyFour + " the".repeat(20)).size()).isGreaterThan(1);
    }

    @Test
    void windowsRespectTheBoundsAndCoverTheText() {
        Random r = new Random(7);
        for (int t = 0; t < 200; t++) {
            String text = words(r, 65 + r.nextInt(190)) + (t % 2 == 0 ? ". " + words(r, 30) + "?\n" + words(r, 20) : "");
            List<int[]> ws = windows(text);
            int total = 0;
            for (int[] w : ws) {
                assertThat(w.length).isBetween(TokenWindows.MIN, TokenWindows.MAX + TokenWindows.TAIL - 1);
                total += w.length;
            }
            int[] ids = new int[1024];
            assertThat(total).isEqualTo(TOKENIZER.encode(text, ids, 1024));
        }
    }

    @Test
    void anInsertionAtTheStartChangesOnlyTheFirstWindows() {
        Random r = new Random(3);
        int keptTotal = 0;
        int total = 0;
        for (int t = 0; t < 100; t++) {
            String text = words(r, 150 + r.nextInt(100));
            List<int[]> before = windows(text);
            List<int[]> after = windows(words(r, 1 + r.nextInt(12)) + " " + text);
            int kept = 0;
            for (int[] w : before) {
                kept += after.stream().anyMatch(a -> Arrays.equals(a, w)) ? 1 : 0;
            }
            // The windows from the first boundary both texts share onwards are identical.
            assertThat(kept).as("windows kept of " + before.size()).isGreaterThanOrEqualTo(before.size() - 2);
            keptTotal += kept;
            total += before.size();
        }
        System.out.printf("insertion at the start: %d of %d windows kept%n", keptTotal, total);
    }

    @Test
    void anEditInTheMiddleChangesOnlyTheWindowsAroundIt() {
        Random r = new Random(5);
        for (int t = 0; t < 100; t++) {
            String head = words(r, 100);
            String tail = words(r, 100);
            List<int[]> before = windows(head + " " + tail);
            List<int[]> after = windows(head + " please " + tail);
            long changed = after.stream().filter(a -> before.stream().noneMatch(b -> Arrays.equals(a, b))).count();
            assertThat(changed).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void windowsEndAtSentenceEndsOrLineBreaksWhenSentencesAreLongEnough() {
        String sentence = "the worker retries the job when the queue times out and the client sees an error";
        String text = sentence + ". " + sentence + "\n" + sentence + "? " + sentence + "! " + sentence + ". " + sentence + ".";
        assertThat(windows(text)).hasSize(6);
        assertThat(windows(text.replace(". ", "\n").replace("? ", "\n").replace("! ", "\n"))).hasSize(6);
    }
}
