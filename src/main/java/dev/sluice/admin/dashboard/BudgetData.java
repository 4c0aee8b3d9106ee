package dev.sluice.admin.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.budget.BudgetAdmin;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
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
        for (JsonNode b : list.path("budgets")) {
            ObjectNode row = ((ObjectNode) b).deepCopy();
            row.put("at_line", atLine(b.path("thresholds")));
            if ("*".equals(b.path("id").asText())) {
                row.put("each", true);
            } else if (standings++ < MAX_STANDINGS) {
                standing(row, b);
            } else {
                row.put("standing_error", "not shown: more than " + MAX_STANDINGS + " budgets (GET /admin/budgets/status)");
            }
            rows.add(row);
        }
        out.set("warnings", list.has("warnings") ? list.get("warnings") : Json.MAPPER.createArrayNode());
        return out;
    }

    private void standing(ObjectNode row, JsonNode b) {
        try {
            ObjectNode status = budgets.status(who(b.path("level").asText(), b.path("id").asText()));
            ArrayNode mine = row.putArray("standings");
            for (JsonNode s : status.path("standings")) {
                if (b.path("name").asText().equals(s.path("budget").asText())) {
                    mine.add(s);
                }
            }
        } catch (RuntimeException e) {
            // An entity since deleted, or counters that do not answer: the rest of the page still shows.
            row.put("standing_error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
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
