package dev.sluice.guard.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.guard.MalformedBodyException;
import dev.sluice.guard.ScanLimitException;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonStrings#read} copies a register (SIMD, where the vector API is present, as in the build's tests) or
 * eight bytes at a time and decodes escapes between: on random strings with escapes at every offset relative to
 * those blocks, it decodes exactly what a JSON parser does, ends at the closing quote, and records each escape
 * where it sits.
 */
class JsonStringsTest {
    private static final String[] PIECES = {"a", "b", "Z", "0", " ", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u0041", "\\u00e9",
        "\\ud83d\\ude00", "\u00e9", "\u2192", "ghp_"};

    @Test
    void decodesLikeAJsonParserAtEveryOffset() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 4000; round++) {
            StringBuilder raw = new StringBuilder();
            int pieces = random.nextInt(round % 4 == 0 ? 200 : 40);
            for (int i = 0; i < pieces; i++) {
                // Mostly plain runs of random length, so escapes fall at every offset of a register.
                raw.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)] : "x".repeat(random.nextInt(40)));
            }
            String prefix = "{\"k\":\"";
            byte[] body = (prefix + raw + "\",\"after\":\"\\\"quoted\\\"\"}").getBytes(StandardCharsets.UTF_8);
            Decoded d = new Decoded();
            d.reset(body.length);
            IntArray escapes = new IntArray(16);
            int start = prefix.getBytes(StandardCharsets.UTF_8).length;
            d.begin(0);
            int close = JsonStrings.read(body, start, body.length, d, escapes);
            d.end(0);
            byte[] expected = Json.MAPPER.readTree(body).path("k").asText().getBytes(StandardCharsets.UTF_8);
            assertThat(close).as(raw.toString()).isEqualTo(start + raw.toString().getBytes(StandardCharsets.UTF_8).length);
            assertThat(Arrays.copyOfRange(d.bytes, d.start[0], d.start[0] + d.size[0])).as(raw.toString()).isEqualTo(expected);
            for (int e = 0; e < escapes.size(); e++) {
                int at = escapes.get(e);
                assertThat(body[at]).isEqualTo((byte) '\\');
                // Where the escape's output sits in the decoded string, and its raw and decoded lengths: what maps a
                // finding back to the body's bytes.
                int decodedBefore = decode(body, start, at).length;
                int rawLength = d.escRawLength[e];
                assertThat(d.escDecoded[e]).as("escape %d of %s", e, raw).isEqualTo(decodedBefore);
                assertThat(d.escLength[e]).as("escape %d of %s", e, raw).isEqualTo(decode(body, start, at + rawLength).length - decodedBefore);
                assertThat(rawLength).as("escape %d of %s", e, raw).isIn(2, 6, 12);
            }
            assertThat(escapes.size()).as(raw.toString()).isEqualTo(escapeCount(body, start, close));
        }
    }

    @Test
    void anInvalidEscapeIsRefusedAtEveryOffsetOfARegister() {
        for (String bad : new String[] {"q", "N", "\u00e9", "x\\", "u12"}) {
            for (int pad = 0; pad < 140; pad++) {
                byte[] body = ("{\"k\":\"" + "x".repeat(pad) + "\\n\\\"" + "\\" + bad + "y".repeat(70) + "\"}").getBytes(StandardCharsets.UTF_8);
                Decoded d = new Decoded();
                d.reset(body.length);
                d.begin(0);
                assertThatThrownBy(() -> JsonStrings.read(body, 6, body.length, d, new IntArray(16)))
                        .as("\\%s after %d bytes", bad, pad).isInstanceOf(MalformedBodyException.class);
            }
        }
    }

    /**
     * The escape bound holds however the escapes are decoded: one-letter escapes one after another (decoded by the SIMD
     * copy where the vector module is there), with a tail free of escapes so that the byte-at-a-time path never sees one.
     */
    @Test
    void tooManyEscapesAreRefusedWhateverPathDecodesThem() {
        for (String escape : new String[] {"\\n", "\\u00e9", "ab\\t"}) {
            int count = JsonStrings.MAX_ESCAPES + 1;
            byte[] body = ("{\"k\":\"" + escape.repeat(count) + "y".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8);
            Decoded d = new Decoded();
            d.reset(body.length);
            d.begin(0);
            assertThatThrownBy(() -> JsonStrings.read(body, 6, body.length, d, new IntArray(16)))
                    .as(escape).isInstanceOf(ScanLimitException.class).hasMessageContaining("escapes");
            byte[] fits = ("{\"k\":\"" + escape.repeat(count - 1) + "y".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8);
            IntArray escapes = new IntArray(16);
            d.reset(fits.length);
            d.begin(0);
            assertThat(JsonStrings.read(fits, 6, fits.length, d, escapes)).isEqualTo(fits.length - 2);
            assertThat(escapes.size()).as(escape).isEqualTo(JsonStrings.MAX_ESCAPES);
        }
    }

    /** What a JSON parser makes of the string content {@code b[from, to)}, as UTF-8. */
    private static byte[] decode(byte[] b, int from, int to) throws Exception {
        byte[] quoted = new byte[to - from + 2];
        quoted[0] = '"';
        System.arraycopy(b, from, quoted, 1, to - from);
        quoted[quoted.length - 1] = '"';
        return Json.MAPPER.readTree(quoted).asText().getBytes(StandardCharsets.UTF_8);
    }

    /** Escapes in {@code b[from, to)}; a surrogate pair written as two escapes is one. */
    private static int escapeCount(byte[] b, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                boolean pair = b[i + 1] == 'u' && (b[i + 2] == 'd' || b[i + 2] == 'D') && "89abAB".indexOf(b[i + 3]) >= 0;
                n++;
                i += pair ? 11 : b[i + 1] == 'u' ? 5 : 1;
            }
        }
        return n;
    }
}
