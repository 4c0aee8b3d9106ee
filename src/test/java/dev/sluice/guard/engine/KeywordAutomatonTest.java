package dev.sluice.guard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KeywordAutomatonTest {

    private static List<byte[]> words(String... w) {
        return java.util.Arrays.stream(w).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Every (keyword, end offset) the automaton reports for {@code text}. */
    private static TreeSet<String> run(KeywordAutomaton a, byte[] text) {
        TreeSet<String> found = new TreeSet<>();
        int s = 0;
        for (int i = 0; i < text.length; i++) {
            s = a.step(s, text[i]);
            for (int k : a.matches(s)) {
                found.add(k + "@" + (i + 1));
            }
        }
        return found;
    }

    /** The same by brute force, case-insensitive on ASCII letters. */
    private static TreeSet<String> naive(List<byte[]> words, byte[] text) {
        TreeSet<String> found = new TreeSet<>();
        for (int k = 0; k < words.size(); k++) {
            byte[] w = words.get(k);
            for (int i = 0; i + w.length <= text.length; i++) {
                boolean eq = true;
                for (int j = 0; j < w.length && eq; j++) {
                    eq = KeywordAutomaton.fold(text[i + j] & 0xff) == KeywordAutomaton.fold(w[j] & 0xff);
                }
                if (eq) {
                    found.add(k + "@" + (i + w.length));
                }
            }
        }
        return found;
    }

    @Test
    void findsOverlappingAndNestedKeywordsCaseInsensitively() {
        List<byte[]> w = words("he", "she", "his", "hers", "secret", "ecre");
        KeywordAutomaton a = KeywordAutomaton.build(w);
        byte[] text = "uSHErs and his SECRETS".getBytes(StandardCharsets.UTF_8);
        assertThat(run(a, text)).isEqualTo(naive(w, text)).contains("1@4", "0@4", "3@6", "4@21", "5@20");
    }

    @Test
    void agreesWithBruteForceOnRandomInput() {
        Random r = new Random(11);
        for (int round = 0; round < 50; round++) {
            List<byte[]> w = new ArrayList<>();
            for (int k = 0; k < 1 + r.nextInt(30); k++) {
                byte[] word = new byte[2 + r.nextInt(5)];
                for (int j = 0; j < word.length; j++) {
                    word[j] = (byte) "abAB_\u00e9-".charAt(r.nextInt(7));
                }
                w.add(word);
            }
            byte[] text = new byte[2000];
            for (int i = 0; i < text.length; i++) {
                text[i] = (byte) "abAB_\u00e9- x".charAt(r.nextInt(9));
            }
            KeywordAutomaton a = KeywordAutomaton.build(w);
            assertThat(run(a, text)).as("round %d", round).isEqualTo(naive(w, text));
        }
    }

    @Test
    void matchingStatesAreNumberedLastSoTheHotLoopAsksOneQuestion() {
        KeywordAutomaton a = KeywordAutomaton.build(words("abc", "bc", "x\u0000y"));
        for (int s = 0; s < a.stateCount(); s++) {
            int row = s * a.width();
            assertThat(a.matches(row).length > 0).isEqualTo(row >= a.firstMatch());
        }
        assertThat(a.matches(0)).isEmpty();
    }

    @Test
    void rejectsEmptyKeywords() {
        assertThatThrownBy(() -> KeywordAutomaton.build(List.of(new byte[0]))).hasMessageContaining("empty");
    }
}
