package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Assignment;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * A literal, random-looking value assigned to a name that says it is secret ({@code DB_PASSWORD=...},
 * {@code client_secret: ...}, {@code "apiKey": "..."}, an MCP tool input {@code {"token": "..."}}).
 *
 * <p>This is the rule most likely to cry wolf in a coding agent, so it asks a lot before it reports:
 * the whole name must end in a secret word ({@code max_tokens}, {@code password_hash},
 * {@code token_url} do not), the value must be a literal (not {@code os.environ[...]}, {@code ${VAR}},
 * {@code config.get(...)}), not a placeholder or a documented example, not a hash with its algorithm
 * prefix, and random enough: several character classes and enough entropy for its length.
 */
public final class GenericAssignment implements Detector {
    static final Rule PASSWORD = Rule.secret("password-assignment", Severity.MEDIUM,
            "A literal password assigned to a password-named variable, key or flag");
    static final Rule SECRET = Rule.secret("secret-assignment", Severity.MEDIUM,
            "A random-looking literal assigned to a secret-, token- or key-named variable");

    private static final List<Keyword> KEYWORDS = List.of(Keyword.of("passw"), Keyword.of("pwd"), Keyword.of("passphrase"),
            Keyword.of("secret"), Keyword.of("token"), Keyword.of("apikey"), Keyword.of("api_key"), Keyword.of("api-key"),
            Keyword.of("_key"), Keyword.of("-key"), Keyword.of("credential"), Keyword.of("privatekey"), Keyword.of("accesskey"));

    @Override
    public List<Rule> rules() {
        return List.of(PASSWORD, SECRET);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text text, int keyword, int start, int end, Emitter out) {
        int nameStart = Chars.runBack(text, start, 64, GenericAssignment::nameChar);
        int nameEnd = Chars.run(text, end, 64, GenericAssignment::nameChar);
        // Most names around a keyword in code are assigned nothing ("getToken(", "tokens.add(", "token)"). That takes a
        // few bytes to see, so it is asked before the name's classification (most of this check's time on the benchmark
        // body); a name with no value after it returned nameEnd either way, so the answer is the same.
        long found = text.isKey() ? 0 : Assignment.valueAfter(text, nameEnd);
        if (found < 0) {
            return nameEnd;
        }
        int kind = SecretNames.classify(text, nameStart, nameEnd);
        if (kind == SecretNames.NONE) {
            return nameEnd;
        }
        Rule rule = kind == SecretNames.PASSWORD ? PASSWORD : SECRET;
        if (!out.enabled(rule)) {
            return nameEnd;
        }
        if (text.isKey()) {
            Text value = out.valueOf(text);
            if (value != null && nameStart == 0 && nameEnd == text.length()
                    && Values.secretLiteral(value, 0, value.length(), true, kind == SecretNames.PASSWORD)) {
                out.report(value, rule, 0, value.length());
            }
            return text.length();
        }
        int valueStart = (int) found;
        int quote = (int) (found >>> 32);
        int valueEnd = Assignment.valueEnd(text, valueStart, quote);
        if (valueEnd < 0) {
            return valueStart;
        }
        if (quote == 0 && valueEnd < text.length() && isCallOrMember(text.at(valueEnd))) {
            return valueEnd;
        }
        if (Values.secretLiteral(text, valueStart, valueEnd, quote != 0, kind == SecretNames.PASSWORD)) {
            out.report(text, rule, valueStart, valueEnd);
        }
        return valueEnd;
    }

    private static boolean nameChar(int c) {
        return Chars.word(c) || c == '-' || c == '.';
    }

    private static boolean isCallOrMember(int c) {
        return c == '(' || c == '[';
    }
}
