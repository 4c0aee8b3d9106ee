package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The cursor accepts exactly the JSON a conforming parser accepts (Jackson is the reference), only faster. */
class JsonCursorTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "\"\"", "0", "-0", "1.5e-3", "-12E+7", "true", "false", "null",
            "{\"a\":[1,{\"b\":null}],\"c\":\"\\u00e9\\n\\\"\"}", "\"caf\u00e9 \u4e2d\u6587 \ud83d\ude00\"",
            " {\t\"a\" :\r\n 1 } ", "[[[[[]]]]]", "\"\\/\\b\\f\\r\\t\\\\\""})
    void acceptsWhatJsonAccepts(String json) {
        assertAgree(json.getBytes(StandardCharsets.UTF_8));
        assertThat(valid(json.getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "tru", "nul", "truex",
            "[NaN]", "['a']", "{a:1}", "\"a\tb\"", "\"\\x\"", "\"\\u12g4\"", "\"abc", "[1 2]", "{\"a\" 1}", "[+1]",
            "[1}", "{\"a\":1]", "\"\\u00\"", "[1,,2]"})
    void refusesWhatJsonRefuses(String json) {
        assertAgree(json.getBytes(StandardCharsets.UTF_8));
        assertThat(valid(json.getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void refusesInvalidUtf8InStrings() {
        byte[][] bad = {{'"', (byte) 0xC3, '(', '"'}, {'"', (byte) 0xFF, '"'}, {'"', (byte) 0xE2, (byte) 0x82, '"'},
                {'"', (byte) 0xC0, (byte) 0x80, '"'}, {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}};
        for (byte[] b : bad) {
            assertThat(valid(b)).as(java.util.Arrays.toString(b)).isFalse();
        }
    }

    @Test
    void limitsNesting() {
        String deep = "[".repeat(300) + "]".repeat(300);
        JsonCursor c = new JsonCursor(deep.getBytes(StandardCharsets.UTF_8), 0, deep.length(), 256);
        assertThatThrownBy(c::skipValue).isInstanceOf(JsonCursor.JsonError.class).hasMessageContaining("nested deeper");
    }

    @Test
    void decodesStringsWithEscapes() {
        String json = "\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\n\u4e2d\"";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        JsonCursor c = new JsonCursor(b, 0, b.length, 8);
        assertThat(c.skipString()).isTrue();
        assertThat(c.text(0, c.pos(), true)).isEqualTo("a\"b\\c\u00e9\ud83d\ude00\n\u4e2d");
    }

    /** Single-byte mutations of a real Claude Code request: both must agree on every one. */
    @Test
    void agreesWithJacksonOnThousandsOfMutatedRequests() throws IOException {
        byte[] base;
        try (InputStream in = JsonCursorTest.class.getResourceAsStream("/demo/claude-code-request.json")) {
            base = in.readAllBytes();
        }
        assertThat(valid(base)).isTrue();
        byte[] pool = "{}[]\",:\\ -+.0123456789eEtrufalsn\t\n\u0001x/".getBytes(StandardCharsets.UTF_8);
        Random r = new Random(42);
        int disagreements = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] m = base.clone();
            int edits = 1 + r.nextInt(2);
            for (int k = 0; k < edits; k++) {
                m[r.nextInt(m.length)] = pool[r.nextInt(pool.length)];
            }
            if (valid(m) != jackson(m)) {
                disagreements++;
            }
        }
        assertThat(disagreements).isZero();
    }

    private static void assertAgree(byte[] json) {
        assertThat(valid(json)).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(jackson(json));
    }

    private static boolean valid(byte[] b) {
        JsonCursor c = new JsonCursor(b, 0, b.length, 256);
        try {
            c.skipValue();
            return c.peek() == -1;
        } catch (JsonCursor.JsonError e) {
            return false;
        }
    }

    private static boolean jackson(byte[] b) {
        try (JsonParser p = Json.FACTORY.createParser(b)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
