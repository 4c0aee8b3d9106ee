package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.front.openai.ChatCompletionsRequest;
import dev.sluice.wire.ApiError;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * A simulated OpenAI chat-completions endpoint (OpenAI's path and Azure's deployment path). Keys come as
 * {@code Authorization: Bearer} or Azure's {@code api-key}. Requests are held to OpenAI's rules where gateways
 * go wrong: a {@code tool} message must answer a {@code tool_calls} id of an earlier assistant message, tool-call
 * arguments are strings, {@code stream_options} only with {@code stream}. The reply is planned like every other
 * (the request read through the front door's translation), with OpenAI's automatic prefix caching emulated by a
 * cache breakpoint at the end of the prompt; cache writes are reported and billed as plain input, as OpenAI does.
 * Reasoning follows the model's name ({@link OpenAiModels}): effort refused by models without reasoning, reasoning text
 * shown as {@code reasoning_content} by the models that show it.
 */
final class OpenAiSim {
    private OpenAiSim() {
    }

    static void authenticate(SimExchange exchange) {
        exchange.useWire(new OpenAiWire("unknown", false));
        String key = exchange.upstreamKey();
        if (key == null || key.startsWith(SimExchange.REVOKED_KEY_PREFIX)) {
            throw new ApiException(401, "invalid_api_key", "Incorrect API key provided.");
        }
    }

    static void chat(SimExchange exchange, SimDirectives directives) {
        JsonNode body = json(exchange.body());
        check(body);
        OpenAiModels.check(body);
        ChatCompletionsRequest.Translated t;
        try {
            t = ChatCompletionsRequest.translate(exchange.body());
        } catch (ApiError e) {
            throw ApiException.invalidRequest(e.getMessage());
        }
        ObjectNode canonical = (ObjectNode) json(t.canonical());
        canonical.putObject("cache_control").put("type", "ephemeral"); // OpenAI caches prompt prefixes by itself
        MessagesRequest request = MessagesRequest.parse(SimJson.bytes(canonical), true, null);
        if (!request.thinking() && OpenAiModels.alwaysThinks(t.model())) {
            request = new MessagesRequest(request.model(), request.maxTokens(), request.stream(), true, request.tools(),
                    request.system(), request.messages(), request.cacheControl(), request.chosenTool(), request.outputSchema());
        }
        OpenAiWire wire = new OpenAiWire(t.model(), t.includeUsage());
        exchange.useWire(wire);
        MessagesHandler.serve(exchange, directives, request, wire,
                c -> new CacheUsage(c.inputTokens() + c.cacheCreationInputTokens(), c.cacheReadInputTokens(), 0, 0));
    }

    /** The OpenAI rules the translation must respect, with OpenAI's messages. */
    static void check(JsonNode body) {
        boolean stream = body.path("stream").asBoolean(false);
        if (body.has("stream_options") && !stream) {
            throw ApiException.invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        Set<String> callIds = new HashSet<>();
        int i = 0;
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asText();
            for (JsonNode call : m.path("tool_calls")) {
                if (!call.path("function").path("arguments").isTextual()) {
                    throw ApiException.invalidRequest("Invalid type for 'messages[" + i + "].tool_calls[0].function.arguments':"
                            + " expected a string.");
                }
                callIds.add(call.path("id").asText());
            }
            if (role.equals("tool") && !callIds.contains(m.path("tool_call_id").asText())) {
                throw ApiException.invalidRequest("Invalid parameter: messages with role 'tool' must be a response to a"
                        + " preceeding message with 'tool_calls'.");
            }
            i++;
        }
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
