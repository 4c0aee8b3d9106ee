package dev.sluice.admin;

import static dev.sluice.admin.Endpoint.read;
import static dev.sluice.admin.Endpoint.writeRecorded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.budget.BudgetAdmin;
import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Budgets: {@code GET /admin/budgets} (every budget in force, from the configuration or set here, and the warnings),
 * {@code GET /admin/budgets/status?user=|key=|team=|org=[&tag=name=value]} (standings with forecasts),
 * {@code GET|PUT|DELETE /admin/budgets/{name}} (a body with the keys of a {@code budgets.list} entry; every change is
 * in the audit log with the admin key's name). The work is {@link BudgetAdmin}'s.
 */
final class BudgetEndpoints {
    private BudgetEndpoints() {
    }

    static List<Endpoint> all(BudgetAdmin budgets) {
        return List.of(
                read("/admin/budgets", c -> json(200, budgets.list())),
                read("/admin/budgets/status", c -> {
                    c.allowQuery("key", "user", "team", "org", "tag");
                    return json(200, budgets.status(budgets.who(c.query("key"), c.query("user"), c.query("team"), c.query("org"), tags(c))));
                }),
                read("/admin/budgets/{name}", c -> json(200, budgets.get(c.param("name")))),
                writeRecorded(HttpMethod.PUT, "/admin/budgets/{name}", c -> json(200, budgets.set(who(c), c.param("name"), c.body()))),
                writeRecorded(HttpMethod.DELETE, "/admin/budgets/{name}", c -> json(200, budgets.delete(who(c), c.param("name")))));
    }

    private static Map<String, String> tags(AdminCall c) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : c.queryAll("tag")) {
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw ApiError.invalidRequest("query parameter tag: \"" + t + "\" (expected: name=value such as repo=payments)");
            }
            tags.put(t.substring(0, eq), t.substring(eq + 1));
        }
        return Map.copyOf(tags);
    }

    private static String who(AdminCall c) {
        return c.who() == null ? "admin API" : c.who();
    }

    private static Reply json(int status, ObjectNode body) {
        return Reply.json(status, body.toString());
    }
}
