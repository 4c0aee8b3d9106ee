package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.cache.Captures;
import dev.sluice.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SWAR tokenizer against Jackson, the gateway's reference parser, on real and random bodies. */
class JsonTapeTest {

    @Test
    void seesTheSameTokensAsJacksonOnEveryCapture() throws Exception {
        for (String name : List.of("alice-turn1", "alice-turn2", "alice-turn3", "bob-turn3")) {
            byte[] body = Captures.body(name);
            assertThat(tapeTokens(body)).as(name).isEqualTo(jacksonTokens(body));
        }
        byte[] demo = Captures.demoBody();
        assertThat(tapeTokens(demo)).isEqualTo(jacksonTokens(demo));
    }

    @Test
    void seesTheSameTokensAsJacksonOnRandomDocuments() throws Exception {
        Random random = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            byte[] doc = RandomJson.document(random).getBytes(UTF_8);
            assertThat(tapeTokens(doc)).as(new String(doc, UTF_8)).isEqualTo(jacksonTokens(doc));
        }
    }

    /**
     * Quotes, escaped quotes and runs of backslashes at every offset across a SIMD register's boundary (64 bytes at
     * most), inside strings long enough for the register scan, with the document padded so it runs to the end.
     */
    @Test
    void findsStringEndsAtEveryOffsetAroundARegisterBoundary() throws Exception {
        String[] tricky = {"\\\"", "\\\\", "\\\\\\\"", "\\n", "é"};
        for (int at = 0; at < 140; at++) {
            for (String t : tricky) {
                String text = "a".repeat(at) + t + "b".repeat(150 - at);
                String doc = "[\"" + text + "\",\"" + "c".repeat(at) + "\",\"\\\\\",{\"k\":\"" + text + "\"}," + " ".repeat(200) + "0]";
                byte[] body = doc.getBytes(UTF_8);
                assertThat(tapeTokens(body)).as(doc).isEqualTo(jacksonTokens(body));
            }
        }
    }

    @Test
    void rejectsEveryTruncationOfARealBodyWithoutThrowing() {
        byte[] body = Captures.body("alice-turn3");
        JsonTape tape = new JsonTape();
        for (int len = 0; len < body.length - 1; len += 37) {
            assertThat(tape.parse(body, 0, len)).as("prefix of %d bytes", len).isFalse();
            assertThat(tape.error()).isNotBlank();
        }
        assertThat(tape.parse(body, 0, body.length)).isTrue();
    }

    @Test
    void rejectsMalformedInputWithAReason() {
        JsonTape tape = new JsonTape();
        for (String bad : List.of("", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":tru}", "\"abc", "{} x", "[--]", "{\"a\":1,}",
                "[".repeat(300) + "]".repeat(300), "{\"a\":\"x\\", "nul")) {
            assertThat(tape.parse(bad.getBytes(UTF_8), 0, bad.length())).as(bad).isFalse();
            assertThat(tape.error()).as(bad).isNotBlank();
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(11);
        JsonTape tape = new JsonTape();
        for (int n = 0; n < 5_000; n++) {
            byte[] junk = new byte[random.nextInt(64)];
            for (int i = 0; i < junk.length; i++) {
                String alphabet = "{}[]\":,\\ab1-.e /tn";
                junk[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            tape.parse(junk, 0, junk.length); // must return, true or false, never throw
        }
    }

    static List<String> tapeTokens(byte[] body) {
        JsonTape tape = new JsonTape();
        assertThat(tape.parse(body, 0, body.length)).as(tape.error()).isTrue();
        List<String> out = new ArrayList<>();
        walk(tape, 0, out);
        return out;
    }

    private static void walk(JsonTape tape, int i, List<String> out) {
        byte[] src = tape.source();
        switch (tape.kind(i)) {
            case JsonTape.OBJECT -> {
                out.add("{");
                int end = tape.next(i);
                for (int name = i + 1; name < end; name = tape.next(name + 1)) {
                    out.add("name:" + unescape(src, tape.start(name), tape.end(name)));
                    walk(tape, name + 1, out);
                }
                out.add("}");
            }
            case JsonTape.ARRAY -> {
                out.add("[");
                int end = tape.next(i);
                for (int e = i + 1; e < end; e = tape.next(e)) {
                    walk(tape, e, out);
                }
                out.add("]");
            }
            case JsonTape.STRING -> out.add("s:" + unescape(src, tape.start(i), tape.end(i)));
            case JsonTape.NUMBER -> out.add("n:" + new java.math.BigDecimal(new String(src, tape.start(i), tape.end(i) - tape.start(i), UTF_8)));
            case JsonTape.TRUE -> out.add("true");
            case JsonTape.FALSE -> out.add("false");
            default -> out.add("null");
        }
    }

    private static String unescape(byte[] src, int s, int e) {
        try (JsonParser p = Json.FACTORY.createParser("\"" + new String(src, s, e - s, UTF_8) + "\"")) {
            p.nextToken();
            return p.getText();
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    static List<String> jacksonTokens(byte[] body) throws Exception {
        List<String> out = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                out.add(switch (t) {
                    case START_OBJECT -> "{";
                    case END_OBJECT -> "}";
                    case START_ARRAY -> "[";
                    case END_ARRAY -> "]";
                    case FIELD_NAME -> "name:" + p.currentName();
                    case VALUE_STRING -> "s:" + p.getText();
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "n:" + p.getDecimalValue();
                    case VALUE_TRUE -> "true";
                    case VALUE_FALSE -> "false";
                    default -> "null";
                });
            }
        }
        return out;
    }
}
