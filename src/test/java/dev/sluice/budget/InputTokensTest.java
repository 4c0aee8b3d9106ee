package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The input count the budget stage reserves on: a bound that never undercounts the body, and a learned estimate. */
class InputTokensTest {
    private static final String MODEL = "claude-sonnet-4-6";

    @Test
    void theBoundCoversEveryByteTheFramingAndMedia() {
        InputTokens in = new InputTokens();
        byte[] text = "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
        assertThat(in.count(MODEL, text, text.length).bound()).isEqualTo(text.length + InputTokens.OVERHEAD);
        byte[] media = ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\","
                + "\"media_type\":\"image/png\",\"data\":\"iVBOR\"}},{\"type\": \"image\",\"source\":{}},"
                + "{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"https://x/y.pdf\"}},{\"type\":\"text\",\"text\":\"an image\"}]}]}")
                .getBytes(StandardCharsets.UTF_8);
        InputTokens.Count c = in.count(MODEL, media, media.length);
        assertThat(c.bound()).isEqualTo(media.length + InputTokens.OVERHEAD + 2 * InputTokens.PER_IMAGE + InputTokens.DOCUMENTS);
        assertThat(c.estimate()).isLessThanOrEqualTo(c.bound()).isGreaterThanOrEqualTo(2 * InputTokens.PER_IMAGE);
    }

    /** For a body without media, counting it as text alone (what an uncharged caller gets) gives the same numbers. */
    @Test
    void theTextOnlyCountOfABodyWithoutMediaIsItsCount() throws IOException {
        byte[] body;
        try (InputStream s = InputTokensTest.class.getResourceAsStream("/demo/claude-code-request.json")) {
            body = s.readAllBytes();
        }
        InputTokens in = new InputTokens();
        assertThat(in.textOnly(MODEL, body.length)).isEqualTo(in.count(MODEL, body, body.length));
        in.observe(MODEL, body.length, body.length / 4);
        assertThat(in.textOnly(MODEL, body.length)).isEqualTo(in.count(MODEL, body, body.length));
    }

    @Test
    void onClaudeCodesOwnRequestTheBoundIsAboveWhatTheUpstreamBillsAndTheEstimateLearnsIt() throws IOException {
        byte[] body;
        try (InputStream s = InputTokensTest.class.getResourceAsStream("/demo/claude-code-request.json")) {
            body = s.readAllBytes();
        }
        InputTokens in = new InputTokens();
        // What the simulator bills for this body: its texts at four bytes a token (real tokenizers average about that).
        long billed = Tokenizer.ofBytes(body.length);
        InputTokens.Count first = in.count(MODEL, body, body.length);
        assertThat(first.bound()).isGreaterThan(billed * 3);
        for (int i = 0; i < 200; i++) {
            in.observe(MODEL, body.length, billed);
        }
        InputTokens.Count learned = in.count(MODEL, body, body.length);
        assertThat((double) learned.estimate()).isCloseTo(billed, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(in.count("another-model", body, body.length).estimate()).isEqualTo(first.estimate());
    }

    @Test
    void theVectorScanFindsWhatAPlainSearchFinds() {
        Random random = new Random(7);
        String[] pieces = {"\"image\"", "\"document\"", "\"id\"", "\"imag", "\"documents\"", "\"i", "\"d", "text ", "\"type\":", "é", "\\\""};
        for (int round = 0; round < 2_000; round++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(120);
            for (int i = 0; i < n; i++) {
                b.append(pieces[random.nextInt(pieces.length)]);
                if (random.nextInt(3) == 0) {
                    b.append("x".repeat(random.nextInt(40)));
                }
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + random.nextInt(64)); // arrays longer than the body
            MediaScan.Media m = MediaScan.count(padded, bytes.length);
            assertThat(m.images()).as(b.toString()).isEqualTo(occurrences(bytes, "\"image\""));
            assertThat(m.documents()).as(b.toString()).isEqualTo(occurrences(bytes, "\"document\""));
        }
    }

    private static int occurrences(byte[] body, String word) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }
}
