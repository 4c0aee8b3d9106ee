package dev.sluice.cache.stage;

import dev.sluice.trace.Telemetry;
import java.util.ArrayList;
import java.util.List;

/** The semantic cache's meters for {@code /metrics}, read from its counters at each scrape. */
public final class SemanticReadings {
    private SemanticReadings() {
    }

    public static List<Telemetry.Reading> all(SemanticService semantic) {
        SemanticStats s = semantic.stats();
        List<Telemetry.Reading> out = new ArrayList<>();
        for (SemanticStats.Lookup l : SemanticStats.Lookup.values()) {
            out.add(new Telemetry.Reading("sluice.cache.semantic.lookups", "Semantic cache lookups after an exact miss, by outcome",
                    true, () -> s.lookups(l), "result", l.label()));
        }
        String verdicts = "Shadow-mode would-be hits compared with the real answer, by verdict";
        out.add(new Telemetry.Reading("sluice.cache.semantic.shadow.verdicts", verdicts, true, s::shadowRight, "verdict", "right"));
        out.add(new Telemetry.Reading("sluice.cache.semantic.shadow.verdicts", verdicts, true, s::shadowWrong, "verdict", "wrong"));
        String signals = "Signals on answers: feedback ratings and re-asks with refresh";
        out.add(new Telemetry.Reading("sluice.cache.semantic.signals", signals, true, s::feedbackDown, "kind", "down"));
        out.add(new Telemetry.Reading("sluice.cache.semantic.signals", signals, true, s::feedbackUp, "kind", "up"));
        out.add(new Telemetry.Reading("sluice.cache.semantic.signals", signals, true, s::refreshSignals, "kind", "refresh"));
        out.add(new Telemetry.Reading("sluice.cache.semantic.indexed", "Questions indexed for semantic matching", true,
                s::indexedQuestions));
        out.add(new Telemetry.Reading("sluice.cache.semantic.evicted", "Exact entries expired after a wrong-answer signal", true,
                s::evictedEntries));
        return out;
    }
}
