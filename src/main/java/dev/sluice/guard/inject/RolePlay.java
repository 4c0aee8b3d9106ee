package dev.sluice.guard.inject;

import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * Role-play jailbreaks: "you are now DAN", "do anything now", "pretend you have no restrictions",
 * "stay in character", "you are no longer bound by". Each phrase has a weight; the words that make a
 * persona a jailbreak (unrestricted, unfiltered, no rules) raise "you are now" and "act as" from
 * harmless to strong.
 */
public final class RolePlay implements Detector {
    static final Rule RULE = Rule.injection("prompt-injection-roleplay", "A role-play jailbreak: a persona without the model's rules");

    private static final String[] JAILBREAK_WORDS = {"dan", "unrestricted", "unfiltered", "jailbroken", "jailbreak", "no restrictions",
        "without restrictions", "without any restrictions", "no rules", "no limits", "no ethical", "no moral", "evil", "uncensored",
        "anything now", "no guidelines", "not bound"};
    private static final List<Keyword> KEYWORDS = List.of(Keyword.of("you are now"), Keyword.of("act as"), Keyword.of("pretend"),
            Keyword.of("do anything now"), Keyword.of("no longer bound"), Keyword.of("stay in character"),
            Keyword.of("jailbroken"), Keyword.of("jailbreak"), Keyword.of("developer mode"), Keyword.of("without any restrictions"),
            Keyword.of("roleplay as"), Keyword.of("role-play as"), Keyword.exact("DAN"));
    private static final double[] WEIGHTS = {0.2, 0.1, 0.2, 0.8, 0.7, 0.5, 0.6, 0.35, 0.25, 0.45, 0.3, 0.3, 0.3};
    /** Keywords whose weight rises to this when a jailbreak word is within reach. */
    private static final double PERSONA_JAILBREAK = 0.75;

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
        if ((start > 0 && Character.isLetterOrDigit(t.at(start - 1))) || (keyword != 7 && keyword != 2 && end < t.length()
                && Character.isLetterOrDigit(t.at(end)))) {
            return end;
        }
        double weight = WEIGHTS[keyword];
        boolean persona = keyword <= 2 || keyword >= 10;
        if (persona && Words.near(t, end, end + 80, JAILBREAK_WORDS)) {
            weight = PERSONA_JAILBREAK;
        }
        boolean quoted = Words.quoted(t, start, end);
        out.signal(t, RULE, start, end, weight * t.source().injectionWeight() * (quoted ? 0.4 : 1.0), !quoted);
        return end;
    }
}
