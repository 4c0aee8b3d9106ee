package dev.sluice.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Personal data is off by default and found, checksums and all, when a tenant turns it on. */
class PersonalDataTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private static final GuardPolicy ALL = GuardPolicy.builder().allPii().build();

    private static List<String> found(String text, GuardPolicy policy) {
        byte[] body = Bodies.request(Bodies.user(text));
        return SCANNER.scan(body, body.length, policy).findings().stream().map(f -> f.rule() + "=" + Bodies.decoded(body, f)).toList();
    }

    private static List<String> found(String text) {
        return found(text, ALL);
    }

    @Test
    void offByDefault() {
        assertThat(found("mail jane.doe@acme-corp.io or call +44 7911 123456", GuardPolicy.defaults())).isEmpty();
    }

    @Test
    void emailsButNotTheLookAlikesOfCode() {
        assertThat(found("contact jane.doe@acme-corp.io today")).containsExactly("email=jane.doe@acme-corp.io");
        assertThat(found("git clone git@github.com:acme/api.git; npm i @anthropic-ai/sdk@1.12.0; logo@2x.png")).isEmpty();
        assertThat(found("Co-Authored-By: Claude <noreply@anthropic.com>; see admin@example.com")).isEmpty();
        assertThat(found("@Override\npublic void run() {}")).isEmpty();
    }

    @Test
    void phoneNumbersInternationalAndNational() {
        assertThat(found("call +44 7911 123456 or +1 (415) 867-5309")).containsExactly("phone-number=+44 7911 123456",
                "phone-number=+1 (415) 867-5309");
        assertThat(found("office: (415) 867-5309, desk 415-867-5310, Berlin 030 12345678"))
                .containsExactly("phone-number=(415) 867-5309", "phone-number=415-867-5310", "phone-number=030 12345678");
        assertThat(found("ts=1718031234567 id 4158675309 date 2024-06-10 v1.2.3 (555) 555-0123 020 7946 0958")).isEmpty();
    }

    @Test
    void ssnCardsIbansWithTheirChecks() {
        assertThat(found("SSN: 512-44-8291")).containsExactly("us-ssn=512-44-8291");
        assertThat(found("SSN 666-12-3456 or 123-45-6789 or 900-12-3456")).isEmpty();
        assertThat(found("card 4929 1234 5678 9012 3 no; card 4539 1488 0343 6467 yes")).containsExactly("credit-card=4539 1488 0343 6467");
        assertThat(found("stripe test card 4242 4242 4242 4242, order 4539148803436467")).isEmpty();
        assertThat(found("visa: 4539148803436467")).containsExactly("credit-card=4539148803436467");
        assertThat(found("IBAN DE44 5001 0517 5407 3249 31 ok")).containsExactly("iban=DE44 5001 0517 5407 3249 31");
        assertThat(found("IBAN DE44 5001 0517 5407 3249 32 bad, DE89 3704 0044 0532 0130 00 example")).isEmpty();
    }

    @Test
    void publicIpAddressesOnly() {
        assertThat(found("ssh deploy@203.0.113.9; client 81.2.69.142 connected; 10.0.0.7 127.0.0.1 8.8.8.8 192.168.1.20 1.2.3.4.5"))
                .containsExactly("ip-address=81.2.69.142");
    }

    /**
     * The candidate search passes over registers of bytes at a time: a value is found wherever it sits in a
     * string (its first byte, its last, either side of every register boundary), and inside JSON escapes.
     */
    @Test
    void foundAtEveryOffsetOfAString() {
        String[][] values = {{"email", "jane.doe@acme-corp.io"}, {"us-ssn", "512-44-8291"}, {"credit-card", "4539 1488 0343 6467"},
            {"iban", "DE44 5001 0517 5407 3249 31"}, {"ip-address", "81.2.69.142"}, {"phone-number", "+44 7911 123456"}};
        for (String[] v : values) {
            for (int at = 0; at <= 80; at++) {
                String before = "ab, ".repeat(at / 4 + 1).substring(0, at);
                String text = before.isEmpty() || before.endsWith(" ") ? before + v[1] : before.substring(0, at - 1) + " " + v[1];
                assertThat(found(text)).as("%s at %d", v[0], at).containsExactly(v[0] + "=" + v[1]);
                assertThat(found(text + " ;")).as("%s at %d, not last", v[0], at).containsExactly(v[0] + "=" + v[1]);
            }
        }
    }

    @Test
    void foundThroughJsonEscapes() {
        // An escaped '@' (written as the six bytes of a JSON unicode escape), a card right after an escaped newline and before "\/".
        byte[] body = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"line\\njane.doe\\u0040acme-corp.io\\n4539 1488 0343 6467\\/x\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(SCANNER.scan(body, body.length, ALL).findings().stream().map(f -> f.rule() + "=" + Bodies.decoded(body, f)).toList())
                .containsExactly("email=jane.doe@acme-corp.io", "credit-card=4539 1488 0343 6467");
    }

    /**
     * Every character of the value written as a JSON unicode escape ({@code \u0034\u0035...}): the scanners read the
     * decoded text, so it is found as if written plainly, with a range that covers the escapes whole, wherever it
     * sits in a string (the escapes then straddle every register boundary of the SIMD searches). The card number
     * 4111 1111 1111 1111 is the networks' published test number: not reported, escaped or not.
     */
    @Test
    void foundWhenEveryCharacterIsAJsonEscape() {
        String[][] values = {{"credit-card", "card ", "4539148803436467"}, {"credit-card", "", "4539 1488 0343 6467"},
            {"us-ssn", "SSN ", "512-44-8291"}, {"phone-number", "call ", "+44 7911 123456"}, {"iban", "", "DE44 5001 0517 5407 3249 31"},
            {"email", "", "jane.doe@acme-corp.io"}, {"ip-address", "from ", "81.2.69.142"}};
        for (String[] v : values) {
            for (int at = 0; at <= 70; at++) {
                String text = "x".repeat(at) + " " + v[1] + unicodeEscaped(v[2]) + " ok";
                byte[] body = ("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                List<Finding> findings = SCANNER.scan(body, body.length, ALL).findings();
                assertThat(findings.stream().map(f -> f.rule() + "=" + Bodies.decoded(body, f)).toList()).as("%s at %d", v[0], at)
                        .containsExactly(v[0] + "=" + v[2]);
                assertThat(new String(body, findings.get(0).start(), 2, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("\\u");
            }
        }
        assertThat(found("card 4111 1111 1111 1111 or 4111111111111111")).isEmpty();
        byte[] test = Bodies.request(Bodies.user("card 4539148803436467"));
        assertThat(SCANNER.scan(test, test.length, ALL).findings()).hasSize(1);
    }

    private static String unicodeEscaped(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
        return b.toString();
    }

    @Test
    void rulesCanBeTurnedOnOneByOne() {
        GuardPolicy emails = GuardPolicy.builder().pii("email").build();
        assertThat(found("jane.doe@acme-corp.io 512-44-8291", emails)).containsExactly("email=jane.doe@acme-corp.io");
    }
}
