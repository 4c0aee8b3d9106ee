package dev.sluice.guard.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link WordSet#in} answers as {@code String.contains} over every word would, on every sub-range. */
class WordSetTest {
    private static final List<String> WORDS = List.of("hash", "path", "url", "uri", "expir", "ttl", "type", "tokenizer", "hf",
            "aes", "api", "app", "a");

    @Test
    void agreesWithContainsOnRandomNames() {
        WordSet set = new WordSet(WORDS);
        Random random = new Random(12);
        // Letters of the words and a few others, so words occur whole, in part, overlapping and at either end.
        byte[] alphabet = "hasputrliexyponkzfAHé_-.0".getBytes(StandardCharsets.ISO_8859_1);
        int found = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] name = new byte[random.nextInt(24)];
            for (int i = 0; i < name.length; i++) {
                name[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int from = name.length == 0 ? 0 : random.nextInt(name.length + 1);
            int to = from + random.nextInt(name.length - from + 1);
            String s = new String(name, from, to - from, StandardCharsets.ISO_8859_1);
            boolean expected = WORDS.stream().anyMatch(s::contains);
            assertThat(set.in(name, from, to)).as("'%s' in [%d, %d) of '%s'", s, from, to,
                    new String(name, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        assertThat(found).as("the random names hold words often enough to test both answers").isBetween(2_000, 18_000);
    }

    @Test
    void aWordCutByTheRangeIsNotIn() {
        WordSet set = new WordSet(List.of("hash"));
        byte[] b = "xhashx".getBytes(StandardCharsets.US_ASCII);
        assertThat(set.in(b, 0, 6)).isTrue();
        assertThat(set.in(b, 1, 5)).isTrue();
        assertThat(set.in(b, 0, 4)).isFalse();
        assertThat(set.in(b, 2, 6)).isFalse();
        assertThatThrownBy(() -> new WordSet(List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }
}
