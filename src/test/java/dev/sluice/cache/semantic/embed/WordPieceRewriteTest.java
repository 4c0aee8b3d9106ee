package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.LabelledPairs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer was rewritten to allocate nothing per word (h-sem15: a vocabulary looked up by character ranges in a
 * reused buffer, ASCII lowered as it is copied). It must give exactly the ids, counts, refusals and line ends it gave before
 * ({@link WordPieceReference}), on the labelled set and on random texts mixing cases, accents, other scripts, the
 * characters whose lower case is special (the Kelvin sign, a dotted capital I), punctuation, long words and line breaks.
 */
class WordPieceRewriteTest {
    private static final WordPiece TOKENIZER = MiniLmModel.loadTokenizer();
    private static final WordPieceReference BEFORE = new WordPieceReference(TOKENIZER);
    private static final String[] PIECES = {"How", "do", "I", "RETRY", "the", "Cache", "refresh_session", "getUserById",
        "auth/session.py", "v1.2.3", "naïve", "Café", "ÉCOLE", "straße", "\u212Aelvin", "\u0130stanbul", "日本語", "данные",
        "can't", "don’t", "“quoted”", "`code`", "--dry-run", "x".repeat(101), "unbelievably", "tokenization", "résumé",
        "\u00A0", "\t", "\n", "\r\n", "?", "!!", "(a)", "[b]", "{c}", "#tag", "@user", "$HOME", "50%", "a+b", "σίγμα",
        "ΣΊΣΥΦΟΣ", "😀", "\u0000", "\u200B", "ﬁle", "Ⅻ", "ǅ", "İİ", "ß", "ΐ"};

    @Test
    void sameIdsAsBeforeOnEveryLabelledText() {
        assertThat(BEFORE.size()).as("pieces").isGreaterThan(30_000);
        int checked = 0;
        for (LabelledPairs.Pair p : LabelledPairs.load().pairs()) {
            for (String text : new String[] {p.a(), p.b(), p.contextA(), p.contextB(), p.a().toUpperCase(java.util.Locale.ROOT)}) {
                compare(text, 2048);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1_500);
    }

    @Test
    void sameIdsAsBeforeOnRandomTexts() {
        Random r = new Random(15);
        List<String> texts = new ArrayList<>(Arrays.asList(PIECES));
        texts.add("Word ".repeat(4_000)); // longer than the thread's kept buffer
        texts.add("word");
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 1 + r.nextInt(i % 10 == 0 ? 300 : 12); w > 0; w--) {
                b.append(r.nextInt(6) == 0 ? "" : " ").append(PIECES[r.nextInt(PIECES.length)]);
                if (r.nextInt(8) == 0) {
                    b.appendCodePoint(r.nextInt(4) == 0 ? 0x20 + r.nextInt(0x3000) : 0x20 + r.nextInt(0x60));
                }
            }
            texts.add(b.toString());
        }
        int refused = 0;
        for (String t : texts) {
            refused += compare(t, 64) < 0 ? 1 : 0;
            compare(t, 4096);
        }
        assertThat(refused).as("texts over a 64-token cap").isGreaterThan(1_000);
    }

    @Test
    void idOfAPieceIsTheVocabularyId() {
        for (int id = 0; id < TOKENIZER.vocabSize(); id++) {
            String piece = TOKENIZER.piece(id);
            if (piece != null) {
                assertThat(TOKENIZER.id(piece)).as(piece).isEqualTo(id);
            }
        }
        assertThat(TOKENIZER.id("Cache")).as("ids are of lower-case pieces").isEqualTo(-1);
        assertThat(TOKENIZER.id("no-such-piece-at-all")).isEqualTo(-1);
    }

    private static int compare(String text, int cap) {
        int[] expected = new int[cap];
        int[] actual = new int[cap];
        BitSet expectedLines = new BitSet();
        BitSet actualLines = new BitSet();
        int n = BEFORE.encode(text, expected, cap, expectedLines);
        int m = TOKENIZER.encode(text, actual, cap, actualLines);
        String what = text.codePoints().limit(80).boxed().toList().toString();
        assertThat(m).as("count of %s", what).isEqualTo(n);
        if (n >= 0) {
            assertThat(Arrays.copyOf(actual, m)).as("ids of %s", what).containsExactly(Arrays.copyOf(expected, n));
            assertThat(actualLines).as("line ends of %s", what).isEqualTo(expectedLines);
        }
        return n;
    }
}
