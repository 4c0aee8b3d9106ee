package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import java.io.IOException;

/** OpenAI {@code tools}/{@code tool_choice}/{@code parallel_tool_calls} as Anthropic's {@code tools}/{@code tool_choice}. */
final class ChatTools {
    private ChatTools() {
    }

    static void write(JsonGenerator g, JsonNode tools, JsonNode choice, JsonNode parallel) throws IOException {
        boolean any = tools != null && tools.isArray() && !tools.isEmpty();
        if (any) {
            g.writeArrayFieldStart("tools");
            int i = 0;
            for (JsonNode tool : tools) {
                JsonNode fn = tool.path("function");
                if (!tool.path("type").asText("function").equals("function") || !fn.path("name").isTextual()) {
                    throw ApiError.invalidRequest("tools." + i + ": expected {\"type\":\"function\",\"function\":{\"name\":...}}");
                }
                g.writeStartObject();
                g.writeStringField("name", fn.get("name").asText());
                if (fn.path("description").isTextual()) {
                    g.writeStringField("description", fn.get("description").asText());
                }
                g.writeFieldName("input_schema");
                JsonNode params = fn.get("parameters");
                if (params != null && params.isObject()) {
                    g.writeTree(params);
                } else {
                    g.writeRawValue("{\"type\":\"object\",\"properties\":{}}");
                }
                g.writeEndObject();
                i++;
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

    private static String choiceType(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "none" -> "none";
                case "auto" -> "auto";
                case "required" -> "any";
                default -> throw ApiError.invalidRequest("tool_choice: " + choice + " (expected: none, auto, required or a function)");
            };
        }
        if (choice.path("function").path("name").isTextual()) {
            return "tool";
        }
        throw ApiError.invalidRequest("tool_choice: " + choice + " (expected: none, auto, required or a function)");
    }
}
