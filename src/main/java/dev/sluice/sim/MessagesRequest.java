package dev.sluice.sim;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;

/**
 * The parts of a Messages (or count_tokens) request body the simulator acts on, validated the way the real
 * API validates them. Unknown fields are ignored, never rejected.
 *
 * @param model        requested model id, echoed back
 * @param maxTokens    output cap; 0 for count_tokens, which has none
 * @param stream       whether to answer with SSE
 * @param thinking     extended thinking enabled or adaptive: emit a thinking block first
 * @param tools        tool definitions, possibly empty
 * @param system       system prompt: null, a string or an array of text blocks
 * @param messages     the conversation, never empty
 * @param cacheControl top-level automatic cache breakpoint, or null
 * @param chosenTool   the tool {@code tool_choice} forces ({@code {"type":"tool","name":N}}: N; {@code "any"}: the first
 *                     tool), or null: the real API always calls it, which clients' structured output relies on
 * @param outputSchema the JSON schema of {@code output_config.format} (or the older top-level {@code output_format}),
 *                     or null: the answer is then a JSON text that fits it, as native structured output is
 */
record MessagesRequest(String model, int maxTokens, boolean stream, boolean thinking, ArrayNode tools,
                       JsonNode system, ArrayNode messages, JsonNode cacheControl, String chosenTool, JsonNode outputSchema) {

    /**
     * Betas (prefixes of e.g. {@code mid-conversation-system-2026-04-07}, {@code per-turn-control-2026-07-01})
     * under which Claude Code sends role "system" inside messages; without one the real API refuses it.
     */
    static final java.util.List<String> SYSTEM_ROLE_BETAS = java.util.List.of("mid-conversation-system", "per-turn-control");

    /** Parses a body with no beta enabled; see {@link #parse(byte[], boolean, String)}. */
    static MessagesRequest parse(byte[] body, boolean requireMaxTokens) {
        return parse(body, requireMaxTokens, null);
    }

    /**
     * Parses and validates a body.
     *
     * @param requireMaxTokens true for {@code /v1/messages}, false for count_tokens
     * @param betas            the {@code anthropic-beta} header, or null; Claude Code sends
     *                         one of {@link #SYSTEM_ROLE_BETAS} and falls back when a 400 says it is unsupported
     * @throws ApiException 400 naming the first bad field
     */
    static MessagesRequest parse(byte[] body, boolean requireMaxTokens, String betas) {
        JsonNode root = readJson(body);
        if (!root.isObject()) {
            throw ApiException.invalidRequest("request body: expected a JSON object, got " + kind(root));
        }
        String model = model(root.get("model"));
        int maxTokens = requireMaxTokens ? maxTokens(root.get("max_tokens")) : 0;
        ArrayNode messages = messages(root.get("messages"), betas != null && SYSTEM_ROLE_BETAS.stream().anyMatch(betas::contains));
        JsonNode stream = root.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw ApiException.invalidRequest("stream: expected a boolean, got " + stream);
        }
        JsonNode tools = root.get("tools");
        if (tools != null && !tools.isNull() && !tools.isArray()) {
            throw ApiException.invalidRequest("tools: expected an array, got " + kind(tools));
        }
        JsonNode system = root.get("system");
        if (system != null && !system.isNull() && !system.isTextual() && !system.isArray()) {
            throw ApiException.invalidRequest("system: expected a string or an array of text blocks, got " + kind(system));
        }
        String thinkingType = root.path("thinking").path("type").asText("");
        if (requireMaxTokens) {
            ThinkingRules.check(root, maxTokens);
        }
        ArrayNode toolList = tools instanceof ArrayNode array ? array : SimJson.array();
        return new MessagesRequest(model, maxTokens, stream != null && stream.asBoolean(),
                thinkingType.equals("enabled") || thinkingType.equals("adaptive"), toolList,
                system == null || system.isNull() ? null : system, messages, root.get("cache_control"),
                chosenTool(root.path("tool_choice"), toolList), outputSchema(root));
    }

    /** The tool a {@code tool_choice} of type {@code tool} or {@code any} makes the model call. */
    private static String chosenTool(JsonNode choice, ArrayNode tools) {
        return switch (choice.path("type").asText("")) {
            case "tool" -> choice.path("name").asText(null);
            case "any" -> tools.isEmpty() ? null : tools.get(0).path("name").asText(null);
            default -> null;
        };
    }

    private static JsonNode outputSchema(JsonNode root) {
        JsonNode format = root.path("output_config").path("format");
        if (format.isMissingNode()) {
            format = root.path("output_format");
        }
        return format.path("type").asText("").equals("json_schema") && format.path("schema").isObject() ? format.get("schema") : null;
    }

    static JsonNode readJson(byte[] body) {
        if (body.length == 0) {
            throw ApiException.invalidRequest("request body is empty (expected: a JSON object)");
        }
        try {
            JsonNode root = SimJson.MAPPER.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw ApiException.invalidRequest("request body is blank (expected: a JSON object)");
            }
            return root;
        } catch (JacksonException e) {
            // A limit's exception (a number of 1,000+ digits) has no location: it answered a 500 "simulator bug".
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.invalidRequest("request body is not valid JSON: " + e.getOriginalMessage() + at);
        } catch (IOException e) {
            throw ApiException.invalidRequest("request body cannot be read: " + e.getMessage());
        }
    }

    private static String model(JsonNode model) {
        if (model == null) {
            throw ApiException.invalidRequest("model: Field required");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiException.invalidRequest("model: expected a non-empty string, got " + model);
        }
        return model.asText();
    }

    private static int maxTokens(JsonNode maxTokens) {
        if (maxTokens == null) {
            throw ApiException.invalidRequest("max_tokens: Field required");
        }
        if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.intValue() < 1) {
            throw ApiException.invalidRequest("max_tokens: expected an integer >= 1, got " + maxTokens);
        }
        return maxTokens.intValue();
    }

    private static ArrayNode messages(JsonNode messages, boolean systemRoleAllowed) {
        if (messages == null) {
            throw ApiException.invalidRequest("messages: Field required");
        }
        if (!(messages instanceof ArrayNode array)) {
            throw ApiException.invalidRequest("messages: expected an array, got " + kind(messages));
        }
        if (array.isEmpty()) {
            throw ApiException.invalidRequest("messages: at least one message is required");
        }
        for (int i = 0; i < array.size(); i++) {
            checkMessage(array.get(i), "messages." + i, systemRoleAllowed);
        }
        return array;
    }

    private static void checkMessage(JsonNode message, String where, boolean systemRoleAllowed) {
        if (!message.isObject()) {
            throw ApiException.invalidRequest(where + ": expected an object, got " + kind(message));
        }
        String role = message.path("role").asText("");
        if (role.equals("system") && !systemRoleAllowed) {
            throw ApiException.invalidRequest("messages: Unexpected role \"system\". The Messages API accepts a"
                    + " top-level `system` parameter, not \"system\" as an input message role.");
        }
        if (!role.equals("user") && !role.equals("assistant") && !role.equals("system")) {
            throw ApiException.invalidRequest(where + ".role: " + message.get("role")
                    + " (expected: \"user\" or \"assistant\")");
        }
        JsonNode content = message.get("content");
        if (content == null) {
            throw ApiException.invalidRequest(where + ".content: Field required");
        }
        if (content.isArray()) {
            for (int j = 0; j < content.size(); j++) {
                if (!content.get(j).path("type").isTextual()) {
                    throw ApiException.invalidRequest(where + ".content." + j
                            + ": expected a content block with a string \"type\", got " + content.get(j));
                }
            }
        } else if (!content.isTextual()) {
            throw ApiException.invalidRequest(where + ".content: expected a string or an array of content blocks, got "
                    + kind(content));
        }
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
