package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A canonical Anthropic Messages request as an OpenAI chat-completions request:
 * <ul>
 *   <li>{@code system} becomes the first {@code system} message; messages as {@link ChatMessagesWriter} says;</li>
 *   <li>{@code tools[].input_schema} becomes {@code function.parameters} (server tools, which only Anthropic can
 *       run, are left out); {@code tool_choice} {@code auto|any|none|tool} becomes
 *       {@code "auto"|"required"|"none"|{function}}; {@code disable_parallel_tool_use} becomes
 *       {@code parallel_tool_calls:false};</li>
 *   <li>{@code max_tokens} becomes the dialect's cap, {@code stop_sequences} {@code stop} (OpenAI takes 4),
 *       {@code temperature} and {@code top_p} pass; streaming asks for the usage chunk
 *       ({@code stream_options.include_usage}), so the bill is exact;</li>
 *   <li>{@code cache_control}, {@code thinking}, {@code metadata}, {@code top_k} have no OpenAI equivalent and are
 *       left out (OpenAI caches prefixes by itself).</li>
 * </ul>
 * The body is parsed once into a tree (translation needs random access: system after messages is legal JSON)
 * and written with a streaming generator.
 */
public final class ChatRequestWriter {
    static final int MAX_STOP = 4;

    private ChatRequestWriter() {
    }

    /**
     * @param canonical the Anthropic request body bytes (as they would be sent)
     * @param model     the model (or Azure deployment) to name
     * @throws ApiError 400 when the body is not a Messages request
     */
    public static byte[] write(byte[] canonical, OpenAiTarget target, String model, boolean stream) {
        JsonNode root = parse(canonical);
        ByteArrayBuilder out = new ByteArrayBuilder(canonical.length);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeFieldName("messages");
            ChatMessagesWriter.write(g, root.get("system"), root.get("messages"));
            JsonNode max = root.get("max_tokens");
            if (max != null && max.isIntegralNumber()) {
                g.writeNumberField(target.maxTokensField(), max.longValue());
            }
            copyNumber(g, root, "temperature");
            copyNumber(g, root, "top_p");
            stop(g, root.get("stop_sequences"));
            boolean hasTools = tools(g, root.get("tools"));
            if (hasTools) {
                toolChoice(g, root.get("tool_choice"));
            }
            if (stream) {
                g.writeBooleanField("stream", true);
                g.writeObjectFieldStart("stream_options");
                g.writeBooleanField("include_usage", true);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static JsonNode parse(byte[] canonical) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(canonical);
        } catch (IOException e) {
            throw ApiError.invalidRequest("request body: not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiError.invalidRequest("request body: expected a JSON object");
        }
        if (!root.path("messages").isArray()) {
            throw ApiError.invalidRequest("messages: Field required");
        }
        return root;
    }

    private static void copyNumber(JsonGenerator g, JsonNode root, String name) throws IOException {
        JsonNode v = root.get(name);
        if (v != null && v.isNumber()) {
            g.writeFieldName(name);
            g.writeNumber(v.decimalValue());
        }
    }

    private static void stop(JsonGenerator g, JsonNode stops) throws IOException {
        if (stops == null || !stops.isArray() || stops.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("stop");
        int n = 0;
        for (JsonNode s : stops) {
            if (s.isTextual() && n++ < MAX_STOP) {
                g.writeString(s.asText());
            }
        }
        g.writeEndArray();
    }


    private static boolean tools(JsonGenerator g, JsonNode tools) throws IOException {
        if (tools == null || !tools.isArray()) {
            return false;
        }
        boolean any = false;
        for (JsonNode tool : tools) {
            String type = tool.path("type").asText("custom");
            if (!type.equals("custom") || !tool.path("name").isTextual()) {
                continue; // a server tool (web_search_..., bash_...): only Anthropic runs those
            }
            if (!any) {
                g.writeArrayFieldStart("tools");
                any = true;
            }
            g.writeStartObject();
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", tool.get("name").asText());
            if (tool.path("description").isTextual()) {
                g.writeStringField("description", tool.get("description").asText());
            }
            JsonNode schema = tool.get("input_schema");
            g.writeFieldName("parameters");
            if (schema != null && schema.isObject()) {
                g.writeTree(schema);
            } else {
                g.writeRawValue("{\"type\":\"object\",\"properties\":{}}");
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        if (any) {
            g.writeEndArray();
        }
        return any;
    }

    private static void toolChoice(JsonGenerator g, JsonNode choice) throws IOException {
        if (choice == null || !choice.isObject()) {
            return;
        }
        switch (choice.path("type").asText()) {
            case "auto" -> g.writeStringField("tool_choice", "auto");
            case "any" -> g.writeStringField("tool_choice", "required");
            case "none" -> g.writeStringField("tool_choice", "none");
            case "tool" -> {
                g.writeObjectFieldStart("tool_choice");
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", choice.path("name").asText());
                g.writeEndObject();
                g.writeEndObject();
            }
            default -> { }
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            g.writeBooleanField("parallel_tool_calls", false);
        }
    }
}
