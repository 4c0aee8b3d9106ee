package dev.sluice.batches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/messages/batches}: the caller's own batches only, newest first, paged as Anthropic pages them
 * ({@code limit} 1 to 100, default 20; {@code after_id} for older, {@code before_id} for newer). The list comes from the
 * gateway's store (an upstream account holds every caller's batches); each batch's current state from its upstream.
 * A batch whose upstream or key a reload removed is left out until a reload brings them back.
 */
final class BatchList {
    static final int DEFAULT_LIMIT = 20;
    /** Anthropic allows 1,000; each listed batch is one upstream call for its state, so a page is held to 100. */
    static final int MAX_LIMIT = 100;

    private final BatchCalls calls;
    private final BatchCallRate rate;

    BatchList(BatchCalls calls, BatchCallRate rate) {
        this.calls = calls;
        this.rate = rate;
    }

    Future<BatchCalls.Answer> page(Identity who, HttpServerRequest req, String base) {
        String before = cursor(req, "before_id");
        String after = cursor(req, "after_id");
        if (before != null && after != null) {
            return Future.failedFuture(ApiError.invalidRequest("before_id and after_id: give one of them, not both"));
        }
        int limit = limit(req.getParam("limit"));
        return Vertx.currentContext().owner().executeBlocking(() -> calls.store.page(who.keyId(), before, after, limit), false)
                .compose(page -> {
                    if (page == null) {
                        return Future.failedFuture(ApiError.invalidRequest((after != null ? "after_id" : "before_id")
                                + ": not a Message Batch of this key"));
                    }
                    // one was paid as the call came in
                    return rate.take(who, page.rows().size() - 1).compose(paid -> states(page, req, base));
                });
    }

    /** The page of the caller's batches, each with its state as its upstream tells it. */
    private Future<BatchCalls.Answer> states(BatchStore.Page page, HttpServerRequest req, String base) {
        List<Future<BatchCalls.Answer>> states = new ArrayList<>();
        var snapshot = calls.live().current();
        for (BatchRow row : page.rows()) {
            if (!BatchUpstream.reachable(snapshot, row.upstream(), row.keyAlias())) {
                // A reload removed its upstream or key: left out, as a batch deleted at the upstream is, rather
                // than failing the caller's whole list; retrieving it names why, and a reload that brings the
                // upstream back lists it again.
                continue;
            }
            states.add(calls.forward(row, HttpMethod.GET, BatchesEndpoint.PATH + "/" + row.id(), req.headers()));
        }
        return Future.all(states).map(all -> render(states, page.hasMore(), base));
    }

    private static BatchCalls.Answer render(List<Future<BatchCalls.Answer>> states, boolean hasMore, String base) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (Future<BatchCalls.Answer> f : states) {
            BatchCalls.Answer a = f.result();
            if (a.status() == 404) {
                continue; // deleted at the upstream behind the gateway's back: no longer a batch to list
            }
            if (!a.ok()) {
                throw new ApiError(502, "api_error", "the upstream answered " + a.status() + " for one of the listed batches", true, null);
            }
            try {
                data.add(Json.MAPPER.readTree(BatchesEndpoint.withGatewayUrl(a.body().getBytes(), base)));
            } catch (IOException e) {
                throw ApiError.badGateway("the upstream answered a listed batch with a body that is not JSON");
            }
        }
        out.put("has_more", hasMore);
        out.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
        out.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
        return new BatchCalls.Answer(200, "application/json", Buffer.buffer(out.toString()));
    }

    private static String cursor(HttpServerRequest req, String name) {
        String v = req.getParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > 128) {
            throw ApiError.invalidRequest(name + ": longer than 128 characters (expected: a Message Batch id)");
        }
        return v;
    }

    private static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiError.invalidRequest("limit: '" + dev.sluice.respond.Replies.bounded(raw) + "' (expected: 1 to " + MAX_LIMIT + ")");
    }
}
