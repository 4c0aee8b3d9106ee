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
 * OpenAI keys ({@code sk-proj-}, {@code sk-svcacct-}, {@code sk-admin-}, and older keys that carry
 * {@code T3BlbkFJ}, the base64 of "OpenAI", in the middle) and Anthropic keys ({@code sk-ant-api03-},
 * {@code sk-ant-admin01-}, {@code sk-ant-oat01-} OAuth tokens). A gateway in front of Claude Code sees
 * the latter pasted into prompts and printed by {@code env}.
 */
public final class AiProviderKeys implements Detector {
    static final Rule OPENAI = Rule.secret("openai-api-key", Severity.CRITICAL, "An OpenAI API key");
    static final Rule ANTHROPIC = Rule.secret("anthropic-api-key", Severity.CRITICAL, "An Anthropic API key or OAuth token");

    private static final int OPENAI_PREFIXES = 4;
    private static final int OPENAI_MARKER = 4;
    private static final List<Keyword> KEYWORDS = List.of(Keyword.exact("sk-proj-"), Keyword.exact("sk-svcacct-"),
            Keyword.exact("sk-admin-"), Keyword.exact("sk-None-"), Keyword.exact("T3BlbkFJ"), Keyword.exact("sk-ant-"));

    @Override
    public List<Rule> rules() {
        return List.of(OPENAI, ANTHROPIC);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        if (keyword < OPENAI_PREFIXES) {
            return prefixed(t, start, end, 40, OPENAI, out);
        }
        if (keyword == OPENAI_MARKER) {
            return legacyOpenAi(t, start, end, out);
        }
        // sk-ant-<kind><2 digits>-<secret>
        int kind = Chars.run(t, end, 12, Chars.Kind.ALNUM);
        if (kind == end || kind >= t.length() || t.at(kind) != '-' || !Chars.digit(t.at(kind - 1))) {
            return end;
        }
        return prefixed(t, start, kind + 1, 40, ANTHROPIC, out);
    }

    private static int prefixed(Text t, int start, int bodyStart, int minLength, Rule rule, Emitter out) {
        if (!Tokens.freeLeft(t, start)) {
            return bodyStart;
        }
        int e = Chars.run(t, bodyStart, 400, Chars.Kind.BASE64URL);
        if (e - bodyStart >= minLength && Tokens.random(t, bodyStart, e, 4.0)) {
            out.report(t, rule, start, e);
        }
        return e;
    }

    /** {@code sk-} + 20 + {@code T3BlbkFJ} + 20: the marker is found first, the start is looked for behind it. */
    private static int legacyOpenAi(Text t, int start, int end, Emitter out) {
        int left = Chars.runBack(t, start, 80, Chars.Kind.BASE64URL);
        int e = Chars.run(t, end, 200, Chars.Kind.BASE64URL);
        for (int i = left; i + 3 <= start; i++) {
            if (t.at(i) == 's' && t.at(i + 1) == 'k' && t.at(i + 2) == '-' && Tokens.freeLeft(t, i)) {
                if (e - i >= 40 && Tokens.random(t, i + 3, e, 4.0)) {
                    out.report(t, OPENAI, i, e);
                }
                return e;
            }
        }
        return e;
    }
}
