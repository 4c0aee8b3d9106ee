package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.sluice.cache.semantic.LabelledPairs;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Our WordPiece against the Hugging Face tokenizer (Rust, through DJL) on the same tokenizer.json. */
class WordPieceTest {
    @Test
    void matchesTheReferenceTokenizerOnEveryLabelledQuestion() throws Exception {
        Path tmp = Files.createTempDirectory("sluice-wp");
        System.setProperty("DJL_CACHE_DIR", tmp.resolve("djl").toString());
        Path json = tmp.resolve("tokenizer.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(MiniLmModel.TOKENIZER_RESOURCE)) {
            Files.copy(in, json);
        }
        WordPiece ours = MiniLmModel.loadTokenizer();
        try (HuggingFaceTokenizer reference = HuggingFaceTokenizer.builder().optTokenizerPath(json)
                .optAddSpecialTokens(false).optPadding(false).optTruncation(false).build()) {
            int[] buf = new int[2048];
            int checked = 0;
            for (LabelledPairs.Pair p : LabelledPairs.load().pairs()) {
                for (String text : new String[] {p.a(), p.b(), p.contextA()}) {
                    long[] expected = reference.encode(text).getIds();
                    int n = ours.encode(text, buf, buf.length);
                    assertThat(Arrays.stream(buf, 0, n).asLongStream().toArray()).as(text).containsExactly(expected);
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(1000);
        }
    }

    @Test
    void overTheCapIsRefusedNotTruncated() {
        WordPiece wp = MiniLmModel.loadTokenizer();
        assertThat(wp.encode("one two three", new int[8], 2)).isEqualTo(-1);
        assertThat(wp.encode("one two", new int[8], 2)).isEqualTo(2);
        assertThat(wp.encode("x".repeat(500), new int[8], 8)).isEqualTo(1); // an over-long word is one [UNK]
        String noise = new Random(1).ints(300, 0x20, 0x3000).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
        assertThat(wp.encode(noise, new int[4096], 4096)).isPositive();
    }
}
