package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice budgets set|list|status|delete}: budgets of a running gateway, through its admin API. */
final class BudgetsAdminCommands {
    private BudgetsAdminCommands() {
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set a budget on the running gateway (replaces one of the same name; recorded in its audit log).",
            footer = {"", "Examples:",
                    "  sluice budgets set payments --level team --id payments --usd 500 --period monthly \\",
                    "      --threshold 75:alert --threshold 90:degrade --threshold 100:block --contact '#payments-eng'",
                    "  sluice budgets set copilot --file copilot.yaml      (the keys of a budgets.list entry)"})
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminClient admin;
        @Parameters(index = "0", paramLabel = "NAME", description = "The budget's name.")
        String name;
        @Option(names = "--file", paramLabel = "FILE", description = "The budget as YAML or JSON (the keys of a budgets.list entry).")
        Path file;
        @Option(names = "--level", description = "org, team, user, key or tag.")
        String level;
        @Option(names = "--id", description = "The entity's id, '*' for each one, or name=value for a tag.")
        String id;
        @Option(names = "--usd", description = "Amount in USD.")
        java.math.BigDecimal usd;
        @Option(names = "--tokens", description = "Amount in tokens.")
        Long tokens;
        @Option(names = "--token-kind", description = "input, output or total (default total).")
        String tokenKind;
        @Option(names = "--period", description = "daily, weekly, monthly or 'rolling 7d' (default monthly).")
        String period;
        @Option(names = "--threshold", paramLabel = "PCT:ACTION", description = "A threshold such as 90:degrade (repeatable; default 75/90 alert, 100 block).")
        List<String> thresholds = new ArrayList<>();
        @Option(names = "--degrade", split = ",", description = "The degrade chain, most expensive first.")
        List<String> degrade;
        @Option(names = "--contact", description = "Whom a blocked developer should ask.")
        String contact;

        @Override
        public Integer call() {
            ObjectNode body = file != null ? fromFile() : fromOptions();
            return print(spec, admin.call("PUT", "/admin/budgets/" + enc(name), body.toString()));
        }

        private ObjectNode fromFile() {
            try {
                var parsed = BudgetRules.parseEntry(file.toString(), Files.readString(file));
                return Json.MAPPER.convertValue(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(parsed)), ObjectNode.class);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--file: cannot read " + file + " (" + e.getMessage() + ")");
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        private ObjectNode fromOptions() {
            if (level == null || id == null || (usd == null && tokens == null)) {
                throw new ParameterException(spec.commandLine(), "give --level, --id and --usd and/or --tokens (or --file)");
            }
            ObjectNode b = Json.MAPPER.createObjectNode().put("level", level).put("id", id);
            if (usd != null) {
                b.put("usd", usd);
            }
            if (tokens != null) {
                b.put("tokens", tokens);
            }
            if (tokenKind != null) {
                b.put("token-kind", tokenKind);
            }
            if (period != null) {
                b.put("period", period);
            }
            if (!thresholds.isEmpty()) {
                var list = b.putArray("thresholds");
                for (String t : thresholds) {
                    String[] p = t.split(":", 2);
                    if (p.length != 2 || !p[0].matches("\\d{1,4}")) {
                        throw new ParameterException(spec.commandLine(), "--threshold: '" + t + "' (expected: PERCENT:ACTION such as 90:degrade)");
                    }
                    list.addObject().put("at", Integer.parseInt(p[0])).put("action", p[1]);
                }
            }
            if (degrade != null) {
                degrade.forEach(b.putArray("degrade")::add);
            }
            if (contact != null) {
                b.putObject("owner").put("contact", contact);
            }
            return b;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the budgets in force on the running gateway.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminClient admin;

        @Override
        public Integer call() throws IOException {
            AdminClient.Result r = admin.call("GET", "/admin/budgets");
            if (!r.ok()) {
                return print(spec, r);
            }
            JsonNode all = Json.MAPPER.readTree(r.body());
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode b : all.path("budgets")) {
                List<String> limits = new ArrayList<>();
                b.path("limits").forEach(l -> limits.add(l.path("amount").asText() + " " + l.path("metric").asText()));
                List<String> th = new ArrayList<>();
                b.path("thresholds").forEach(t -> th.add(t.path("at").asInt() + "% " + t.path("action").asText()));
                rows.add(List.of(b.path("name").asText(), b.path("level").asText() + " " + b.path("id").asText(), String.join(", ", limits),
                        b.path("period").asText(), String.join(", ", th), b.path("source").asText()
                                + (b.has("updated_by") ? " (" + b.path("updated_by").asText() + ")" : "")));
            }
            PrintWriter out = spec.commandLine().getOut();
            TextTable.print(out, "budgets", List.of("NAME", "COVERS", "AMOUNT", "PERIOD", "THRESHOLDS", "SOURCE"), rows);
            all.path("warnings").forEach(w -> out.println("warning: " + w.asText()));
            out.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Where a key, user, team, org or tag stands on every budget that applies, with the period-end forecast.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminClient admin;
        @Option(names = "--key") String key;
        @Option(names = "--user") String user;
        @Option(names = "--team") String team;
        @Option(names = "--org") String org;
        @Option(names = "--tag", paramLabel = "NAME=VALUE") List<String> tags = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            StringBuilder q = new StringBuilder();
            add(q, "key", key);
            add(q, "user", user);
            add(q, "team", team);
            add(q, "org", org);
            tags.forEach(t -> add(q, "tag", t));
            AdminClient.Result r = admin.call("GET", "/admin/budgets/status" + q);
            if (!r.ok()) {
                return print(spec, r);
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode s : Json.MAPPER.readTree(r.body()).path("standings")) {
                JsonNode f = s.path("forecast");
                int scale = scaleOf(s.path("spent"));
                String forecast = f.isMissingNode() ? "" : amount(f.path("period_end"), scale) + " (" + amount(f.path("low"), scale)
                        + "–" + amount(f.path("high"), scale) + ")";
                rows.add(List.of(s.path("budget").asText(), s.path("scope").asText() + ("budget".equals(s.path("line").asText()) ? ""
                        : " " + s.path("line").asText()), s.path("spent").asText() + " / " + s.path("amount").asText() + " "
                        + s.path("metric").asText(), s.path("percent").asText() + "%", s.path("resets_at").asText(),
                        s.path("blocked").asBoolean() ? "blocked" : "", forecast));
            }
            PrintWriter out = spec.commandLine().getOut();
            TextTable.print(out, "standings", List.of("BUDGET", "SCOPE", "SPENT", "USED", "RESETS", "", "PERIOD-END FORECAST (90%)"), rows);
            out.flush();
            return 0;
        }

        /** The forecast shows as many decimals as SPENT (at least 2): 0.001827 spent is not a 0.00 forecast. */
        static int scaleOf(JsonNode spent) {
            try {
                return Math.max(2, new java.math.BigDecimal(spent.asText()).stripTrailingZeros().scale());
            } catch (NumberFormatException e) {
                return 2;
            }
        }

        static String amount(JsonNode n, int scale) {
            return java.math.BigDecimal.valueOf(n.asDouble()).setScale(scale, java.math.RoundingMode.HALF_UP).toPlainString();
        }

        private static void add(StringBuilder q, String name, String value) {
            if (value != null) {
                q.append(q.isEmpty() ? '?' : '&').append(name).append('=').append(enc(value));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a budget set through the admin API.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminClient admin;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return print(spec, admin.call("DELETE", "/admin/budgets/" + enc(name)));
        }
    }

    private static int print(CommandSpec spec, AdminClient.Result r) {
        PrintWriter out = r.ok() ? spec.commandLine().getOut() : spec.commandLine().getErr();
        out.println(r.body());
        out.flush();
        return r.ok() ? 0 : 1;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
