package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.report.CacheQuery;
import dev.sluice.cache.report.CacheReportRow;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Prints {@code sluice report --cache}: hit rates and savings per group, then near misses from a live gateway. */
final class CacheReportPrinter {
    private CacheReportPrinter() {
    }

    static void table(PrintWriter out, CacheQuery q, List<CacheReportRow> rows) {
        List<String> header = new ArrayList<>(q.groupBy());
        header.addAll(List.of("requests", "hits", "misses", "bypass", "hit_rate", "token_hit_rate", "saved_tokens",
                "saved_usd", "provider_cache_saved_usd", "cost_usd"));
        List<List<String>> lines = new ArrayList<>();
        for (CacheReportRow r : rows) {
            List<String> cells = new ArrayList<>();
            q.groupBy().forEach(d -> cells.add(r.group().get(d) == null ? "(none)" : r.group().get(d)));
            cells.addAll(List.of(n(r.requests()), n(r.hits() + r.semanticHits()), n(r.misses()), n(r.bypasses()),
                    pct(r.hitRate()), pct(r.tokenHitRate()), n(r.savedInputTokens() + r.savedOutputTokens()),
                    usd(r.savedUsd()), usd(r.providerCacheSavedUsd()), usd(r.costUsd())));
            lines.add(cells);
        }
        TextTable.print(out, "cache activity in this period", header, lines);
    }

    static void csv(PrintWriter out, CacheQuery q, List<CacheReportRow> rows) {
        List<String> header = new ArrayList<>(q.groupBy());
        header.addAll(List.of("requests", "hits", "semantic_hits", "misses", "bypasses", "hit_rate", "token_hit_rate",
                "saved_input_tokens", "saved_output_tokens", "missed_input_tokens", "gateway_cache_savings_usd",
                "provider_cache_savings_usd", "cost_usd"));
        out.println(String.join(",", header));
        for (CacheReportRow r : rows) {
            List<String> cells = new ArrayList<>();
            q.groupBy().forEach(d -> cells.add(csvCell(r.group().get(d))));
            cells.addAll(List.of(Long.toString(r.requests()), Long.toString(r.hits()), Long.toString(r.semanticHits()),
                    Long.toString(r.misses()), Long.toString(r.bypasses()), rate(r.hitRate()), rate(r.tokenHitRate()),
                    Long.toString(r.savedInputTokens()), Long.toString(r.savedOutputTokens()), Long.toString(r.missedInputTokens()),
                    r.savedUsd().toPlainString(), r.providerCacheSavedUsd().toPlainString(), r.costUsd().toPlainString()));
            out.println(String.join(",", cells));
        }
    }

    /** The near misses of {@code GET /admin/cache/prefixes}. */
    static void nearMisses(PrintWriter out, AdminClient.Result r) {
        if (!r.ok()) {
            out.println("near misses: the gateway answered " + r.status() + ": " + r.body());
            return;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            out.println("near misses: not JSON from the gateway");
            return;
        }
        List<List<String>> lines = new ArrayList<>();
        for (JsonNode m : body.path("near_misses")) {
            lines.add(List.of(m.path("prefix").asText().substring(0, Math.min(16, m.path("prefix").asText().length())),
                    m.path("org").asText(), m.path("model").asText(), n(m.path("misses").asLong()),
                    n(m.path("request_tokens").asLong()), pct(m.path("coverage").asDouble())));
        }
        out.println();
        out.println("Top missed-but-near prompt prefixes (this gateway, since its start):");
        TextTable.print(out, "near misses", List.of("prefix", "org", "model", "misses", "missed_tokens", "prefix_share"), lines);
    }

    private static String csvCell(String v) {
        if (v == null) {
            return "";
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String n(long v) {
        return String.format("%,d", v);
    }

    private static String pct(double r) {
        return BigDecimal.valueOf(r * 100).setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    private static String rate(double r) {
        return BigDecimal.valueOf(r).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String usd(BigDecimal v) {
        return v.setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }
}
