package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Examples;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * Stripe secret and restricted keys ({@code sk_live_}, {@code rk_live_}: critical; their {@code _test_}
 * twins: medium, they still open the account's test data) and webhook signing secrets ({@code whsec_}).
 * Publishable keys ({@code pk_}) are public by design and not reported; Stripe's documented test keys are examples.
 */
public final class StripeKeys implements Detector {
    static final Rule LIVE = Rule.secret("stripe-live-key", Severity.CRITICAL, "A Stripe live secret or restricted key");
    static final Rule TEST = Rule.secret("stripe-test-key", Severity.MEDIUM, "A Stripe test-mode secret or restricted key");
    static final Rule WEBHOOK = Rule.secret("stripe-webhook-secret", Severity.HIGH, "A Stripe webhook signing secret");

    private static final List<Keyword> KEYWORDS = List.of(Keyword.exact("sk_live_"), Keyword.exact("rk_live_"),
            Keyword.exact("sk_test_"), Keyword.exact("rk_test_"), Keyword.exact("whsec_"));

    @Override
    public List<Rule> rules() {
        return List.of(LIVE, TEST, WEBHOOK);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        if (!Tokens.freeLeft(t, start)) {
            return end;
        }
        int e = Chars.run(t, end, 120, Chars.Kind.ALNUM);
        if (e - end < 24 || !Chars.boundaryAt(t, e, Chars.Kind.WORD) || Examples.known(t, start, e)) {
            return e;
        }
        if (Tokens.random(t, end, e, 3.8)) {
            out.report(t, keyword < 2 ? LIVE : keyword < 4 ? TEST : WEBHOOK, start, e);
        }
        return e;
    }
}
