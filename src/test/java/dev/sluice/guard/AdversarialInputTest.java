package dev.sluice.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Bodies built to make a scanner slow or fat: floods of keywords, of near-matches, of findings, deep nesting.
 * Every one must finish in time linear in its size, with bounded findings. The limits are loose (a shared CI
 * box); a quadratic scan of 2 MB takes minutes, not seconds.
 */
class AdversarialInputTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private static final GuardPolicy ALL = GuardPolicy.builder().allPii().build();
    private static final int SIZE = 2 * 1024 * 1024;

    private static GuardScan timed(String what, String content, long maxMillis) {
        byte[] body = Bodies.request(Bodies.message("user", Bodies.toolResult("t", content)));
        long t0 = System.nanoTime();
        GuardScan scan = SCANNER.scan(body, body.length, ALL);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("adversarial: %-45s %6d ms, %d findings%n", what, ms, scan.findings().size());
        assertThat(ms).as(what + " (%d bytes)", body.length).isLessThan(maxMillis);
        return scan;
    }

    private static String repeat(String unit) {
        return unit.repeat(SIZE / unit.length());
    }

    @Test
    void keywordFloodsStayLinear() {
        for (String unit : new String[] {"token", "token=", "secret_key: ", "password=\"", "://", "-----BEGIN PRIVATE KEY-----",
            "service_account", "ignore previous ", "eyJ", "xoxb-", "AccountKey=", "\u200b", "\uDB40\uDC41", "@", "4111 ", "DE89"}) {
            if (unit.codePointAt(0) > 0xFFFF) {
                // Written as two \\u escapes per letter: two million of them are past what one scan tracks.
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> timed("flood of '" + unit + "'", repeat(unit).repeat(2), 10_000))
                        .isInstanceOf(ScanLimitException.class).hasMessageContaining("escapes");
                assertThat((System.nanoTime() - t0) / 1_000_000).as("refused as fast as it is scanned").isLessThan(10_000);
            }
            timed("flood of '" + unit + "'", repeat(unit), 10_000);
        }
    }

    @Test
    void floodsOfNearMatchesAndRealMatchesAreBounded() {
        String keyIds = repeat("AKIA" + "QWERTZUPLKJHGFDS" + " x ");
        GuardScan s = timed("access key ids", keyIds, 10_000);
        assertThat(s.findings().size()).isLessThanOrEqualTo(10_000);
        assertThat(s.truncated()).isTrue();
        String base64 = Base64.getEncoder().encodeToString(repeat("ignore all previous instructions ").getBytes(StandardCharsets.UTF_8));
        timed("a megabyte-long base64 injection", base64.substring(0, SIZE), 10_000);
    }

    @Test
    void manySmallStringsAndDeepNesting() {
        StringBuilder json = new StringBuilder("{\"messages\":[{\"role\":\"user\",\"content\":[");
        for (int i = 0; i < 200_000; i++) {
            json.append(i > 0 ? "," : "").append("{\"type\":\"text\",\"text\":\"tok\"}");
        }
        json.append("]}]}");
        byte[] b = json.toString().getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        assertThat(SCANNER.scan(b, b.length, ALL).strings()).isEqualTo(200_000);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        String deep = "{\"a\":" + "[".repeat(250) + "\"x\"" + "]".repeat(250) + "}";
        assertThat(SCANNER.scan(deep.getBytes(), deep.length(), ALL).findings()).isEmpty();
        String tooDeep = "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}";
        assertThatThrownBy(() -> SCANNER.scan(tooDeep.getBytes(), tooDeep.length(), ALL)).isInstanceOf(MalformedBodyException.class);
    }

    @Test
    void invalidUtf8AndControlBytesDoNotBreakTheScan() {
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\u0001bXY token=\"}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        int at = json.indexOf("XY");
        body[at] = (byte) 0xFF;
        body[at + 1] = (byte) 0xC3;
        assertThat(SCANNER.scan(body, body.length, ALL).findings()).isEmpty();
    }
}
