package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
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
 * {@code sluice cache thresholds}: the semantic thresholds a running gateway proposes per model glob from the verdicts
 * it collected, with their evidence; {@code --apply} applies them as a new configuration version (on trial: rolled
 * back automatically if wrong-answer signals follow).
 */
@Command(name = "thresholds", description = "Semantic thresholds proposed per model glob from the verdicts, with their evidence; --apply applies them.",
        footer = {"", "Examples:", "  sluice cache thresholds --since 7d", "  sluice cache thresholds --apply"})
final class CacheThresholdsCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Spec
    CommandSpec spec;

    @Option(names = "--since", defaultValue = "7d", paramLabel = "AGE", description = "Captured traffic to weigh (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--apply", description = "Apply the proposal as a new configuration version.")
    boolean apply;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CliException("--format: " + format + " (expected: table or json)");
        }
        AdminClient.Result r = apply ? admin.call("POST", "/admin/cache/semantic/proposal/apply", "{}")
                : admin.call("GET", "/admin/cache/semantic/proposal?since=" + since);
        PrintWriter out = spec.commandLine().getOut();
        if (r.status() != 200 || format.equals("json")) {
            (r.status() == 200 ? out : spec.commandLine().getErr()).println(r.body());
            out.flush();
            return r.status() == 200 ? 0 : 1;
        }
        table(out, Json.MAPPER.readTree(r.body()));
        out.flush();
        return 0;
    }

    static void table(PrintWriter out, JsonNode p) {
        out.printf("%d verdicts, error bound %s, floor %s%s%n%n", p.path("verdicts").asInt(), p.path("error_bound").asText(),
                p.path("floor").asText(), p.has("version") ? "; applied as configuration version " + p.path("version").asInt() : "");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : p.path("proposals")) {
            JsonNode e = r.path("evidence");
            rows.add(List.of(r.path("glob").asText(), r.path("current").asText(), r.path("proposed").asText(),
                    r.path("change").asText(), e.path("right").asText() + "/" + e.path("wrong").asText(),
                    e.path("hits_at_current").asText() + " -> " + e.path("hits_at_proposed").asText(), r.path("why").asText()));
        }
        TextTable.print(out, "proposals", List.of("GLOB", "CURRENT", "PROPOSED", "CHANGE", "RIGHT/WRONG", "HITS", "WHY"), rows);
    }
}
