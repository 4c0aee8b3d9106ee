package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelGlobTest {
    @ParameterizedTest(name = "''{0}'' vs ''{1}'' -> {2}")
    @CsvSource(delimiterString = " | ", textBlock = """
            *                   | claude-sonnet-4-5-20250929 | true
            *                   | ''                         | true
            claude-*-haiku*     | claude-3-5-haiku-20241022  | true
            claude-*-haiku*     | claude-haiku-4-5           | false
            claude-haiku-*      | claude-haiku-4-5-20251001  | true
            claude-haiku-*      | claude-haiku-              | true
            claude-haiku-*      | claude-haiku               | false
            claude-opus-5-5     | claude-opus-5-5            | true
            claude-opus-5-5     | claude-opus-5-5-x          | false
            claude-opus-5-5     | xclaude-opus-5-5           | false
            claude-opus-5-5     | Claude-Opus-5-5            | false
            *sonnet*            | claude-sonnet-4-6          | true
            *sonnet*            | sonnet                     | true
            a**b                | ab                         | true
            claude.3            | claude.3                   | true
            claude.3            | claudeX3                   | false
            gpt-4o+mini         | gpt-4o+mini                | true
            gpt-4o+mini         | gpt-4oomini                | false
            (x)[y]{2}?^$#\\     | (x)[y]{2}?^$#\\            | true
            (x)[y]{2}?^$#\\     | xyy                        | false
            a|b                 | a                          | false
            a\\Eb*              | a\\Ebc                     | true
            us.anthropic.*:0    | us.anthropic.claude-x-v1:0 | true
            claude-sonnet-4-5@* | claude-sonnet-4-5@20250929 | true
            """)
    void starMatchesAnyRunAndEverythingElseIsLiteral(String glob, String model, boolean matches) {
        assertThat(new ModelGlob(glob).matches(model)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({"*", "claude-*", "x"})
    void nullMatchesNothing(String glob) {
        assertThat(new ModelGlob(glob).matches(null)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aStarTakesLineSeparatorsToo() {
        // The request's model name is checked for control characters, but U+0085 and U+2028 are not ones; before,
        // '*' stopped at them and such a name matched no catch-all route (a 404 "no route" instead of the upstream's answer).
        assertThat(new ModelGlob("*").matches("claude\u2028x")).isTrue();
        assertThat(new ModelGlob("claude-*").matches("claude-\u0085haiku")).isTrue();
        assertThat(new ModelGlob("claude-*-x").matches("claude-\u2028-y")).isFalse();
    }
}
