package dev.sluice.cache.semantic.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The guard's word splitting and sense roots were rewritten for speed (h-sem13: a miss with a candidate computes the
 * text's code identity, 60 µs and 45 KB of garbage per 200-word turn before; h-sem15: the pieces as ranges in reused
 * buffers, see also {@link CodeIdentityRewriteTest}). They must decide exactly as the
 * regular expression and the candidate set did, and the early stop of a miss's identity must never hide a candidate
 * with the same identity.
 */
class GuardWordsTest {
    private static final String[] SUFFIXES = {"", "s", "es", "ies", "d", "ed", "ing", "er", "ers", "ered", "ering", "y",
        "ier", "ied", "e", "ee"};

    @Test
    void piecesMatchTheRegularExpression() {
        List<String> texts = new ArrayList<>(List.of("", " ", "  \t\n", "a", " a", "a ", " a b  c\t", "a\u000Bb\fc\rd",
                "a\u00A0b\u2003c", "\n\nwhy\n", "x  \r\n  y"));
        Random r = new Random(5);
        char[] alphabet = {' ', '\t', '\n', '\u000B', '\f', '\r', '\u00A0', '\u2028', 'a', 'b', '`', '\'', '.'};
        for (int i = 0; i < 20_000; i++) {
            char[] t = new char[r.nextInt(12)];
            for (int j = 0; j < t.length; j++) {
                t[j] = alphabet[r.nextInt(alphabet.length)];
            }
            texts.add(new String(t));
        }
        for (String t : texts) {
            Pieces p = Pieces.of(t);
            String[] pieces = new String[p.count];
            for (int i = 0; i < p.count; i++) {
                pieces[i] = t.substring(p.starts[i], p.ends[i]);
            }
            assertThat(pieces).as("%s", t.codePoints().boxed().toList()).containsExactly(t.split("\\s+"));
        }
    }

    private static final String[] PIECES = {"how", "why", "do", "I", "the", "a", "cache", "to", "from", "client",
        "server", "not", "isn't", "never", "two", "3", "`retry`", "refresh_session", "auth/session.py", "add", "remove",
        "added", "tests", "first", "last", "unsafe", "invalid", "log", "in", "out", "config", "\"x y\"", "--force",
        "getUserById", "please", "thanks", "async", "sync", "send", "into", "database", "v1.2"};

    private static String text(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : r.nextInt(10) == 0 ? "\n" : " ").append(PIECES[r.nextInt(PIECES.length)]);
        }
        return b.append(r.nextBoolean() ? "?" : "").toString();
    }

    @Test
    void stoppingEarlyNeverHidesACandidateWithTheSameIdentity() {
        Random r = new Random(13);
        int same = 0;
        int stopped = 0;
        for (int i = 0; i < 5_000; i++) {
            String text = text(r, 1 + r.nextInt(i % 3 == 0 ? 60 : 8));
            List<CodeIdentity> candidates = new ArrayList<>();
            for (int c = r.nextInt(5); c > 0; c--) {
                // Near the text (a word changed or dropped) or the text itself reworded, or anything.
                String other = switch (r.nextInt(3)) {
                    case 0 -> text.replaceFirst(Pattern.quote(PIECES[r.nextInt(PIECES.length)]), "");
                    case 1 -> text + " " + PIECES[r.nextInt(4)];
                    default -> text(r, 1 + r.nextInt(8));
                };
                candidates.add(CodeIdentity.of(other));
            }
            if (r.nextInt(4) == 0) {
                candidates.add(CodeIdentity.of(text.replace("?", "")));
            }
            CodeIdentity full = CodeIdentity.of(text);
            boolean anySame = candidates.stream().anyMatch(c -> c.sameAs(full));
            Optional<CodeIdentity> early = CodeIdentity.ofUnlessForeign(text, candidates);
            if (early.isPresent()) {
                assertThat(early.get()).as(text).isEqualTo(full);
            } else {
                assertThat(anySame).as("stopped early on %s although a candidate has its identity", text).isFalse();
                stopped++;
            }
            same += anySame ? 1 : 0;
        }
        assertThat(same).as("texts with an equal candidate").isGreaterThan(500);
        assertThat(stopped).as("texts stopped early").isGreaterThan(1_000);
    }

    @Test
    void rootsAreFoundAsTheCandidateSetFoundThem() {
        List<String> words = new ArrayList<>();
        for (String root : SenseWords.roots()) {
            String stem = root.endsWith("e") || root.endsWith("y") ? root.substring(0, root.length() - 1) : root;
            for (String s : SUFFIXES) {
                words.add(root + s);
                words.add(stem + s);
                words.add(root + root.charAt(root.length() - 1) + s); // stopped, logging
            }
        }
        Random r = new Random(9);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder w = new StringBuilder();
            for (int j = 1 + r.nextInt(9); j > 0; j--) {
                w.append((char) ('a' + r.nextInt(26)));
            }
            words.add(w + SUFFIXES[r.nextInt(SUFFIXES.length)]);
        }
        int inflected = 0;
        for (String w : words) {
            String expected = SenseWords.roots().contains(w) ? w : SenseWords.firstRootInSetOrder(w);
            assertThat(SenseWords.root(w)).as(w).isEqualTo(expected);
            inflected += expected != null && !expected.equals(w) ? 1 : 0;
        }
        assertThat(inflected).as("inflected words tried").isGreaterThan(1_000);
    }
}
