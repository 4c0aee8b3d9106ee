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
 * A user name and password written as base64 {@code user:password}, which no other rule can read: an
 * {@code Authorization: Basic ...} header in a curl command or a script, the {@code "auth"} of a Docker
 * {@code config.json}, an {@code .npmrc}'s {@code _auth=}. An agent that reads those files or a shell history
 * would otherwise send the password upstream in a form that looks like noise. The value is decoded and
 * reported only when it is a {@code user:password} pair of printable text whose password is not a placeholder
 * ({@link UrlCredentials#placeholder}); the whole base64 value is the finding, so a redaction removes it.
 */
public final class BasicAuthCredentials implements Detector {
    static final Rule BASIC = Rule.secret("basic-auth-credentials", Severity.HIGH,
            "A user name and password encoded as base64 (HTTP Basic, Docker config auth, .npmrc _auth)");

    /** Long enough for a real pair ({@code a:bcdef} is 8 characters encoded), short enough to stay one header. */
    private static final int MIN = 8;
    private static final int MAX = 1024;
    /** Between the keyword and the value: spaces, a colon or an equals sign, a quote. */
    private static final int GAP = 6;

    @Override
    public List<Rule> rules() {
        return List.of(BASIC);
    }

    @Override
    public List<Keyword> keywords() {
        return List.of(Keyword.of("basic "), Keyword.exact("\"auth\""), Keyword.exact("_auth"));
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        int from = Chars.run(t, end, GAP, c -> Chars.space(c) || c == ':' || c == '=' || c == '"' || c == '\'');
        if (keyword != 0 && from == end) {
            return end; // "auth" and "_auth" need their separator; "basic " already ends in one
        }
        int to = Chars.run(t, from, MAX + 1, Chars::base64);
        int padded = Chars.run(t, to, 2, c -> c == '=');
        if (to - from < MIN || to - from > MAX || padded < t.length() && Chars.alnum(t.at(padded)) || (to - from) % 4 == 1) {
            return Math.max(end, to);
        }
        String pair = Base64Text.decode(t.bytes(), from, padded, false);
        if (pair != null && credentials(pair)) {
            out.report(t, BASIC, from, padded);
        }
        return padded;
    }

    /** {@code user:password}: a name without spaces, then a password of 6 or more characters that is not a stand-in. */
    private static boolean credentials(String pair) {
        int colon = pair.indexOf(':');
        if (colon < 1 || colon > 256) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            if (pair.charAt(i) == ' ') {
                return false;
            }
        }
        String password = pair.substring(colon + 1);
        return password.length() >= 6 && password.length() <= 512 && !UrlCredentials.placeholder(password);
    }
}
