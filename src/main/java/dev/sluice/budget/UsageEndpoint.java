package dev.sluice.budget;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.authenticate.Callers;
import dev.sluice.config.LiveConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import dev.sluice.pipeline.Identity;
import io.vertx.core.http.HttpServerRequest;
import java.math.BigDecimal;

/**
 * {@code GET /api/oauth/usage}: the caller's standing in the shape Claude Code's {@code /usage}
 * screen reads ({@code extra_usage} in cents, plus a {@code limits} list).
 */
public final class UsageEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageEndpoint() {
    }

    public static ExtraRoute route(LiveConfig live, Callers callers, BudgetStage budget, SpendCounters counters) {
        return new ExtraRoute("/api/oauth/usage", req -> handle(req, live, callers, budget, counters));
    }

    private static void handle(HttpServerRequest req, LiveConfig live, Callers callers, BudgetStage budget, SpendCounters counters) {
        Identity who;
        try {
            who = callers.identify(live.current(), req.headers());
        } catch (ApiError e) {
            Replies.send(req.response(), e);
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode extra = body.putObject("extra_usage");
        extra.put("is_enabled", true);
        extra.put("currency", "USD");
        ArrayNode limits = body.putArray("limits");
        Standing s = budget.standing(who);
        if (s == null) {
            extra.putNull("monthly_limit");
            extra.put("used_credits", cents(counters.spent(SpendCounters.keyScope(who.keyId()))));
            extra.putNull("utilization");
        } else {
            extra.put("monthly_limit", cents(s.capNano()));
            extra.put("used_credits", cents(s.spentNano()));
            long pct = Math.round(Double.parseDouble(s.utilizationText()) * 100);
            extra.put("utilization", pct);
            ObjectNode limit = limits.addObject();
            limit.put("kind", "spend");
            limit.put("group", "monthly");
            limit.put("scope", s.scope());
            limit.put("percent", pct);
            limit.put("resets_at", s.resetsAt().toString());
            limit.put("severity", s.exceeded() || s.utilization() > 0.95 ? "critical" : s.utilization() > 0.75 ? "warning" : "normal");
            limit.put("is_active", true);
        }
        req.response().putHeader("content-type", "application/json").end(body.toString());
    }

    private static long cents(long nanoUsd) {
        return BigDecimal.valueOf(nanoUsd).movePointLeft(7).longValue();
    }
}
