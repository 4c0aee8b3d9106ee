package dev.sluice.cli;

import dev.sluice.cache.report.CacheQuery;
import dev.sluice.cache.report.CacheReportRow;
import dev.sluice.cache.report.CacheReports;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.io.PrintWriter;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice report}: spend and usage from the ledger, grouped by any dimension, as a table or chargeback CSV.
 * Reads the database only, so it is safe to run beside a live gateway.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Spend and usage from the ledger, grouped by any dimension, as a table or CSV.",
        footer = {"", "Dimensions: org, team, user, key, key_alias, model, requested_model, provider, upstream_key,",
                "session, day, month, client, endpoint, cache_status, status, error_type, tag:<name>.",
                "Examples:", "  sluice report --by team,model --since 7d",
                "  sluice report --by tag:repo,day --since 2026-11-01 --format csv > chargeback.csv",
                "  sluice report --cache --by repo,user --since 7d   (repo is the repo tag; add --url for near misses)"})
public final class ReportCommand implements Callable<Integer> {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([mhdw])");

    /** How the report is printed. */
    public enum Format { table, csv }

    @Spec
    CommandSpec spec;

    @Option(names = "--by", split = ",", paramLabel = "DIM", defaultValue = "model",
            description = "Comma list of dimensions to group by (default: ${DEFAULT-VALUE}).")
    List<String> by = new ArrayList<>();

    @Option(names = "--since", defaultValue = "7d", paramLabel = "WHEN",
            description = "Start: 30m, 24h, 7d, 2w ago, a date (2026-11-01, UTC) or an instant (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--until", paramLabel = "WHEN", description = "End, exclusive; same forms as --since (default: now).")
    String until;

    @Option(names = "--where", paramLabel = "DIM=VALUE", description = "Only records with this value; repeatable.")
    Map<String, String> where = new LinkedHashMap<>();

    @Option(names = "--format", defaultValue = "table", description = "table or csv (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--cache", description = "The response cache instead of spend: hit rates in requests and prompt tokens,"
            + " dollars saved (dimensions: org, team, user, key, model, day, month, client, repo, tag:<name>).")
    boolean cache;

    @Mixin
    StoreOptions store;

    @Mixin
    AdminClient admin;

    @Override
    public Integer call() {
        if (cache) {
            return cacheReport(Instant.now());
        }
        Instant now = Instant.now();
        SpendQuery query = query(now);
        try (Database database = Database.open(store.settings(spec, false))) {
            PrintWriter out = spec.commandLine().getOut();
            SpendReports reports = new SpendReports(database);
            if (format == Format.csv) {
                reports.exportCsv(query, out);
            } else {
                printTable(out, query, reports.report(query));
            }
            out.flush();
        }
        return 0;
    }

    private int cacheReport(Instant now) {
        if (!where.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--where is not supported with --cache");
        }
        CacheQuery query;
        try {
            query = new CacheQuery(by, parseTime(since, now), until == null ? null : parseTime(until, now));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = Database.open(store.settings(spec, false))) {
            List<CacheReportRow> rows = new CacheReports(database).report(query);
            if (format == Format.csv) {
                CacheReportPrinter.csv(out, query, rows);
            } else {
                CacheReportPrinter.table(out, query, rows);
            }
        }
        if (format == Format.table) {
            if (admin.configured()) {
                CacheReportPrinter.nearMisses(out, admin.call("GET", "/admin/cache/prefixes?top=10"));
            } else {
                out.println();
                out.println("(near misses live in the running gateway: add --url and --admin-key to see them)");
            }
        }
        out.flush();
        return 0;
    }

    private SpendQuery query(Instant now) {
        try {
            Instant from = parseTime(since, now);
            Instant to = until == null ? null : parseTime(until, now);
            SpendQuery q = new SpendQuery(by, from, to, Map.of());
            for (Map.Entry<String, String> e : where.entrySet()) {
                q = q.where(e.getKey(), e.getValue());
            }
            return q;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** {@code 7d}-style durations count back from {@code now}; dates are UTC midnight; instants are ISO-8601. */
    static Instant parseTime(String text, Instant now) {
        String t = text.trim();
        Matcher m = RELATIVE.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(Math.multiplyExact(7, n));
                };
                if (d.compareTo(dev.sluice.config.Durations.MAX) > 0) {
                    throw new ArithmeticException("too long");
                }
                return now.minus(d);
            }
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // a window past a hundred years overflowed: "Instant exceeds minimum or maximum instant", exit 1 (round 27)
            throw new IllegalArgumentException("time: \"" + text + "\" (expected: 30m, 24h, 7d, 2w up to 36500d, a date like"
                    + " 2026-11-01, or an instant like 2026-11-01T09:00:00Z)");
        }
    }

    static void printTable(PrintWriter out, SpendQuery q, List<SpendRow> rows) {
        List<String> header = new ArrayList<>(q.groupBy());
        header.addAll(List.of("requests", "input", "output", "cache_write", "cache_read", "cost_usd"));
        List<String[]> lines = new ArrayList<>();
        long[] total = new long[6];
        for (SpendRow r : rows) {
            List<String> cells = new ArrayList<>();
            q.groupBy().forEach(d -> cells.add(r.group().get(d) == null ? "(none)" : r.group().get(d)));
            long[] v = {r.requests(), r.inputTokens(), r.outputTokens(), r.cacheWrite5mTokens() + r.cacheWrite1hTokens(),
                    r.cacheReadTokens(), r.costNanoUsd()};
            for (int i = 0; i < v.length; i++) {
                total[i] += v[i];
            }
            lines.add(cells(cells, v));
        }
        if (q.groupBy().isEmpty() && rows.size() == 1) {
            total = null; // the single row already is the total
        }
        List<String> totalLabel = new ArrayList<>();
        for (int i = 0; i < q.groupBy().size(); i++) {
            totalLabel.add(i == 0 ? "TOTAL" : "");
        }
        String[] totalLine = total == null ? null : cells(totalLabel, total);
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (String[] l : lines) {
                width[i] = Math.max(width[i], l[i].length());
            }
            if (totalLine != null) {
                width[i] = Math.max(width[i], totalLine[i].length());
            }
        }
        int dims = q.groupBy().size();
        out.println(format(header.toArray(String[]::new), width, dims));
        lines.forEach(l -> out.println(format(l, width, dims)));
        if (totalLine != null) {
            out.println(format(totalLine, width, dims));
        }
    }

    private static String[] cells(List<String> labels, long[] v) {
        List<String> cells = new ArrayList<>(labels);
        for (int i = 0; i < v.length - 1; i++) {
            cells.add(String.format("%,d", v[i]));
        }
        cells.add(java.math.BigDecimal.valueOf(v[v.length - 1], 9).setScale(4, RoundingMode.HALF_EVEN).toPlainString());
        return cells.toArray(String[]::new);
    }

    /** Group columns left-aligned, numbers right-aligned. */
    private static String format(String[] cells, int[] width, int dims) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                s.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            s.append(i < dims ? cells[i] + pad : pad + cells[i]);
        }
        return s.toString().stripTrailing();
    }
}
