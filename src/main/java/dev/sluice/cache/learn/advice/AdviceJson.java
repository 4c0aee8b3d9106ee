package dev.sluice.cache.learn.advice;

import static dev.sluice.cache.learn.Dollars.usd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.prompt.PrefixStats;
import dev.sluice.wire.Json;

/** Prompt-cache advice as JSON: the admin API's answer and {@code sluice cache advice --format json}. */
public final class AdviceJson {
    private AdviceJson() {
    }

    public static ObjectNode of(PromptAdvice.Report r, String since) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("since", since).put("upstream_requests", r.upstreamRequests());
        ArrayNode ttl = out.putArray("one_hour_ttl");
        for (PrefixStats.Report p : r.ttl()) {
            ttl.addObject().put("prefix", p.prefix()).put("model", p.model()).put("approx_tokens", p.tokens())
                    .put("sightings", p.sightings()).put("reread_within_5m", p.within5m()).put("reread_5m_to_1h", p.within1h())
                    .put("later", p.later()).put("one_hour_pays", p.oneHourPays()).put("cost_5m_usd", usd(p.nanoUsd5m()))
                    .put("cost_1h_usd", usd(p.nanoUsd1h())).put("saved_by_1h_usd", usd(p.nanoUsdSavedBy1h()));
        }
        ArrayNode bps = out.putArray("breakpoints");
        for (PromptAdvice.BreakpointAdvice b : r.breakpoints()) {
            bps.addObject().put("prefix", b.prefix()).put("org", b.org()).put("model", b.model()).put("where", b.where())
                    .put("requests", b.requests()).put("tokens_gained", b.tokensGained()).put("prefix_tokens", b.prefixTokens())
                    .put("saved_usd", usd(b.nanoUsdSaved()));
        }
        return out;
    }
}
