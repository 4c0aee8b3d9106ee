package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A lookup tokenises and embeds into its thread's buffers (h-sem15). Text after text, in the same buffers, it must see
 * exactly the tokens, line ends and bit-identical vectors that fresh arrays gave, and an owned copy must equal them
 * (no ids left over from a longer text before it).
 */
class TokensScratchTest {
    private static final WordPiece TOKENIZER = MiniLmModel.loadTokenizer();
    private static final String[] WORDS = {"how", "Why", "does", "the", "cache", "retry", "refresh_session", "?", "\n",
        "tokenization", "naïve", "x".repeat(120), "!", "please", "the", "the", "the", ""};

    @Test
    void scratchTokensAndVectorsEqualFreshOnes() {
        Random r = new Random(3);
        float[] rows = new float[TOKENIZER.vocabSize() * 8];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) r.nextGaussian();
        }
        StaticEmbedder embedder = new StaticEmbedder(TOKENIZER, new StaticTable(TOKENIZER.vocabSize(), 8, rows),
                TokenWeights.zipf(TOKENIZER, 100f, Set.of()), 64);
        float[] out = new float[8];
        int refused = 0;
        int empty = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = r.nextInt(i % 7 == 0 ? 90 : 20); w > 0; w--) {
                b.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
            }
            String text = b.toString();
            Tokens fresh = Tokens.of(TOKENIZER, text, 64);
            Tokens scratch = Tokens.scratch(TOKENIZER, text, 64);
            if (fresh == null) {
                assertThat(scratch).as(text).isNull();
                refused++;
                continue;
            }
            assertThat(scratch.count()).as(text).isEqualTo(fresh.count());
            assertThat(Arrays.copyOf(scratch.ids(), scratch.count())).as(text).containsExactly(Arrays.copyOf(fresh.ids(), fresh.count()));
            assertThat(scratch.lineEnds()).as(text).isEqualTo(fresh.lineEnds());
            Tokens owned = scratch.owned();
            assertThat(owned.ids()).as(text).containsExactly(fresh.ids());
            assertThat(owned.count()).isEqualTo(fresh.count());
            assertThat(owned.lineEnds()).isEqualTo(fresh.lineEnds());
            Optional<float[]> vector = embedder.embed(fresh);
            assertThat(embedder.embedInto(scratch, out)).as(text).isEqualTo(vector.isPresent());
            if (vector.isPresent()) {
                assertThat(out).as(text).containsExactly(vector.get());
            } else {
                empty++;
            }
        }
        assertThat(refused).as("texts over the cap").isGreaterThan(100);
        assertThat(empty).as("texts without a weighted token").isGreaterThan(10);
    }
}
