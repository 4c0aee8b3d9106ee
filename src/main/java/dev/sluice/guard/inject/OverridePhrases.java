package dev.sluice.guard.inject;

import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;
import java.util.Set;

/**
 * Instruction-override phrasing: "ignore all previous instructions", "disregard the above guidelines",
 * "forget your system prompt", "your new instructions are", "print your system prompt". A small grammar
 * (a verb, up to five filler words, one of which must point back at earlier instructions, then a target
 * noun) keeps comments like "ignore previous errors" out. The weight is scaled by who wrote the text, so a
 * developer typing the phrase scores half of what a fetched web page does, and a quoted literal in code
 * (a list of phrases in a scanner like this one) counts little.
 */
public final class OverridePhrases implements Detector {
    static final Rule RULE = Rule.injection("prompt-injection-override", "Instruction-override phrasing aimed at the model");

    private static final int VERBS = 5;
    private static final int NEW_INSTRUCTIONS = 5;
    private static final Set<String> FILLERS = Set.of("all", "any", "the", "your", "my", "of", "these", "those", "previous",
            "prior", "above", "earlier", "preceding", "foregoing", "initial", "original", "system", "developer", "safety",
            "every", "other", "current", "existing", "given", "old", "and", "content", "policy", "you", "were", "been", "have");
    private static final Set<String> POINTERS = Set.of("all", "your", "previous", "prior", "above", "earlier", "preceding",
            "foregoing", "initial", "original", "system", "developer", "safety", "every", "old", "existing", "current");
    private static final Set<String> STRONG_TARGETS = Set.of("instructions", "instruction", "prompt", "prompts", "directives",
            "guidelines", "guardrails", "programming");
    private static final Set<String> WEAK_TARGETS = Set.of("rules", "restrictions", "directions", "constraints", "policies");
    private static final Set<String> LEAK_VERBS = Set.of("reveal", "print", "show", "output", "repeat", "leak", "display",
            "disclose", "dump", "share", "tell", "write");

    private static final List<Keyword> KEYWORDS = List.of(Keyword.of("ignore"), Keyword.of("disregard"), Keyword.of("forget"),
            Keyword.of("override"), Keyword.of("bypass"), Keyword.of("new instructions"), Keyword.of("updated instructions"),
            Keyword.of("real instructions"), Keyword.of("actual instructions"), Keyword.of("system prompt"));

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
        if (keyword < VERBS) {
            return verbPhrase(t, start, end, out);
        }
        if (keyword < NEW_INSTRUCTIONS + 4) {
            // "new instructions:" announces a block of them; "the new instructions are in MIGRATING.md" does not.
            boolean announced = end < t.length() && (t.at(end) == ':' || Words.near(t, end, end + 12, " are:", " follow"));
            emit(t, start, end, announced ? 0.5 : 0.25, out);
            return end;
        }
        // "... reveal/print your system prompt": a leak request when a leak verb comes just before.
        int[] cursor = {Math.max(0, start - 30)};
        String w;
        while ((w = Words.next(t, cursor, start)) != null) {
            if (LEAK_VERBS.contains(w)) {
                emit(t, start, end, 0.5, out);
                break;
            }
        }
        return end;
    }

    private int verbPhrase(Text t, int start, int end, Emitter out) {
        if (start > 0 && Character.isLetter(t.at(start - 1))) {
            return end;
        }
        int limit = Math.min(t.length(), end + 80);
        int[] cursor = {end};
        // The keyword itself may continue ("ignores", "ignored", "ignoring": not imperative, not counted).
        if (end < t.length() && Character.isLetter(t.at(end))) {
            return end;
        }
        boolean pointer = false;
        for (int n = 0; n < 6; n++) {
            String w = Words.next(t, cursor, limit);
            if (w == null) {
                return cursor[0];
            }
            if (pointer && (STRONG_TARGETS.contains(w) || WEAK_TARGETS.contains(w))) {
                emit(t, start, cursor[0], STRONG_TARGETS.contains(w) ? 0.8 : 0.55, out);
                return cursor[0];
            }
            if (!FILLERS.contains(w)) {
                return cursor[0];
            }
            pointer |= POINTERS.contains(w);
        }
        return cursor[0];
    }

    private static void emit(Text t, int start, int end, double weight, Emitter out) {
        boolean quoted = Words.quoted(t, start, end);
        out.signal(t, RULE, start, end, weight * t.source().injectionWeight() * (quoted ? 0.4 : 1.0), !quoted);
    }
}
