package dev.sluice.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Operator rules: keywords as the prefilter, an RE2J pattern around them, group 1 as the match. */
class CustomRuleTest {
    private static final GuardScanner SCANNER = new GuardScanner();
    private static final CustomRule ACME = new CustomRule("acme-token", Severity.HIGH, List.of("acme_tok_"),
            "acme_tok_([a-z0-9]{24})");

    private static List<String> found(String text, GuardPolicy policy) {
        byte[] body = Bodies.request(Bodies.user(text));
        return SCANNER.scan(body, body.length, policy).findings().stream().map(f -> f.rule() + "=" + Bodies.decoded(body, f)).toList();
    }

    @Test
    void reportsGroupOneAroundTheKeyword() {
        GuardPolicy p = GuardPolicy.builder().customRules(List.of(ACME)).build();
        assertThat(found("deploy with ACME_TOK_ no; acme_tok_0123456789abcdefghijklmn and acme_tok_zyxwvutsrqponmlkjihgfedc",
                p)).containsExactly("acme-token=0123456789abcdefghijklmn", "acme-token=zyxwvutsrqponmlkjihgfedc");
        assertThat(found("acme_tok_0123456789abcdefghijklmn", GuardPolicy.defaults())).isEmpty();
    }

    @Test
    void offsetsStayRightAfterMultiByteCharacters() {
        GuardPolicy p = GuardPolicy.builder().customRules(List.of(ACME)).build();
        assertThat(found("h\u00e9llo \u2192 w\u00f6rld \uD83D\uDE00 acme_tok_0123456789abcdefghijklmn", p))
                .containsExactly("acme-token=0123456789abcdefghijklmn");
    }

    @Test
    void aFloodOfKeywordsStaysFast() {
        GuardPolicy p = GuardPolicy.builder().customRules(List.of(new CustomRule("slow", Severity.LOW, List.of("aaa"),
                "(a+)+b"))).build();
        byte[] body = Bodies.request(Bodies.user("a".repeat(2_000_000)));
        long t0 = System.nanoTime();
        GuardScan scan = SCANNER.scan(body, body.length, p);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(scan.findings()).isEmpty();
        assertThat(ms).as("RE2J on 2 MB of the classic catastrophic-backtracking input").isLessThan(5_000);
    }

    @Test
    void badRulesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new CustomRule("x y", Severity.LOW, List.of("abc"), "a")).hasMessageContaining("rule name");
        assertThatThrownBy(() -> new CustomRule("ok", Severity.LOW, List.of("ab"), "a")).hasMessageContaining("keyword of 2 bytes");
        assertThatThrownBy(() -> new CustomRule("ok", Severity.LOW, List.of("abc"), "a(")).hasMessageContaining("'ok': pattern does not compile");
        assertThatThrownBy(() -> GuardPolicy.builder().customRules(List.of(new CustomRule("jwt", Severity.LOW, List.of("abc"), "a"))).build())
                .hasMessageContaining("the name is taken");
        assertThatThrownBy(() -> GuardPolicy.builder().disable("no-such-rule").build()).hasMessageContaining("unknown");
        assertThatThrownBy(() -> GuardPolicy.builder().pii("jwt").build()).hasMessageContaining("pii rule 'jwt' is unknown");
    }
}
