package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.learn.ShadowLog;
import dev.sluice.cache.stage.AnswerSignals;
import dev.sluice.cache.stage.SemanticService;
import dev.sluice.cache.stage.SemanticStats;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** {@code GET /admin/cache/semantic}: the semantic cache's mode, lookups, shadow verdicts and answer signals. */
final class SemanticStatus {
    private SemanticStatus() {
    }

    static ObjectNode json(SemanticService semantic, int recent) {
        ObjectNode out = JsonBody.MAPPER.createObjectNode();
        if (semantic == null) {
            return out.put("mode", "off").put("ready", false);
        }
        out.put("mode", semantic.mode().name().toLowerCase(java.util.Locale.ROOT)).put("ready", semantic.ready());
        SemanticStats s = semantic.stats();
        ObjectNode lookups = out.putObject("lookups");
        for (SemanticStats.Lookup l : SemanticStats.Lookup.values()) {
            lookups.put(l.label(), s.lookups(l));
        }
        out.put("indexed", s.indexedQuestions()).put("evicted_entries", s.evictedEntries());
        SemanticMatcher m = semantic.matcher();
        ObjectNode shadow = out.putObject("shadow");
        shadow.put("would_be_hits", m == null ? 0 : m.shadowLog().wouldBeHits())
                .put("right", s.shadowRight()).put("wrong", s.shadowWrong());
        // Every verdict the threshold learner took: shadow comparisons, feedback and refresh signals.
        ArrayNode verdicts = out.putArray("recent_verdicts");
        if (m != null) {
            m.shadowLog().recent().stream().limit(recent).forEach(v -> verdict(verdicts.addObject(), v));
        }
        out.putObject("signals").put("down", s.feedbackDown()).put("up", s.feedbackUp()).put("refresh", s.refreshSignals());
        ArrayNode signals = out.putArray("recent_signals");
        for (AnswerSignals.Signal sig : semantic.signals().recent(recent)) {
            signals.addObject().put("request_id", sig.requestId()).put("kind", sig.kind()).put("cache", sig.status())
                    .put("note", sig.note()).put("at_millis", sig.atMillis());
        }
        var share = semantic.share();
        if (share != null) {
            out.putObject("shared").put("connected", share.connected()).put("failures", share.shareFailures())
                    .put("verdicts_from_other_replicas", share.verdictsApplied());
        }
        if (m != null) {
            out.putObject("index").put("indexes", m.registry().indexCount()).put("ram_bytes", m.registry().ramBytes())
                    .put("evicted_indexes", m.registry().evictedIndexes());
        }
        return out;
    }

    private static void verdict(ObjectNode o, ShadowLog.Verdict v) {
        o.put("entry", v.entryId()).put("model", v.model()).put("similarity", round(v.similarity())).put("threshold", round(v.threshold()))
                .put("right", v.correct()).put("at_millis", v.atMillis());
    }

    private static BigDecimal round(double d) {
        return BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_EVEN);
    }
}
