package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decoding the newest user text from the keyer's byte ranges: escapes, several blocks, the size bound. */
class NewestTextTest {
    private static int[] range(String body, String raw) {
        int start = body.indexOf(raw);
        return new int[] {start, start + raw.getBytes(StandardCharsets.UTF_8).length};
    }

    @Test
    void decodesEscapesAndJoinsBlocks() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Why does \\\"refresh_session\\\"\\nfail?\"},"
                + "{\"type\":\"text\",\"text\":\"caf\\u00e9 \\u2713\"}]}]}";
        int[] a = range(body, "Why does \\\"refresh_session\\\"\\nfail?");
        int[] b = range(body, "caf\\u00e9 \\u2713");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        assertThat(NewestText.of(bytes, new int[] {a[0], a[1], b[0], b[1]}, 1000))
                .isEqualTo("Why does \"refresh_session\"\nfail?\ncafé ✓");
        assertThat(NewestText.of(bytes, new int[] {a[0], a[1]}, 10)).as("over the bound: not decoded").isNull();
        assertThat(NewestText.of(bytes, new int[0], 1000)).isNull();
        assertThat(NewestText.of(bytes, new int[] {0, 5}, 1000)).as("not a string's content").isNull();
    }
}
