package dev.sluice.cli;

import static dev.sluice.cache.learn.Dollars.usd;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.replay.PolicyFile;
import dev.sluice.cache.learn.replay.ReplayPolicy;
import dev.sluice.cache.learn.replay.TrafficReplay;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice replay}: a capture replayed offline against cache policies, one line per policy: hit rate, dollars
 * saved, what was still spent, and wrong-answer risk (hits whose recorded answer differed).
 */
@Command(name = "replay", description = "Replay captured traffic against alternative cache policies (offline) and compare hit rate, dollars saved and wrong-answer risk.",
        footer = {"", "Without --policies: the capture as recorded, then one change at a time (exact keys, workspace-relative,",
                "whitespace normalisation, per-user scope, TTL 5m and 24h, namespaces ignored).", "",
                "Examples:", "  sluice replay --capture .sluice-data/cache-capture", "  sluice replay --capture day.jsonl --policies policies.yaml --format json"})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--capture", required = true, paramLabel = "PATH", description = "A capture file (sluice cache export) or a capture directory.")
    Path capture;

    @Option(names = "--policies", paramLabel = "FILE", description = "A YAML file of policies (see README: \"The cache learns: capture, misses, replay, advice\").")
    Path policies;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException("--format: '" + format + "' (expected: table or json)");
        }
        List<ReplayPolicy> list;
        CaptureFiles.Capture c;
        try {
            list = policies == null ? ReplayPolicy.defaults() : PolicyFile.read(policies);
            c = CaptureFiles.read(capture, 0, CaptureFiles.DEFAULT_MAX_SHAPES);
        } catch (IllegalArgumentException | IOException e) {
            throw new CliException(e.getMessage());
        }
        List<TrafficReplay.Result> results = TrafficReplay.run(c, list);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(json(c, results).toPrettyString());
        } else {
            out.printf("%d requests, %d busts%s%s%n%n", c.shapes().size(), c.busts().size(),
                    c.skipped() > 0 ? ", " + c.skipped() + " unreadable lines skipped" : "",
                    c.truncated() ? ", only the newest " + CaptureFiles.DEFAULT_MAX_SHAPES + " read" : "");
            List<List<String>> rows = new ArrayList<>();
            for (TrafficReplay.Result r : results) {
                rows.add(List.of(r.policy().name(), Long.toString(r.hits()), percent(r.hitRate()), "$" + usd(r.savedNanoUsd()),
                        "$" + usd(r.spentNanoUsd()), r.riskyHits() + " of " + r.compared()));
            }
            TextTable.print(out, "policies", List.of("POLICY", "HITS", "HIT RATE", "SAVED", "SPENT", "ANSWER DIFFERED"), rows);
            out.println();
            out.println("ANSWER DIFFERED: hits whose recorded answer differs from the answer the upstream gave that request;");
            out.println("for sampled requests an upper bound on wrong answers. The replayed store never evicts.");
        }
        out.flush();
        return 0;
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static ObjectNode json(CaptureFiles.Capture c, List<TrafficReplay.Result> results) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("requests", c.shapes().size()).put("busts", c.busts().size())
                .put("skipped_lines", c.skipped());
        ArrayNode list = out.putArray("policies");
        for (TrafficReplay.Result r : results) {
            list.addObject().put("policy", r.policy().name()).put("requests", r.requests()).put("cacheable", r.cacheable())
                    .put("hits", r.hits()).put("hit_rate", r.hitRate()).put("saved_usd", usd(r.savedNanoUsd()))
                    .put("spent_usd", usd(r.spentNanoUsd())).put("answer_differed", r.riskyHits()).put("answers_compared", r.compared())
                    .put("risk_rate", r.riskRate());
        }
        return out;
    }
}
