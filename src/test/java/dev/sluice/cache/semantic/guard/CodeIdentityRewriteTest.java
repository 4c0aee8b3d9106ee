package dev.sluice.cache.semantic.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.LabelledPairs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * h-sem15 rewrote how a question's code identity is computed (each piece's analysis remembered by its characters in a
 * shared table, the pieces kept as ranges in a thread's buffers, no copy of a text without quotes). The identity must
 * be exactly what the code before computed ({@link CodeIdentityReference}): on every labelled text, and on random
 * texts of code, prose, sense words, quotes, odd whitespace and other scripts, each computed twice (the second time
 * from the remembered words), with pieces longer than are remembered and texts with more pieces than a thread keeps.
 */
class CodeIdentityRewriteTest {
    private static final String[] PIECES = {"how", "How", "HOW", "why", "come", "do", "I", "the", "a", "cache", "Cache,",
        "to", "from", "into", "onto", "client", "server.", "not", "isn't", "isn’t", "never", "two", "Two", "3", "first",
        "`retry`", "refresh_session", "auth/session.py", "add", "remove", "added", "tests", "last", "unsafe", "invalid",
        "log", "sign", "in", "out", "Log", "config", "\"x y\"", "“curly quoted”", "'single'", "user's", "user’s",
        "--force", "getUserById", "please", "thanks", "async", "sync", "send", "into", "database", "v1.2", "(see", "it)",
        "...", "?", "!", "—", "naïve", "日本語", "ΣΊΣΥΦΟΣ", "\u212Aelvin", "\u0130", "x".repeat(40),
        "a_very_long_identifier_name_beyond_the_memo", "stopped", "logging", "copied", "encoded", "writer", "parser",
        "Don't", "NOTHING", "my", "our", "this", "that", "its", "their", "'", "\"", "`", "*bold*", "[link]", "{x}", "<T>"};
    private static final String[] SPACES = {" ", " ", " ", "  ", "\n", "\t", "\r\n", "\u000B", "\f", "\u00A0", ""};

    @Test
    void sameIdentityAsBeforeOnEveryLabelledText() {
        int checked = 0;
        for (LabelledPairs.Pair p : LabelledPairs.load().pairs()) {
            for (String text : new String[] {p.a(), p.b(), p.contextA(), p.contextB(), p.a().toUpperCase(Locale.ROOT)}) {
                compare(text);
                compare(text);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1_500);
    }

    @Test
    void sameIdentityAsBeforeOnRandomTexts() {
        Random r = new Random(15);
        List<String> texts = new ArrayList<>(List.of("", " ", "  ", "\n", "a", " a", "a ", "`x`", "`x` `y`", "log in",
                "sign\nout", "how come", "send to the a an server", "from", "x".repeat(2_000), "a ".repeat(3_000),
                "why ".repeat(1_500) + "not"));
        for (int i = 0; i < 30_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int w = 1 + r.nextInt(i % 20 == 0 ? 400 : 15); w > 0; w--) {
                b.append(SPACES[r.nextInt(SPACES.length)]).append(PIECES[r.nextInt(PIECES.length)]);
                if (r.nextInt(10) == 0) {
                    b.appendCodePoint(0x20 + r.nextInt(r.nextInt(4) == 0 ? 0x2100 : 0x60));
                }
            }
            texts.add(b.toString());
        }
        int withNames = 0;
        int withSenses = 0;
        for (String t : texts) {
            CodeIdentity c = compare(t);
            withNames += c.names().stream().anyMatch(n -> n.startsWith("c:") || n.startsWith("q:")) ? 1 : 0;
            withSenses += c.names().stream().anyMatch(n -> n.startsWith("s:") || n.startsWith("d:")) ? 1 : 0;
        }
        for (int i = texts.size() - 1; i >= 0; i--) {
            compare(texts.get(i)); // again, now mostly from remembered words
        }
        assertThat(withNames).isGreaterThan(10_000);
        assertThat(withSenses).isGreaterThan(10_000);
    }

    private static CodeIdentity compare(String text) {
        CodeIdentity expected = CodeIdentityReference.of(text);
        CodeIdentity actual = CodeIdentity.of(text);
        assertThat(actual).as("%s", text.length() > 200 ? text.substring(0, 200) : text).isEqualTo(expected);
        return actual;
    }
}
