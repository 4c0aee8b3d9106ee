package dev.sluice.admin;

import static dev.sluice.admin.DirectoryEndpoints.ok;
import static dev.sluice.admin.Endpoint.read;
import static dev.sluice.admin.Endpoint.write;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.prompt.PrefixStats;
import dev.sluice.cache.report.CacheAdmin;
import dev.sluice.cache.report.CacheQuery;
import dev.sluice.cache.report.CacheReportRow;
import dev.sluice.cache.stage.CacheService;
import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpMethod;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The response cache in the admin API:
 * <pre>
 * GET  /admin/cache                                   this replica's counters and store occupancy
 * POST /admin/cache/bust {org, scope, namespace?}     bust a scope (org, team:ID, user:ID, key:ID) or one namespace of it
 * GET  /admin/cache/report?by=repo,user&amp;since=7d&amp;until=   hit rates (requests, prompt tokens), dollars saved
 * GET  /admin/cache/prefixes?top=20                   prompt prefixes: re-reads, 1-hour TTL advice, near misses
 * GET  /admin/cache/semantic?recent=50                semantic cache: mode, lookups, shadow verdicts, signals
 * </pre>
 */
final class CacheEndpoints {
    private CacheEndpoints() {
    }

    static List<Endpoint> all(CacheAdmin cache) {
        return List.of(
                read("/admin/cache", c -> {
                    c.allowQuery();
                    return ok(status(cache.status()));
                }),
                write(HttpMethod.POST, "/admin/cache/bust", c -> {
                    JsonBody body = c.json("org", "scope", "namespace");
                    String org = body.requiredText("org", "acme");
                    String scope = body.requiredText("scope", "org");
                    String namespace = body.has("namespace") ? body.text("namespace") : null;
                    try {
                        long generation = cache.bust(org, scope, namespace);
                        return ok(JsonBody.MAPPER.createObjectNode().put("org", org).put("scope", scope)
                                .put("namespace", namespace).put("generation", generation).put("busted", true));
                    } catch (IllegalStateException e) {
                        throw new ApiError(503, "api_error", e.getMessage(), true, null);
                    }
                }),
                read("/admin/cache/report", c -> {
                    c.allowQuery("by", "since", "until");
                    String since = c.query("since");
                    String until = c.query("until");
                    CacheQuery q;
                    try {
                        q = new CacheQuery(CacheQuery.dimensions(c.query("by")),
                                SpendEndpoints.time("since", since == null ? "7d" : since, c.now()),
                                until == null ? null : SpendEndpoints.time("until", until, c.now()));
                    } catch (IllegalArgumentException e) {
                        throw ApiError.invalidRequest(e.getMessage());
                    }
                    return ok(report(q, cache.report(q)));
                }),
                read("/admin/cache/semantic", c -> {
                    c.allowQuery("recent");
                    String recent = c.query("recent");
                    return ok(SemanticStatus.json(cache.semantic(), recent == null ? 50 : top(recent)));
                }),
                read("/admin/cache/prefixes", c -> {
                    c.allowQuery("top");
                    int top = top(c.query("top"));
                    return ok(prefixes(cache.prefixes(top), cache.nearMisses(top)));
                }));
    }

    static int top(String text) {
        if (text == null) {
            return 20;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.invalidRequest("query parameter top: \"" + text + "\" (expected: a number from 1 to 1000)");
    }

    private static ObjectNode status(CacheAdmin.Status s) {
        ObjectNode out = JsonBody.MAPPER.createObjectNode().put("ready", s.ready()).put("store", s.store());
        out.putObject("lookups").put("hit", s.counts().hits()).put("miss", s.counts().misses()).put("bypass", s.counts().bypasses())
                .put("pinned_miss", s.counts().pinnedMisses());
        out.putObject("stores").put("shared", s.counts().storedShared()).put("pinned", s.counts().stored() - s.counts().storedShared())
                .put("refused", s.counts().notStored()).put("in_progress", s.storing());
        out.putObject("entries").put("count", s.stats().entries()).put("bytes", s.stats().bytes())
                .put("budget_bytes", s.stats().budgetBytes()).put("evictions", s.stats().evictions());
        return out;
    }

    static ObjectNode report(CacheQuery q, List<CacheReportRow> rows) {
        ObjectNode out = JsonBody.MAPPER.createObjectNode();
        ArrayNode by = out.putArray("by");
        q.groupBy().forEach(by::add);
        out.put("since", q.since() == null ? null : q.since().toString()).put("until", q.until() == null ? null : q.until().toString());
        ArrayNode data = out.putArray("data");
        for (CacheReportRow r : rows) {
            ObjectNode row = data.addObject();
            ObjectNode group = row.putObject("group");
            r.group().forEach(group::put);
            row.put("requests", r.requests()).put("hits", r.hits()).put("semantic_hits", r.semanticHits())
                    .put("misses", r.misses()).put("bypasses", r.bypasses())
                    .put("hit_rate", rate(r.hitRate())).put("token_hit_rate", rate(r.tokenHitRate()))
                    .put("saved_input_tokens", r.savedInputTokens()).put("saved_output_tokens", r.savedOutputTokens())
                    .put("missed_input_tokens", r.missedInputTokens())
                    .put("gateway_cache_savings_usd", usd(r.savedUsd())).put("provider_cache_savings_usd", usd(r.providerCacheSavedUsd()))
                    .put("cost_usd", usd(r.costUsd()));
        }
        return out;
    }

    private static ObjectNode prefixes(List<PrefixStats.Report> prefixes, List<CacheService.NearMiss> near) {
        ObjectNode out = JsonBody.MAPPER.createObjectNode();
        ArrayNode p = out.putArray("prefixes");
        for (PrefixStats.Report r : prefixes) {
            p.addObject().put("prefix", r.prefix()).put("model", r.model()).put("approx_tokens", r.tokens())
                    .put("sightings", r.sightings()).put("reread_within_5m", r.within5m()).put("reread_5m_to_1h", r.within1h())
                    .put("later", r.later()).put("one_hour_pays", r.oneHourPays())
                    .put("cost_5m_usd", usd(BigDecimal.valueOf(r.nanoUsd5m(), 9)))
                    .put("cost_1h_usd", usd(BigDecimal.valueOf(r.nanoUsd1h(), 9)))
                    .put("saved_by_1h_usd", usd(BigDecimal.valueOf(r.nanoUsdSavedBy1h(), 9)));
        }
        ArrayNode n = out.putArray("near_misses");
        for (CacheService.NearMiss m : near) {
            n.addObject().put("org", m.org()).put("prefix", m.prefix()).put("model", m.model()).put("misses", m.misses())
                    .put("prefix_tokens", m.prefixTokens()).put("request_tokens", m.requestTokens())
                    .put("coverage", rate(m.coverage()));
        }
        return out;
    }

    private static BigDecimal rate(double r) {
        return BigDecimal.valueOf(r).setScale(4, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal usd(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
