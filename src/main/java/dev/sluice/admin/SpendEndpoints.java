package dev.sluice.admin;

import static dev.sluice.admin.DirectoryEndpoints.ok;
import static dev.sluice.admin.Endpoint.read;

import dev.sluice.config.Durations;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.wire.ApiError;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Spend reports from the ledger, with the same parameters as {@code sluice report}: {@code by} (comma list of
 * dimensions, default {@code model}), {@code since} (default {@code 7d}), {@code until}, and repeatable
 * {@code where=dim=value}.
 */
final class SpendEndpoints {
    private static final String[] PARAMS = {"by", "since", "until", "where"};

    private SpendEndpoints() {
    }

    static List<Endpoint> all(SpendReports reports) {
        return List.of(
                read("/admin/spend", c -> {
                    SpendQuery q = query(c);
                    return ok(AdminJson.spend(q, reports.report(q)));
                }),
                read("/admin/spend.csv", c -> {
                    SpendQuery q = query(c);
                    StringWriter csv = new StringWriter();
                    reports.exportCsv(q, csv);
                    return Reply.csv(csv.toString(), "sluice-spend.csv");
                }));
    }

    static SpendQuery query(AdminCall c) {
        c.allowQuery(PARAMS);
        String by = c.query("by");
        String since = c.query("since");
        String until = c.query("until");
        try {
            List<String> dims = new ArrayList<>();
            for (String d : (by == null ? "model" : by).split(",")) {
                if (!d.isBlank()) {
                    dims.add(d.trim());
                }
            }
            SpendQuery q = new SpendQuery(dims, time("since", since == null ? "7d" : since, c.now()),
                    until == null ? null : time("until", until, c.now()), null);
            for (String w : c.queryAll("where")) {
                int eq = w.indexOf('=');
                if (eq <= 0) {
                    throw ApiError.invalidRequest("query parameter where: \"" + w
                            + "\" (expected: dimension=value such as team=platform or tag:repo=api)");
                }
                q = q.where(w.substring(0, eq).trim(), w.substring(eq + 1).trim());
            }
            return q;
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
    }

    /** {@code 7d}-style durations count back from {@code now}; dates are UTC midnight; instants are ISO-8601. */
    static Instant time(String param, String text, Instant now) {
        String t = text.trim();
        try {
            return t.endsWith("w") ? now.minus(Durations.parse(t.substring(0, t.length() - 1) + "d").multipliedBy(7))
                    : now.minus(Durations.parse(t));
        } catch (IllegalArgumentException notADuration) {
            // a date or an instant, then
        }
        Instant at;
        try {
            at = t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw ApiError.invalidRequest("query parameter " + param + ": \"" + text
                    + "\" (expected: 30m, 24h, 7d, 2w, a date like 2026-11-01, or an instant like 2026-11-01T09:00:00Z)");
        }
        // Instant.parse takes years to ±1,000,000,000, past what the ledger's epoch milliseconds hold: such a report was a
        // 500 (an ArithmeticException reading the ledger) rather than the caller's error (attack round 34).
        if (at.isBefore(now.minus(Durations.MAX)) || at.isAfter(now.plus(Durations.MAX))) {
            throw ApiError.invalidRequest("query parameter " + param + ": \"" + text
                    + "\" (expected: an instant within 100 years of now)");
        }
        return at;
    }
}
