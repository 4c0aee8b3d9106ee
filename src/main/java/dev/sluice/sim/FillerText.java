package dev.sluice.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Generated prose whose every word is exactly one {@link Tokenizer} token: three-letter words, each but the
 * first carrying its leading space (four bytes). The words cycle deterministically.
 */
final class FillerText {

    private static final String[] WORDS = {
        "the", "sim", "ran", "one", "big", "red", "fox", "and", "cat", "all", "day", "for", "you", "now",
        "via", "new", "old", "way", "top", "low", "key", "map", "set", "get", "put", "end", "row", "log",
    };

    private FillerText() {
    }

    /**
     * {@code count} one-token words.
     *
     * @param continuing true when the words follow other text, so the first one needs a leading space
     * @param offset     where to start in the word cycle, to vary thinking and answer text
     */
    static List<String> words(int count, boolean continuing, int offset) {
        List<String> pieces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String word = WORDS[(i + offset) % WORDS.length];
            if (i == 0 && !continuing) {
                pieces.add(Character.toUpperCase(word.charAt(0)) + word.substring(1));
            } else {
                pieces.add(" " + word);
            }
        }
        return pieces;
    }
}
