package dev.sluice.cache.learn.misses;

import static dev.sluice.cache.learn.Dollars.usd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.time.Instant;

/** The miss report as JSON: the admin API's answer and {@code sluice cache misses --format json}. */
public final class MissReportJson {
    private MissReportJson() {
    }

    public static ObjectNode of(MissAnalysis.Report r, String since) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("since", since).put("requests", r.requests()).put("hits", r.hits())
                .put("misses", r.missCount()).put("bypasses", r.bypasses()).put("missed_usd", usd(r.missedNanoUsd()))
                .put("costs_from", r.ledgerCosts() ? "ledger" : "capture");
        ArrayNode patterns = out.putArray("patterns");
        for (MissAnalysis.Group g : r.groups()) {
            ObjectNode p = patterns.addObject().put("pattern", g.pattern().label()).put("meaning", g.pattern().meaning())
                    .put("count", g.count()).put("usd", usd(g.nanoUsd())).put("input_tokens", g.inputTokens());
            ArrayNode ex = p.putArray("examples");
            g.examples().forEach(m -> ex.add(miss(m)));
        }
        ArrayNode list = out.putArray("requests_missed");
        r.misses().forEach(m -> list.add(miss(m)));
        return out;
    }

    private static ObjectNode miss(MissAnalysis.Miss m) {
        return Json.MAPPER.createObjectNode().put("request_id", m.requestId()).put("at", Instant.ofEpochMilli(m.at()).toString())
                .put("org", m.org()).put("scope", m.scope()).put("model", m.model()).put("pattern", m.pattern().label())
                .put("nearest", m.nearest()).put("detail", m.detail()).put("usd", usd(m.nanoUsd()));
    }
}
