package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spend for the dashboard, every number from {@link SpendReports}: the query {@code sluice report} and
 * {@code /admin/spend} run, so the page cannot disagree with them. Totals and the series per day are one query
 * each; the series per hour (today) is one query per hour so far, as the ledger has no hour column (at most 24
 * range scans on the time index).
 */
final class SpendData {
    /** What a breakdown may group by: the report's dimensions a platform team charges back on, or a tag. */
    static final List<String> BREAKDOWNS = List.of("team", "user", "key", "key_alias", "model", "provider", "upstream_key",
            "org", "client", "cache_status", "status", "error_type");
    static final int MAX_ROWS = 100;

    private final SpendReports reports;

    SpendData(SpendReports reports) {
        this.reports = reports;
    }

    /** Totals of the period and its series (per hour today, else per day), zero-filled so the bars are evenly spaced. */
    ObjectNode summary(ReportPeriod p, Instant now) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        period(out, p);
        out.set("totals", row(total(p.since(), null)));
        ArrayNode series = out.putArray("series");
        if (p.hourly()) {
            Instant hour = p.since();
            Instant last = now.truncatedTo(ChronoUnit.HOURS);
            while (!hour.isAfter(last)) {
                Instant next = hour.plus(Duration.ofHours(1));
                // The current hour is left open-ended, like the totals, so the bars add up to them.
                series.add(row(total(hour, hour.equals(last) ? null : next)).put("start", hour.toString()));
                hour = next;
            }
        } else {
            Map<String, SpendRow> byDay = new HashMap<>();
            reports.forEachRow(new SpendQuery(List.of("day"), p.since(), null, Map.of()), r -> byDay.put(r.group().get("day"), r));
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            for (LocalDate d = LocalDate.ofInstant(p.since(), ZoneOffset.UTC); !d.isAfter(today); d = d.plusDays(1)) {
                SpendRow r = byDay.get(d.toString());
                series.add((r == null ? empty() : row(r)).put("start", d.atStartOfDay(ZoneOffset.UTC).toInstant().toString()));
            }
        }
        return out;
    }

    /** The period grouped by one dimension, costliest first: the first {@code limit} groups and the rest summed. */
    ObjectNode breakdown(ReportPeriod p, String by, int limit) {
        String dim = by == null ? "model" : by;
        if (!BREAKDOWNS.contains(dim) && !(dim.startsWith("tag:") && SpendQuery.isDimension(dim))) {
            throw ApiError.invalidRequest("query parameter by: \"" + Bounds.shown(dim) + "\" (expected one of: "
                    + String.join(", ", BREAKDOWNS) + ", or tag:<name> with a name of letters, digits, '_', '.', '-')");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        period(out, p);
        out.put("by", dim);
        ArrayNode rows = out.putArray("rows");
        long[] rest = new long[4]; // groups, requests, tokens, cost (nano-USD)
        reports.forEachRow(new SpendQuery(List.of(dim), p.since(), null, Map.of()), r -> {
            if (rows.size() < limit) {
                rows.add(row(r).put("value", r.group().get(dim)));
            } else {
                rest[0]++;
                rest[1] += r.requests();
                rest[2] += r.totalTokens();
                rest[3] += r.costNanoUsd();
            }
        });
        if (rest[0] > 0) {
            out.putObject("others").put("groups", rest[0]).put("requests", rest[1]).put("tokens", rest[2])
                    .put("cost_usd", usd(rest[3]));
        }
        return out;
    }

    /** One row over the whole period (a query without grouping always has exactly one). */
    SpendRow total(Instant since, Instant until) {
        List<SpendRow> rows = reports.report(new SpendQuery(List.of(), since, until, Map.of()));
        return rows.isEmpty() ? null : rows.getFirst();
    }

    static void period(ObjectNode out, ReportPeriod p) {
        out.putObject("period").put("name", p.name()).put("since", p.since().toString()).put("until", (String) null)
                .put("bucket", p.hourly() ? "hour" : "day").put("report_command", p.reportCommand());
    }

    static ObjectNode row(SpendRow r) {
        if (r == null) {
            return empty();
        }
        return Json.MAPPER.createObjectNode().put("requests", r.requests()).put("attempts", r.attempts())
                .put("input_tokens", r.inputTokens()).put("output_tokens", r.outputTokens())
                .put("cache_write_tokens", r.cacheWrite5mTokens() + r.cacheWrite1hTokens())
                .put("cache_read_tokens", r.cacheReadTokens()).put("tokens", r.totalTokens())
                .put("cost_usd", usd(r.costNanoUsd())).put("errors", r.errorRequests()).put("estimated", r.estimatedRequests())
                .put("provider_cache_savings_usd", usd(r.providerCacheSavingsNanoUsd()))
                .put("gateway_cache_savings_usd", usd(r.gatewayCacheSavingsNanoUsd()));
    }

    private static ObjectNode empty() {
        return row(new SpendRow(Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    /** Exact USD as a decimal string: a JSON number could turn 1E-9 into floating point on the way. */
    static String usd(long nano) {
        BigDecimal v = BigDecimal.valueOf(nano, 9).stripTrailingZeros();
        return (v.scale() < 0 ? v.setScale(0) : v).toPlainString();
    }
}
