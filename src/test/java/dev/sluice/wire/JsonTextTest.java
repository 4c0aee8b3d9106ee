package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ledger and audit lines: every string comes back from a JSON parser exactly as it went in. */
class JsonTextTest {
    @Test
    void plainAndEscapedValuesRoundTripThroughAParser() throws Exception {
        String[] values = {"", "claude-sonnet-4-5", "a\"b", "back\\slash", "line\nbreak\r\ttab", "\u0000\u001f\u007f",
                "\u2028sep\u2029", "ünïcødé 日本 😀", "\"", "end\\", "\n"};
        for (String v : values) {
            byte[] line = new JsonText(64).field("v", v).field("n", 42L).closedBytes();
            JsonNode parsed = Json.MAPPER.readTree(line);
            assertThat(parsed.get("v").asText()).as("value %s", v).isEqualTo(v);
            assertThat(parsed.get("n").asLong()).isEqualTo(42);
            // JavaScript line separators are escaped, so a line can be embedded in a script or log viewer safely.
            assertThat(new String(line, StandardCharsets.UTF_8)).doesNotContain("\u2028", "\u2029", "\n");
        }
    }

    /**
     * The bytes are those of the text form encoded with {@code String.getBytes(UTF_8)} (what this class wrote before
     * it wrote bytes itself), for every kind of character: ASCII, escapes, two-, three- and four-byte UTF-8, line
     * separators, lone surrogates; and for numbers, booleans, raw values, nested objects and long values that grow
     * the buffer.
     */
    @Test
    void bytesAreTheUtf8OfTheTextForm() {
        char[] alphabet = {'a', 'Z', '0', ' ', '"', '\\', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u00e9', '\u07ff',
                '\u0800', '\u2028', '\u2029', '\u65e5', '\uffff', '\ud83d', '\ude00'};
        Random random = new Random(6);
        for (int round = 0; round < 2_000; round++) {
            StringBuilder value = new StringBuilder();
            int n = random.nextInt(round % 50 == 0 ? 3_000 : 40);
            for (int i = 0; i < n; i++) {
                value.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String v = value.toString();
            long number = random.nextLong() >> random.nextInt(64);
            JsonText text = new JsonText(8).field("v", v).field("n", number).field("b", round % 2 == 0)
                    .raw("usd", "0.0125").object("tags").field(v, "x").end().nonZero("z", 0).field("round", round);
            String expected = "{\"v\":" + quoted(v) + ",\"n\":" + number + ",\"b\":" + (round % 2 == 0)
                    + ",\"usd\":0.0125,\"tags\":{" + quoted(v) + ":\"x\"},\"round\":" + round;
            assertThat(text.bytes()).as("round %d", round).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
            assertThat(text.closedBytes()).isEqualTo((expected + "}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(new JsonText(1).field("min", Long.MIN_VALUE).field("max", Long.MAX_VALUE).closedBytes())
                .isEqualTo(("{\"min\":" + Long.MIN_VALUE + ",\"max\":" + Long.MAX_VALUE + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The reference: JSON string escaping done character by character on text. */
    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
