package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * Slack bot, user, app and refresh tokens ({@code xoxb-}, {@code xoxp-}, {@code xapp-}, ...) and incoming
 * webhook URLs ({@code hooks.slack.com/services/T.../B.../secret}); for a webhook only the path after
 * {@code services/} is the secret.
 */
public final class SlackTokens implements Detector {
    static final Rule TOKEN = Rule.secret("slack-token", Severity.CRITICAL, "A Slack bot, user, app or configuration token");
    static final Rule WEBHOOK = Rule.secret("slack-webhook", Severity.HIGH, "A Slack incoming webhook URL");

    private static final int TOKENS = 7;
    private static final List<Keyword> KEYWORDS = List.of(Keyword.exact("xoxb-"), Keyword.exact("xoxp-"), Keyword.exact("xoxa-"),
            Keyword.exact("xoxr-"), Keyword.exact("xoxs-"), Keyword.exact("xoxe-"), Keyword.exact("xapp-"),
            Keyword.of("hooks.slack.com/services/"), Keyword.of("hooks.slack.com/workflows/"));

    @Override
    public List<Rule> rules() {
        return List.of(TOKEN, WEBHOOK);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        if (keyword < TOKENS) {
            if (!Tokens.freeLeft(t, start)) {
                return end;
            }
            int e = Chars.run(t, end, 200, c -> Chars.alnum(c) || c == '-');
            while (e > end && t.at(e - 1) == '-') {
                e--;
            }
            if (e - end >= 20 && dashes(t, end, e) >= 1 && Tokens.random(t, end, e, 3.3)) {
                out.report(t, TOKEN, start, e);
            }
            return e;
        }
        int e = Chars.run(t, end, 120, c -> Chars.alnum(c) || c == '/');
        if (e - end >= 30 && slashes(t, end, e) >= 2 && Tokens.random(t, end, e, 3.5)) {
            out.report(t, WEBHOOK, end, e);
        }
        return e;
    }

    private static int dashes(Text t, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += t.at(i) == '-' ? 1 : 0;
        }
        return n;
    }

    private static int slashes(Text t, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += t.at(i) == '/' ? 1 : 0;
        }
        return n;
    }
}
