package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;

/**
 * Responses {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} as Anthropic's {@code tools} and
 * {@code tool_choice}. A Responses function tool is flat ({@code {"type":"function","name","description","parameters",
 * "strict"}}, not nested under {@code function} as in chat). {@code strict} is accepted and not enforced, as at the
 * chat door (the model still gets the schema). OpenAI's built-in tools (web search, file search, code interpreter,
 * computer use, MCP, image generation, shell, custom tools...) are refused: no upstream behind the canonical form runs
 * them for the client.
 */
final class ResponsesTools {
    private ResponsesTools() {
    }

    /** The canonical tools, or null when the request has none. */
    static ArrayNode tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return null;
        }
        if (!tools.isArray()) {
            throw ApiError.invalidRequest("tools: expected an array of tools such as [{\"type\":\"function\",\"name\":...}], got "
                    + Bounded.text(tools.toString(), 40));
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        int i = 0;
        for (JsonNode tool : tools) {
            out.add(tool(tool, "tools." + i++));
        }
        return out.isEmpty() ? null : out;
    }

    private static JsonNode tool(JsonNode tool, String at) {
        if (!tool.isObject()) {
            throw ApiError.invalidRequest(at + ": expected {\"type\":\"function\",\"name\":...}, got " + Bounded.text(tool.toString(), 40));
        }
        JsonNode type = tool.path("type");
        if (!type.asText("").equals("function")) {
            throw ApiError.invalidRequest(at + ".type: " + Bounded.text(type.toString(), 40) + " is not supported by this gateway "
                    + "(expected: function; OpenAI's built-in tools are not available through the gateway)");
        }
        JsonNode name = tool.path("name");
        ResponsesFields.expect(at + ".name", name, name.isTextual() && !name.asText().isEmpty(), "a non-empty string");
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("name", name.asText());
        JsonNode description = tool.get("description");
        if (description != null && !description.isNull()) {
            ResponsesFields.expect(at + ".description", description, description.isTextual(), "a string");
            out.put("description", description.asText());
        }
        JsonNode strict = tool.get("strict");
        if (strict != null && !strict.isNull()) {
            ResponsesFields.expect(at + ".strict", strict, strict.isBoolean(), "a boolean");
        }
        JsonNode params = tool.get("parameters");
        if (params == null || params.isNull()) {
            out.putObject("input_schema").put("type", "object").putObject("properties");
        } else {
            // A schema that is not an object replaced by "no parameters" would have the model call the tool without the
            // arguments the client's code expects.
            ResponsesFields.expect(at + ".parameters", params, params.isObject(), "a JSON Schema object");
            out.set("input_schema", params);
        }
        return out;
    }

    /**
     * The canonical {@code tool_choice} for {@code choice} ({@code none|auto|required|{"type":"function","name"}}) and
     * {@code parallel_tool_calls}, or null when the default (auto, parallel) stands or there are no tools.
     */
    static ObjectNode choice(JsonNode choice, JsonNode parallel, boolean anyTools) {
        String type = choiceType(choice);
        boolean serial = parallel != null && parallel.isBoolean() && !parallel.asBoolean();
        if (!anyTools || (type == null && !serial)) {
            return null;
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("type", type == null ? "auto" : type);
        if ("tool".equals(type)) {
            out.put("name", choice.get("name").asText());
        }
        if (serial && !"none".equals(type)) {
            out.put("disable_parallel_tool_use", true);
        }
        return out;
    }

    private static String choiceType(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "none" -> "none";
                case "auto" -> "auto";
                case "required" -> "any";
                default -> throw refused(choice);
            };
        }
        if (choice.isObject() && choice.path("type").asText("").equals("function") && choice.path("name").isTextual()) {
            return "tool";
        }
        throw refused(choice);
    }

    private static ApiError refused(JsonNode choice) {
        return ApiError.invalidRequest("tool_choice: " + Bounded.text(choice.toString(), 40) + " is not supported by this gateway "
                + "(expected: none, auto, required or {\"type\":\"function\",\"name\":...})");
    }
}
