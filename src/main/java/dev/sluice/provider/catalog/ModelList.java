package dev.sluice.provider.catalog;

import dev.sluice.pipeline.Bounded;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * A catalog as Anthropic's {@code GET /v1/models} answers: newest-first pages with {@code limit} (1..1000,
 * default 20), {@code after_id} and {@code before_id} cursors, {@code has_more}, {@code first_id} and
 * {@code last_id}; and {@code GET /v1/models/{id}}.
 */
final class ModelList {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;

    private ModelList() {
    }

    /** @throws ApiError 400 for a bad limit or an unknown cursor */
    static String page(List<CatalogEntry> models, MultiMap query) {
        int limit = limit(query.get("limit"));
        String after = query.get("after_id");
        String before = query.get("before_id");
        int from;
        int to;
        boolean more;
        if (before != null) {
            to = indexOf(models, before, "before_id");
            from = Math.max(0, to - limit);
            more = from > 0;
        } else {
            from = after == null ? 0 : indexOf(models, after, "after_id") + 1;
            to = Math.min(models.size(), from + limit);
            more = to < models.size();
        }
        StringBuilder sb = new StringBuilder(64 + 120 * (to - from)).append("{\"data\":[");
        for (int i = from; i < to; i++) {
            sb.append(i == from ? "" : ",").append(model(models.get(i)));
        }
        sb.append("],\"has_more\":").append(more).append(",\"first_id\":")
                .append(from < to ? q(models.get(from).id()) : "null").append(",\"last_id\":")
                .append(from < to ? q(models.get(to - 1).id()) : "null").append('}');
        return sb.toString();
    }

    /** One model, or null when the catalog does not list it. */
    static String one(List<CatalogEntry> models, String id) {
        for (CatalogEntry e : models) {
            if (e.id().equals(id)) {
                return model(e);
            }
        }
        return null;
    }

    static String model(CatalogEntry e) {
        return "{\"type\":\"model\",\"id\":" + q(e.id()) + ",\"display_name\":" + q(e.displayName()) + ",\"created_at\":"
                + q(e.createdAt()) + "}";
    }

    private static int limit(String s) {
        if (s == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw ApiError.invalidRequest("limit: '" + Replies.bounded(s) + "' (expected: an integer from 1 to " + MAX_LIMIT + ")");
    }

    private static int indexOf(List<CatalogEntry> models, String id, String parameter) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).id().equals(id)) {
                return i;
            }
        }
        throw ApiError.invalidRequest(parameter + ": '" + Bounded.text(id, 200) + "' is not a listed model id");
    }

    private static String q(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
