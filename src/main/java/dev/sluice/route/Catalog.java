package dev.sluice.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.ConfigException;
import dev.sluice.config.RoutingConfig;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The models this gateway offers ({@code routing.models}) and the aliases callers may use for them.
 * An alias is resolved before rules are matched, and the resolved id is what goes upstream unless a
 * target renames it. Lists in Anthropic's shape with its cursor paging ({@code limit},
 * {@code after_id}, {@code before_id}), filtered to what the caller may use.
 */
final class Catalog {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;

    private final List<Entry> entries;
    private final Map<String, String> names;

    private Catalog(List<Entry> entries, Map<String, String> names) {
        this.entries = List.copyOf(entries);
        this.names = Map.copyOf(names);
    }

    /** One listed model. */
    record Entry(String id, String displayName, String createdAt) {
    }

    static Catalog compile(List<RoutingConfig.ModelEntry> models) {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            RoutingConfig.ModelEntry m = models.get(i);
            String at = "routing.models[" + i + "]";
            if (m.id() == null || m.id().isBlank() || names.containsKey(m.id())) {
                throw new ConfigException(at + ".id: '" + m.id() + "' (expected: a model id listed once, not also an alias)");
            }
            names.put(m.id(), m.id());
            String created = m.createdAt() == null ? "1970-01-01T00:00:00Z" : m.createdAt();
            try {
                Instant.parse(created);
            } catch (DateTimeParseException e) {
                throw new ConfigException(at + ".created-at: '" + created + "' (expected: an RFC 3339 time such as 2025-09-29T00:00:00Z)");
            }
            entries.add(new Entry(m.id(), m.displayName() == null ? m.id() : m.displayName(), created));
        }
        for (int i = 0; i < models.size(); i++) {
            for (String alias : models.get(i).aliases()) {
                if (alias == null || alias.isBlank() || names.containsKey(alias)) {
                    throw new ConfigException("routing.models[" + i + "].aliases: '" + alias
                            + "' (expected: a name that is no other model's id or alias)");
                }
                names.put(alias, models.get(i).id());
            }
        }
        return new Catalog(entries, names);
    }

    /** True when the operator listed models (then the gateway answers {@code GET /v1/models} itself). */
    boolean present() {
        return !entries.isEmpty();
    }

    /** The model id an alias stands for; any other name as it is. */
    String resolve(String model) {
        if (model == null) {
            return null;
        }
        String id = names.get(model);
        return id != null ? id : model;
    }

    /** {@code GET /v1/models/{id}}: the entry (an alias finds its model), or 404. */
    ObjectNode one(String id, Predicate<String> allowed) {
        String resolved = resolve(id);
        for (Entry e : entries) {
            if (e.id.equals(resolved) && allowed.test(e.id)) {
                return json(e);
            }
        }
        throw ApiError.notFound("model: '" + Bounded.text(id, 200) + "' is not offered on this gateway");
    }

    /** {@code GET /v1/models}: one page of the models the caller may use. */
    ObjectNode page(String limitText, String afterId, String beforeId, Predicate<String> allowed) {
        int limit = limit(limitText);
        List<Entry> visible = entries.stream().filter(e -> allowed.test(e.id)).toList();
        int from;
        int to;
        boolean more;
        if (beforeId != null) {
            to = index(visible, beforeId, "before_id");
            from = Math.max(0, to - limit);
            more = from > 0;
        } else {
            from = afterId == null ? 0 : index(visible, afterId, "after_id") + 1;
            to = Math.min(visible.size(), from + limit);
            more = to < visible.size();
        }
        ObjectNode page = Json.MAPPER.createObjectNode();
        ArrayNode data = page.putArray("data");
        visible.subList(from, to).forEach(e -> data.add(json(e)));
        page.put("has_more", more);
        if (from < to) {
            page.put("first_id", visible.get(from).id).put("last_id", visible.get(to - 1).id);
        } else {
            page.putNull("first_id").putNull("last_id");
        }
        return page;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the error below names the value
        }
        throw ApiError.invalidRequest("limit: '" + Bounded.text(text, 200) + "' (expected: an integer from 1 to " + MAX_LIMIT + ")");
    }

    private static int index(List<Entry> visible, String id, String parameter) {
        for (int i = 0; i < visible.size(); i++) {
            if (visible.get(i).id.equals(id)) {
                return i;
            }
        }
        throw ApiError.invalidRequest(parameter + ": '" + Bounded.text(id, 200) + "' is not a listed model id");
    }

    private static ObjectNode json(Entry e) {
        return Json.MAPPER.createObjectNode().put("type", "model").put("id", e.id).put("display_name", e.displayName)
                .put("created_at", e.createdAt);
    }
}
