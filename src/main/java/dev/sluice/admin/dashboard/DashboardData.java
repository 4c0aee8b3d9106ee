package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.admin.AdminParts;
import dev.sluice.store.Database;
import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.time.Instant;

/**
 * The dashboard's data calls, {@code GET /admin/dashboard/api/<call>}: each checks its parameters ({@link Bounds})
 * before it runs and answers JSON. Blocking (database, budget counters): run on the dashboard's own workers ({@link DataWorkers}).
 * <pre>
 * summary?period=              totals and the series per hour (today) or day
 * breakdown?period=&amp;by=&amp;limit=   spend grouped by team, user, key, model, provider, tag:NAME... (limit 1-100, default 20)
 * budgets                      every budget in force; spent vs limit, forecast, the action at the line
 * cache?period=                response-cache hits and dollars saved; prompt-cache reads
 * latency?period=              gateway, upstream and first-byte percentiles (sampled), errors by status
 * requests?period=&amp;limit=      the newest requests (limit 1-200, default 50)
 * requests/{id}                one request's attempts
 * </pre>
 * {@code period} is today, 7d (default), 30d or month.
 */
final class DashboardData implements Dashboard.Data {
    static final String API = Dashboard.PREFIX + "/api/";

    private final SpendData spend;
    private final BudgetData budgets;
    private final CacheData cache;
    private final RecentRequests recent;
    private final RequestAttempts attempts;
    private final LatencyData latency;

    DashboardData(AdminParts parts, Database db) {
        this.spend = new SpendData(parts.reports());
        this.budgets = new BudgetData(parts.budgets());
        this.cache = new CacheData(parts.cache(), spend);
        this.recent = new RecentRequests(db.dataSource());
        this.attempts = new RequestAttempts(db.dataSource());
        this.latency = new LatencyData(db.dataSource(), parts.reports());
    }

    /** True when {@code call} (the path after {@code /api/}) names a data call. */
    static boolean known(String call) {
        return switch (call) {
            case "summary", "breakdown", "budgets", "cache", "latency", "requests" -> true;
            default -> call.startsWith("requests/") && call.length() > "requests/".length() && call.indexOf('/', 9) < 0;
        };
    }

    @Override
    public ObjectNode answer(String call, MultiMap params, Instant now) {
        String name = "GET " + API + call;
        if (call.startsWith("requests/")) {
            new Bounds(params, name);
            return attempts.find(call.substring("requests/".length()));
        }
        return switch (call) {
            case "summary" -> spend.summary(period(new Bounds(params, name, "period"), now), now);
            case "breakdown" -> {
                Bounds b = new Bounds(params, name, "period", "by", "limit");
                yield spend.breakdown(period(b, now), b.text("by"), b.number("limit", 1, SpendData.MAX_ROWS, 20));
            }
            case "budgets" -> {
                new Bounds(params, name);
                yield budgets.all();
            }
            case "cache" -> cache.summary(period(new Bounds(params, name, "period"), now));
            case "latency" -> latency.summary(period(new Bounds(params, name, "period"), now));
            case "requests" -> {
                Bounds b = new Bounds(params, name, "period", "limit");
                yield recent.latest(period(b, now), b.number("limit", 1, RecentRequests.MAX_LIMIT, 50));
            }
            default -> throw ApiError.notFound("Not found: " + Bounds.shown(name));
        };
    }

    private static ReportPeriod period(Bounds b, Instant now) {
        return ReportPeriod.of(b.text("period"), now);
    }
}
