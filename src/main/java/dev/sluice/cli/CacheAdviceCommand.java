package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.learn.advice.AdviceJson;
import dev.sluice.cache.learn.advice.PromptAdvice;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice cache advice}: prompt-cache advice from the capture: prefixes a 1-hour TTL pays off for, and where a
 * breakpoint would let requests read more from the provider's cache, with dollars. From a gateway (its prices) or
 * offline from a capture ({@code --capture}, built-in prices).
 */
@Command(name = "advice", description = "Prompt-cache advice from captured traffic: which prefixes a 1-hour TTL pays off for, where breakpoints would help, in dollars.",
        footer = {"", "Examples:", "  sluice cache advice --since 7d", "  sluice cache advice --capture week.jsonl --format json"})
final class CacheAdviceCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Spec
    CommandSpec spec;

    @Mixin
    CaptureReportOptions report;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N", description = "Rows of each kind, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        if (top < 1 || top > 1000) {
            throw new CliException("--top: " + top + " (expected: 1 to 1000)");
        }
        return report.print(spec, admin, since -> "/admin/cache/advice?since=" + since + "&top=" + top,
                c -> AdviceJson.of(PromptAdvice.analyse(c, new Meter(PriceTable.builtIn()), top), report.since),
                CacheAdviceCommand::table);
    }

    private static void table(PrintWriter out, JsonNode r) {
        out.printf("%d requests went upstream since %s%n%nPrefixes re-read often enough that a 1-hour TTL would pay:%n",
                r.path("upstream_requests").asLong(), r.path("since").asText());
        List<List<String>> ttl = new ArrayList<>();
        for (JsonNode p : r.path("one_hour_ttl")) {
            if (p.path("one_hour_pays").asBoolean()) {
                ttl.add(List.of(p.path("prefix").asText(), p.path("model").asText(), p.path("approx_tokens").asText(),
                        p.path("sightings").asText(), p.path("reread_5m_to_1h").asText(), "$" + p.path("cost_5m_usd").asText(),
                        "$" + p.path("cost_1h_usd").asText(), "$" + p.path("saved_by_1h_usd").asText()));
            }
        }
        TextTable.print(out, "prefix a 1-hour TTL pays off for", List.of("PREFIX", "MODEL", "TOKENS", "SEEN", "5M-1H GAPS", "COST 5M", "COST 1H", "SAVED"), ttl);
        out.println();
        out.println("Where a cache_control breakpoint would let requests read a longer shared prefix:");
        List<List<String>> bps = new ArrayList<>();
        for (JsonNode b : r.path("breakpoints")) {
            bps.add(List.of(b.path("prefix").asText(), b.path("model").asText(), b.path("where").asText(), b.path("requests").asText(),
                    b.path("tokens_gained").asText(), "$" + b.path("saved_usd").asText()));
        }
        TextTable.print(out, "breakpoint that would pay", List.of("PREFIX", "MODEL", "BREAKPOINT AT", "REQUESTS", "TOKENS GAINED", "SAVED"), bps);
    }
}
