package dev.sluice.guard.inject;

import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * What injected instructions go on to ask: hide it from the user, address the model directly, send data
 * out, run a downloaded script. Ordinary in a coding session on their own, so these never make a finding
 * alone; they raise the score of a string that already has an override, role-play or marker signal.
 */
public final class Concealment implements Detector {
    static final Rule RULE = Rule.injection("prompt-injection-context", "Concealment or exfiltration wording next to an injection");

    private static final List<Keyword> KEYWORDS = List.of(Keyword.of("do not tell the user"), Keyword.of("don't tell the user"),
            Keyword.of("without telling"), Keyword.of("do not mention"), Keyword.of("don't mention"), Keyword.of("secretly"),
            Keyword.of("exfiltrate"), Keyword.of("| sh"), Keyword.of("| bash"), Keyword.of("~/.ssh"), Keyword.of("id_rsa"),
            Keyword.of(".aws/credentials"), Keyword.of("attention claude"), Keyword.of("dear claude"), Keyword.of("ai assistant"),
            Keyword.of("as an ai"), Keyword.of("language model"), Keyword.of("important instructions"), Keyword.of("instead, "));

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        out.signal(t, RULE, start, end, 0.3 * t.source().injectionWeight(), false);
        return end;
    }
}
