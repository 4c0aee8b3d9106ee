package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.learn.misses.MissAnalysis;
import dev.sluice.cache.learn.misses.MissReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice cache misses}: why the cache missed, by pattern, with counts and dollars. From a running gateway's
 * admin API (its capture, costs from its ledger), or offline from a capture file or directory ({@code --capture}).
 */
@Command(name = "misses", description = "Why the response cache missed: each miss's nearest earlier request and the pattern, grouped with dollars.",
        footer = {"", "Examples:", "  sluice cache misses --since 7d", "  sluice cache misses --capture capture.jsonl --format json"})
final class CacheMissesCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureReportOptions report;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Misses listed one by one, 0 to 1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws IOException {
        if (limit < 0 || limit > 1000) {
            throw new CliException("--limit: " + limit + " (expected: 0 to 1000)");
        }
        return report.print(spec, admin, since -> "/admin/cache/misses?since=" + since + "&limit=" + limit + "&examples=3",
                c -> MissReportJson.of(MissAnalysis.analyse(c, Map.<String, Long>of()::get, 3, limit), report.since),
                CacheMissesCommand::table);
    }

    static void table(PrintWriter out, JsonNode r) {
        out.printf("%d requests since %s: %d hits, %d misses costing $%s (costs from the %s), %d bypasses%n%n",
                r.path("requests").asLong(), r.path("since").asText(), r.path("hits").asLong(), r.path("misses").asLong(),
                r.path("missed_usd").asText(), r.path("costs_from").asText(), r.path("bypasses").asLong());
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : r.path("patterns")) {
            JsonNode ex = p.path("examples").path(0);
            rows.add(List.of(p.path("pattern").asText(), p.path("count").asText(), "$" + p.path("usd").asText(),
                    ex.isMissingNode() ? "" : ex.path("detail").asText()));
        }
        TextTable.print(out, "misses", List.of("PATTERN", "MISSES", "COST", "EXAMPLE"), rows);
        List<List<String>> misses = new ArrayList<>();
        for (JsonNode m : r.path("requests_missed")) {
            misses.add(List.of(m.path("at").asText(), m.path("request_id").asText(), m.path("scope").asText(),
                    m.path("pattern").asText(), m.path("nearest").asText("-"), m.path("detail").asText()));
        }
        if (!misses.isEmpty()) {
            out.println();
            TextTable.print(out, "misses", List.of("AT", "REQUEST", "SCOPE", "PATTERN", "NEAREST", "DETAIL"), misses);
        }
    }
}
