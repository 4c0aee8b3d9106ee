package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.report.CacheAdmin;
import dev.sluice.cache.report.CacheQuery;
import dev.sluice.cache.report.CacheReportRow;
import dev.sluice.record.SpendRow;
import dev.sluice.wire.Json;
import java.util.List;

/**
 * The caches for the dashboard: the gateway's response cache from {@link CacheAdmin#report} (what
 * {@code /admin/cache/report} and {@code sluice report --cache} show: exact and semantic hits, misses, dollars
 * saved) and the provider's prompt cache from the spend totals (tokens read from it and what that saved).
 */
final class CacheData {
    private final CacheAdmin cache;
    private final SpendData spend;

    CacheData(CacheAdmin cache, SpendData spend) {
        this.cache = cache;
        this.spend = spend;
    }

    ObjectNode summary(ReportPeriod p) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        SpendData.period(out, p);
        if (cache != null) {
            List<CacheReportRow> rows = cache.report(new CacheQuery(List.of(), p.since(), null));
            CacheReportRow r = rows.isEmpty() ? null : rows.getFirst();
            ObjectNode g = out.putObject("response_cache");
            g.put("requests", r == null ? 0 : r.requests()).put("hits", r == null ? 0 : r.hits())
                    .put("semantic_hits", r == null ? 0 : r.semanticHits()).put("misses", r == null ? 0 : r.misses())
                    .put("bypasses", r == null ? 0 : r.bypasses()).put("hit_rate", r == null ? 0 : r.hitRate())
                    .put("token_hit_rate", r == null ? 0 : r.tokenHitRate())
                    .put("saved_usd", SpendData.usd(r == null ? 0 : r.gatewaySavingsNanoUsd()));
        }
        SpendRow t = spend.total(p.since(), null);
        long read = t == null ? 0 : t.cacheReadTokens();
        long prompt = t == null ? 0 : t.inputTokens() + t.cacheWrite5mTokens() + t.cacheWrite1hTokens() + read;
        out.putObject("prompt_cache").put("read_tokens", read).put("prompt_tokens", prompt)
                .put("read_rate", prompt == 0 ? 0 : (double) read / prompt)
                .put("saved_usd", SpendData.usd(t == null ? 0 : t.providerCacheSavingsNanoUsd()));
        return out;
    }
}
