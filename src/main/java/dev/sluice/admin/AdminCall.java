package dev.sluice.admin;

import dev.sluice.wire.ApiError;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One admin request as a handler sees it on its worker thread: copied out of the Vert.x request, so nothing
 * here touches the connection.
 *
 * @param pathParams values of the {@code {name}} segments of the matched pattern
 * @param query      query parameters, each with all its values
 * @param body       the raw body (empty for none)
 * @param now        when the request arrived, for relative times such as {@code since=7d}
 * @param who        the admin credential's holder, for records of who changed what
 */
record AdminCall(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
                 byte[] body, Instant now, String who) {

    String param(String name) {
        return pathParams.get(name);
    }

    /** The body as a JSON object with only the given fields. */
    JsonBody json(String... allowed) {
        return JsonBody.parse(body, List.of(allowed));
    }

    /** Refuses query parameters other than {@code allowed}, so a misspelt filter is not silently ignored. */
    AdminCall allowQuery(String... allowed) {
        List<String> ok = List.of(allowed);
        for (String name : query.keySet()) {
            if (!ok.contains(name)) {
                throw ApiError.invalidRequest("query parameter " + name + ": not known on " + method + " " + path
                        + " (expected: " + (ok.isEmpty() ? "none" : String.join(", ", ok)) + ")");
            }
        }
        return this;
    }

    /** The single value of a query parameter, or null. */
    String query(String name) {
        List<String> values = query.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw ApiError.invalidRequest("query parameter " + name + ": given " + values.size() + " times (expected: once)");
        }
        return values.isEmpty() || values.getFirst().isBlank() ? null : values.getFirst();
    }

    List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }
}
