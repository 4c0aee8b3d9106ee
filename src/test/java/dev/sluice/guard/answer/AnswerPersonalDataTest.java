package dev.sluice.guard.answer;

import static dev.sluice.guard.answer.AnswerGuardTest.blockStart;
import static dev.sluice.guard.answer.AnswerGuardTest.blockStop;
import static dev.sluice.guard.answer.AnswerGuardTest.delta;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.CacheWriteGuard;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardScanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Personal data in streamed answer text: the rules a policy turns on apply to text and thinking deltas as they do
 * to a request (the answer guard ran only the keyword detectors on them before), and a stream split anywhere finds
 * exactly what one scan of the whole text finds.
 */
class AnswerPersonalDataTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    /** Luhn-valid, a Visa prefix, not a published test number (the corpus's). */
    private static final String CARD = "4539 1488 0343 6467";
    /** Valid mod-97, not one of the standard's examples (the corpus's). */
    private static final String IBAN = "GB43 BUKB 2020 1555 5555 69";
    private static final String CODE = """
            public final class Invoice {
                private static final String EXAMPLE_IBAN = "GB82 WEST 1234 5698 7654 32"; // ISO 13616 example
                private final long id = 4111111111111111L; // the test card, 16 digits
                @Override
                public String toString() {
                    return "Invoice[v1.2.3, port=8080, uuid=123e4567-e89b-12d3-a456-426614174000, at=2026-11-20T10:00:01Z]";
                }
            }
               42→    int total = 1_000_000 + 12345678;
            """;

    /** Streams {@code text} as one text block in deltas of {@code sizes} (cycled), and returns every finding. */
    private static List<Finding> stream(GuardPolicy policy, String text, int... sizes) {
        AnswerGuard guard = SCANNER.answerGuard(policy);
        List<Finding> found = new ArrayList<>(guard.onEvent(blockStart(0, "text")));
        int at = 0;
        for (int k = 0; at < text.length(); k++) {
            int to = Math.min(text.length(), at + sizes[k % sizes.length]);
            found.addAll(guard.onEvent(delta(0, "text_delta", "text", text.substring(at, to))));
            at = to;
        }
        found.addAll(guard.onEvent(blockStop(0)));
        assertThat(guard.findings()).containsExactlyInAnyOrderElementsOf(found);
        return found;
    }

    @Test
    void aCardNumberSplitAcrossDeltasIsFoundWhenTheTenantsPolicyCoversCards() {
        String text = "Sure, the payment that failed used card " + CARD + ", expiring 09/28.";
        List<Finding> found = stream(GuardPolicy.builder().pii("credit-card").build(), text, 3, 11, 2);
        assertThat(found).extracting(Finding::rule).containsExactly("credit-card");
        assertThat(text.substring(found.getFirst().start(), found.getFirst().end())).isEqualTo(CARD);
        assertThat(found.getFirst().location().describe()).isEqualTo("content[0] (text), line 1");
        assertThat(stream(GuardPolicy.defaults(), text, 3, 11, 2)).as("personal data is off by default").isEmpty();
        assertThat(stream(GuardPolicy.builder().pii("iban").build(), text, 3, 11, 2)).as("only the rules turned on").isEmpty();
    }

    @Test
    void anIbanSplitAcrossDeltasIsFound() {
        String text = "Wire it to\n  IBAN " + IBAN + "\nreference INV-2026-0114.";
        for (int size = 1; size <= 9; size++) {
            List<Finding> found = stream(GuardPolicy.builder().pii("iban").build(), text, size);
            assertThat(found).extracting(Finding::rule).containsExactly("iban");
            assertThat(text.substring(found.getFirst().start(), found.getFirst().end())).isEqualTo(IBAN);
            assertThat(found.getFirst().location().line()).isEqualTo(2);
        }
    }

    @Test
    void inALongAnswerPersonalDataIsReportedWhileTheAnswerStreams() {
        AnswerGuard guard = SCANNER.answerGuard(GuardPolicy.builder().allPii().build());
        guard.onEvent(blockStart(0, "text"));
        String head = "The customer's card is " + CARD + ".\n";
        List<Finding> early = new ArrayList<>(guard.onEvent(delta(0, "text_delta", "text", head)));
        int deltas = 0;
        while (early.isEmpty() && deltas++ < 40) {
            early.addAll(guard.onEvent(delta(0, "text_delta", "text", "filler text ".repeat(100))));
        }
        assertThat(early).extracting(Finding::rule).containsExactly("credit-card");
        assertThat(deltas).as("reported once " + BlockText.LOOKAHEAD + " more bytes had come, not at the end").isLessThan(20);
        assertThat(head.substring(early.getFirst().start(), early.getFirst().end())).isEqualTo(CARD);
        assertThat(guard.onEvent(blockStop(0))).isEmpty();
    }

    @Test
    void ordinaryCodeInAnAnswerPassesWithEveryPersonalDataRuleOn() {
        GuardPolicy all = GuardPolicy.builder().allPii().build();
        assertThat(stream(all, CODE, 5, 17)).isEmpty();
        assertThat(new CacheWriteGuard(SCANNER, () -> all).flag(CODE)).isNull();
    }

    @Test
    void thinkingIsScannedToo() {
        AnswerGuard guard = SCANNER.answerGuard(GuardPolicy.builder().pii("credit-card").build());
        guard.onEvent(blockStart(1, "thinking"));
        guard.onEvent(delta(1, "thinking_delta", "thinking", "the user pasted 4539 1488"));
        guard.onEvent(delta(1, "thinking_delta", "thinking", " 0343 6467 earlier"));
        assertThat(guard.onEvent(blockStop(1))).extracting(f -> f.rule() + "@" + f.location().describe())
                .containsExactly("credit-card@content[1] (thinking) field \"thinking\", line 1");
    }

    @Test
    void theCacheWriteGuardRefusesPersonalDataItsPolicyCovers() {
        String text = "Refund sent to IBAN " + IBAN + " for card " + CARD + ".";
        assertThat(new CacheWriteGuard(SCANNER, GuardPolicy::defaults).flag(text)).isNull();
        assertThat(new CacheWriteGuard(SCANNER, () -> GuardPolicy.builder().pii("iban").build()).flag(text)).isEqualTo("guard found iban");
        assertThat(new CacheWriteGuard(SCANNER, () -> GuardPolicy.builder().allPii().build()).flag(text))
                .isEqualTo("guard found iban, credit-card");
    }

    /**
     * The differential check: random answers made of personal data, near misses, code and filler, up to 3 look-aheads
     * long (so the scan runs mid-stream too), streamed in random deltas, find exactly what the answer scan of the same
     * text as one whole answer body finds (the cache write guard's scan), rule and range.
     */
    @Test
    void aStreamFindsWhatOneScanOfTheWholeTextFinds() {
        GuardPolicy all = GuardPolicy.builder().allPii().build();
        CacheWriteGuard whole = new CacheWriteGuard(SCANNER, () -> all);
        String[] parts = {CARD, IBAN, "DE44500105175407324931", "jane.doe@northwind-traders.co.uk", "+44 7911 123456", "(312) 867-5309",
                "512-44-8291", "81.2.69.142", "2a00:1450:4001:82b::200e", "card=4539148803436467", "4111 1111 1111 1111", "v1.2.3.4",
                "@Override", "git@github.com:org/repo", "    42→", "2026-11-20", "12345678", "GB82 WEST", "x", " ", ", ", "\n",
                "filler words here ", "id=", "é", "0", "9", "+", "(", "@", "DE", "GB", "."};
        Random rnd = new Random(20261129);
        int findings = 0;
        for (int round = 0; round < 300; round++) {
            StringBuilder s = new StringBuilder();
            int target = round % 10 == 0 ? rnd.nextInt(3 * BlockText.LOOKAHEAD) : rnd.nextInt(400);
            while (s.length() < target) {
                s.append(parts[rnd.nextInt(parts.length)]);
            }
            String text = s.toString();
            int[] sizes = new int[8];
            for (int k = 0; k < sizes.length; k++) {
                sizes[k] = 1 + rnd.nextInt(round % 10 == 0 ? 4000 : 12);
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            List<String> streamed = stream(all, text, sizes).stream().map(f -> {
                // Offsets in an answer block are UTF-8 byte offsets.
                int start = new String(utf8, 0, f.start(), StandardCharsets.UTF_8).length();
                int end = new String(utf8, 0, f.end(), StandardCharsets.UTF_8).length();
                return f.rule() + " " + text.substring(start, end) + " @" + start;
            }).sorted().toList();
            int head = "{\"content\":[{\"type\":\"text\",\"text\":\"".length();
            // No byte of these texts is escaped in JSON except the newline (two raw bytes, one decoded): map raw offsets back.
            String json = text.replace("\n", "\\n");
            List<String> expected = whole.findings(text).stream().map(f -> {
                int start = decodedOffset(json, f.start() - head);
                int end = decodedOffset(json, f.end() - head);
                return f.rule() + " " + text.substring(start, end) + " @" + start;
            }).sorted().toList();
            assertThat(streamed).as("round %d, %d chars", round, text.length()).isEqualTo(expected);
            findings += expected.size();
        }
        assertThat(findings).as("the texts hold personal data").isGreaterThan(1000);
    }

    /** The offset in the decoded text of {@code raw}, an offset in the JSON-escaped text (UTF-8 bytes). */
    private static int decodedOffset(String json, int raw) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        String prefix = new String(b, 0, raw, StandardCharsets.UTF_8);
        return prefix.replace("\\n", "\n").length();
    }
}
