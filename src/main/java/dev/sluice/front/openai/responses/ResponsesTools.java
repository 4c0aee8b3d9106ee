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
 * chat door (the model still gets the schema). A {@code namespace} group's functions are offered under joined names
 * ({@link Namespaces}). {@code web_search} is left out of what the model is offered: it is an offer the model may
 * ignore, not an instruction, and Codex CLI sends it with every request, so refusing it would refuse Codex. The other
 * built-in tools (file search, code interpreter, computer use, MCP, image generation, shell, custom tools...) are
 * refused: no upstream behind the canonical form runs them for the client, and a request built around one would not
 * get what it asked for.
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
        java.util.Set<String> names = new java.util.HashSet<>();
        int i = 0;
        for (JsonNode tool : tools) {
            String at = "tools." + i++;
            String type = tool.path("type").asText("");
            if (type.equals("web_search") || type.equals("web_search_preview")) {
                continue;
            }
            if (type.equals("namespace")) {
                namespace(tool, at, out, names);
            } else {
                add(out, names, tool(tool, at, null), at);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** A group's functions, each under {@code <namespace>__<name>}; its description goes before each function's. */
    private static void namespace(JsonNode group, String at, ArrayNode out, java.util.Set<String> names) {
        JsonNode name = group.path("name");
        ResponsesFields.expect(at + ".name", name, name.isTextual() && TOOL_NAME.matcher(name.asText()).matches(),
                "a namespace name of letters, digits, _ or - (at most 64)");
        JsonNode inner = group.path("tools");
        ResponsesFields.expect(at + ".tools", group, inner.isArray() && !inner.isEmpty(), "a non-empty array of function tools");
        JsonNode description = group.get("description");
        if (description != null && !description.isNull()) {
            ResponsesFields.expect(at + ".description", description, description.isTextual(), "a string");
        }
        int j = 0;
        for (JsonNode tool : inner) {
            String innerAt = at + ".tools." + j++;
            ObjectNode t = (ObjectNode) tool(tool, innerAt, name.asText());
            if (description != null && description.isTextual() && !description.asText().isEmpty()) {
                t.put("description", "[" + name.asText() + ": " + description.asText() + "] " + t.path("description").asText(""));
            }
            add(out, names, t, innerAt);
        }
    }

    /** Adds a tool; two tools of one name (a joined name meeting a plain one, say) would be a call the client cannot route. */
    private static void add(ArrayNode out, java.util.Set<String> names, JsonNode tool, String at) {
        if (!names.add(tool.path("name").asText())) {
            throw ApiError.invalidRequest(at + ".name: " + Bounded.text(tool.path("name").asText(), 80)
                    + " names a second tool (expected: each tool name once, a namespace's as namespace__name)");
        }
        out.add(tool);
    }

    /** Anthropic's rule for a tool's name, which a namespace's joined names must keep too. */
    private static final java.util.regex.Pattern TOOL_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Whether {@code name} keeps the tool-name rule (a call sent back in the history is held to it too). */
    static boolean isToolName(String name) {
        return name.length() <= 64 && TOOL_NAME.matcher(name).matches();
    }

    /** A function tool, its name joined to {@code namespace} when it belongs to one (else null). */
    private static JsonNode tool(JsonNode tool, String at, String namespace) {
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
        if (namespace == null) {
            // OpenAI's rule for a function's name and Anthropic's alike: a name outside it was sent on and refused by
            // the upstream, a round trip later and in the upstream's words.
            ResponsesFields.expect(at + ".name", name, isToolName(name.asText()), "a name of letters, digits, _ or - (at most 64)");
            out.put("name", name.asText());
        } else {
            String joined = Namespaces.join(namespace, name.asText());
            ResponsesFields.expect(at + ".name", name, TOOL_NAME.matcher(joined).matches(), "a name of letters, digits, _ or - that "
                    + "with its namespace (" + namespace + "__) is at most 64 characters");
            out.put("name", joined);
        }
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
