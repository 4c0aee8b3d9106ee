package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * A simulated OpenAI {@code POST /v1/embeddings} (and Azure's deployment path): inputs are a string, an array of
 * strings or of token arrays; each gets a small deterministic unit vector, and the answer's
 * {@code usage.prompt_tokens} is what the simulator bills ({@link Tokenizer} for text, one per token for token arrays).
 */
final class OpenAiEmbeddingsSim {
    static final int DIMENSIONS = 8;
    private static final int MAX_INPUTS = 2048;
    /** Each component's size, so every vector has length 1. */
    private static final double COMPONENT = 1 / Math.sqrt(DIMENSIONS);

    private OpenAiEmbeddingsSim() {
    }

    static void embed(SimExchange exchange) {
        JsonNode body = json(exchange.body());
        String model = body.path("model").asText(null);
        if (model == null || model.isBlank()) {
            throw ApiException.invalidRequest("you must provide a model parameter");
        }
        JsonNode input = body.get("input");
        ArrayNode items = SimJson.MAPPER.createArrayNode();
        if (input != null && input.isTextual()) {
            items.add(input);
        } else if (input != null && input.isArray() && !input.isEmpty() && input.size() <= MAX_INPUTS) {
            items.addAll((ArrayNode) input);
        } else {
            throw ApiException.invalidRequest("'$.input' is invalid. Please check the API reference.");
        }
        ObjectNode answer = SimJson.object().put("object", "list");
        ArrayNode data = answer.putArray("data");
        int tokens = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            tokens += item.isTextual() ? Math.max(1, Tokenizer.count(item.asText())) : item.isArray() ? item.size() : 1;
            ObjectNode e = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode vector = e.putArray("embedding");
            int seed = item.toString().hashCode();
            for (int d = 0; d < DIMENSIONS; d++) {
                vector.add(((seed >>> d) & 1) == 1 ? COMPONENT : -COMPONENT);
            }
        }
        answer.put("model", model);
        answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        exchange.bill(null, model, false, 200, BilledUsage.Outcome.COMPLETED, CacheUsage.uncached(tokens), 0);
        exchange.response().putHeader("content-type", "application/json").putHeader("x-request-id", exchange.requestId())
                .setStatusCode(200).end(Buffer.buffer(SimJson.bytes(answer)));
    }

    private static JsonNode json(byte[] bytes) {
        try {
            JsonNode node = SimJson.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.invalidRequest("We could not parse the JSON body of your request.");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.invalidRequest("We could not parse the JSON body of your request.");
        }
    }
}
