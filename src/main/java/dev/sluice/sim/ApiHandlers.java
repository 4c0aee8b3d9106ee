package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;

/** The small read-only endpoints: count_tokens and the model list. */
final class ApiHandlers {

    private ApiHandlers() {
    }

    /** {@code POST /v1/messages/count_tokens}: the same input total a Messages call would bill. */
    static void countTokens(SimExchange exchange) {
        MessagesRequest request = MessagesRequest.parse(exchange.body(), false,
                exchange.request().getHeader("anthropic-beta"));
        int tokens = PromptLayout.of(request).totalTokens();
        exchange.sendJson(SimJson.object().put("input_tokens", tokens));
    }

    /** {@code GET /v1/models}. */
    static void listModels(SimExchange exchange) {
        MultiMap query = exchange.request().params();
        String afterId = query.get("after_id");
        String beforeId = query.get("before_id");
        if (afterId != null && beforeId != null) {
            throw ApiException.invalidRequest("after_id and before_id cannot be combined (got after_id='"
                    + afterId + "', before_id='" + beforeId + "')");
        }
        exchange.sendJson(exchange.sim().models().page(limit(query.get("limit")), afterId, beforeId));
    }

    /** {@code GET /v1/models/{id}}. */
    static void getModel(SimExchange exchange, String id) {
        ObjectNode model = exchange.sim().models().find(id);
        if (model == null) {
            throw ApiException.notFound("model: " + id);
        }
        exchange.sendJson(model);
    }

    private static int limit(String value) {
        if (value == null) {
            return ModelCatalog.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= ModelCatalog.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the error naming the value
        }
        throw ApiException.invalidRequest("limit: '" + value + "' (expected: an integer 1.." + ModelCatalog.MAX_LIMIT + ")");
    }
}
