package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.provider.openai.JsonSpans;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.util.List;

/** OpenAI {@code tools}/{@code tool_choice}/{@code parallel_tool_calls} as Anthropic's {@code tools}/{@code tool_choice}. */
final class ChatTools {
    private ChatTools() {
    }

    private static final byte[] FUNCTION = "\"function\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Writes tools (each function's name, description and parameters copied as the client's bytes, and its
     * {@code cache_control}, a sibling of {@code function}, checked by {@link CacheMarkers}) and tool_choice.
     */
    static void write(JsonGenerator g, byte[] json, TopLevelFields.Field tools, JsonNode choice, JsonNode parallel,
                      CacheMarkers marks) throws IOException {
        List<TopLevelFields> spans = JsonSpans.objects(json, tools);
        boolean any = !spans.isEmpty();
        if (any) {
            g.writeArrayFieldStart("tools");
            for (int i = 0; i < spans.size(); i++) {
                tool(g, json, spans.get(i), i, marks);
            }
            g.writeEndArray();
        }
        String type = choiceType(choice);
        boolean serial = parallel != null && parallel.isBoolean() && !parallel.asBoolean();
        if (!any || (type == null && !serial)) {
            return;
        }
        g.writeObjectFieldStart("tool_choice");
        g.writeStringField("type", type == null ? "auto" : type);
        if ("tool".equals(type)) {
            g.writeStringField("name", choice.path("function").path("name").asText());
        }
        if (serial && !"none".equals(type)) {
            g.writeBooleanField("disable_parallel_tool_use", true);
        }
        g.writeEndObject();
    }

    private static void tool(JsonGenerator g, byte[] json, TopLevelFields tool, int i, CacheMarkers marks) throws IOException {
        String expected = "tools." + i + ": expected {\"type\":\"function\",\"function\":{\"name\":...}}";
        if (tool == null) {
            throw ApiError.invalidRequest(expected);
        }
        ChatFields.once(tool.fields(), "tools." + i + ".");
        TopLevelFields.Field type = tool.find("type");
        TopLevelFields.Field fn = tool.find("function");
        if ((type != null && !JsonSpans.is(json, type, FUNCTION)) || fn == null || json[fn.valueStart()] != '{') {
            throw ApiError.invalidRequest(expected);
        }
        TopLevelFields function = TopLevelFields.readValid(json, fn.valueStart());
        ChatFields.once(function.fields(), "tools." + i + ".function.");
        TopLevelFields.Field name = function.find("name");
        if (!JsonSpans.isString(json, name)) {
            throw ApiError.invalidRequest(expected);
        }
        g.writeStartObject();
        g.writeFieldName("name");
        JsonSpans.raw(json, name).writeValue(g);
        TopLevelFields.Field description = function.find("description");
        if (JsonSpans.isString(json, description)) {
            g.writeFieldName("description");
            JsonSpans.raw(json, description).writeValue(g);
        }
        g.writeFieldName("input_schema");
        TopLevelFields.Field params = function.find("parameters");
        if (params != null && json[params.valueStart()] == '{') {
            JsonSpans.raw(json, params).writeValue(g);
        } else if (params != null && json[params.valueStart()] != 'n') {
            // A schema that is not an object was replaced by "no parameters": the model then called the tool without the
            // arguments the client's code expects.
            throw ChatFields.invalidType("tools." + i + ".function.parameters", "a JSON Schema object");
        } else {
            g.writeRawValue("{\"type\":\"object\",\"properties\":{}}");
        }
        TopLevelFields.Field marker = tool.find("cache_control");
        JsonNode cacheControl = marker == null ? null : marks.read(ChatMessagesReader.tree(json, marker), "tools." + i);
        if (cacheControl != null) {
            g.writeFieldName("cache_control");
            g.writeTree(cacheControl);
        }
        g.writeEndObject();
    }

    /** The canonical tool choice type ({@code none|auto|any|tool}) of a client's {@code tool_choice}, or null. */
    static String choiceType(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "none" -> "none";
                case "auto" -> "auto";
                case "required" -> "any";
                default -> throw ApiError.invalidRequest("tool_choice: " + Bounded.text(choice.toString(), 40)
                        + " (expected: none, auto, required or a function)");
            };
        }
        if (choice.path("function").path("name").isTextual()) {
            return "tool";
        }
        throw ApiError.invalidRequest("tool_choice: " + Bounded.text(choice.toString(), 40)
                + " (expected: none, auto, required or a function)");
    }
}
