package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.budget.BudgetAdmin;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.time.Duration;
import java.util.Map;

/**
 * Budgets for the dashboard: {@link BudgetAdmin#list()} (what {@code GET /admin/budgets} shows) with, for each budget
 * that covers one entity, its standings from {@link BudgetAdmin#status} (what {@code GET /admin/budgets/status}
 * shows: spent, limit, percent, the period-end forecast). A budget on each member of a level ({@code id: "*"}) has
 * one standing per member, so the page shows its definition and leaves standings to the per-member status call.
 */
final class BudgetData {
    /** Standings are one engine call each: beyond this many budgets the rest are listed without them. */
    static final int MAX_STANDINGS = 100;
    /**
     * Each standing may wait for the counters' store (up to 10 s in {@code BudgetAdmin} when Redis is slow): past this
     * much time, or after one 503, the rest are listed without standings, so one call never holds a worker for minutes.
     */
    static final Duration TIME_FOR_STANDINGS = Duration.ofSeconds(5);

    private final BudgetAdmin budgets;

    BudgetData(BudgetAdmin budgets) {
        this.budgets = budgets;
    }

    ObjectNode all() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (budgets == null) {
            return out.put("available", false);
        }
        ObjectNode list = budgets.list();
        out.put("available", true);
        ArrayNode rows = out.putArray("budgets");
        int standings = 0;
        long deadline = System.nanoTime() + TIME_FOR_STANDINGS.toNanos();
        String skipped = null; // why the remaining budgets go without standings
        for (JsonNode b : list.path("budgets")) {
            ObjectNode row = ((ObjectNode) b).deepCopy();
            row.put("at_line", atLine(b.path("thresholds")));
            if ("*".equals(b.path("id").asText())) {
                row.put("each", true);
            } else {
                if (skipped == null) {
                    skipped = ++standings > MAX_STANDINGS ? "not shown: more than " + MAX_STANDINGS + " budgets (GET /admin/budgets/status)"
                            : System.nanoTime() > deadline ? "not shown: the budget counters answered too slowly (GET /admin/budgets/status)"
                            : null;
                }
                if (skipped != null) {
                    row.put("standing_error", skipped);
                } else if (!standing(row, b)) {
                    skipped = "not shown: the budget counters did not answer";
                }
            }
            rows.add(row);
        }
        out.set("warnings", list.has("warnings") ? list.get("warnings") : Json.MAPPER.createArrayNode());
        return out;
    }

    /** Adds the budget's standings; false when the counters' store did not answer (then the next would wait too). */
    private boolean standing(ObjectNode row, JsonNode b) {
        try {
            ObjectNode status = budgets.status(who(b.path("level").asText(), b.path("id").asText()));
            ArrayNode mine = row.putArray("standings");
            for (JsonNode s : status.path("standings")) {
                if (b.path("name").asText().equals(s.path("budget").asText())) {
                    mine.add(s);
                }
            }
            return true;
        } catch (RuntimeException e) {
            // An entity since deleted, or counters that do not answer: the rest of the page still shows.
            row.put("standing_error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return !(e instanceof ApiError a && a.status() == 503);
        }
    }

    private Identity who(String level, String id) {
        return switch (level) {
            case "key" -> budgets.who(id, null, null, null, Map.of());
            case "user" -> budgets.who(null, id, null, null, Map.of());
            case "team" -> budgets.who(null, null, id, null, Map.of());
            case "org" -> budgets.who(null, null, null, id, Map.of());
            case "tag" -> {
                int eq = id.indexOf('=');
                yield budgets.who(null, null, null, null, Map.of(id.substring(0, eq), id.substring(eq + 1)));
            }
            default -> throw new IllegalArgumentException("budget level " + level + " (expected: org, team, user, key or tag)");
        };
    }

    /** What happens when spend reaches the limit: the action of the highest threshold at or below 100%, or none. */
    static String atLine(JsonNode thresholds) {
        String action = "none";
        int best = -1;
        for (JsonNode t : thresholds) {
            int at = t.path("at").asInt();
            if (at <= 100 && at >= best) {
                best = at;
                action = t.path("action").asText();
            }
        }
        return action;
    }
}
