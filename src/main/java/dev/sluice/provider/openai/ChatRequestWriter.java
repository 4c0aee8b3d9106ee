package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.bedrock.TopLevelFields;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.buffer.Buffer;
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
 * One scan finds the top-level fields (any order: system after messages is legal JSON); tools are copied by
 * byte span ({@link ChatToolsWriter}), system text and messages as the client's escaped bytes ({@link SystemText},
 * {@link MessageSpans}); only tool-call inputs and uncommon message shapes are read as trees. The result is written into this thread's reused {@link SpanOutput}.
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
        return write(canonical, canonical.length, target, model, stream).toArray();
    }

    /**
     * The same for the first {@code length} bytes of {@code canonical}, as a buffer to send.
     *
     * @throws ApiError 400 when the body is not a Messages request
     */
    public static Buffer writeBuffer(byte[] canonical, int length, OpenAiTarget target, String model, boolean stream) {
        return write(canonical, length, target, model, stream).toBuffer();
    }

    private static SpanOutput write(byte[] canonical, int length, OpenAiTarget target, String model, boolean stream) {
        TopLevelFields top;
        try {
            top = TopLevelFields.scan(canonical, length);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
        TopLevelFields.Field messages = top.find("messages");
        if (messages == null || canonical[messages.valueStart()] != '[') {
            throw ApiError.invalidRequest("messages: Field required");
        }
        SpanOutput out = SpanOutput.take(length + 256);
        try (JsonGenerator g = out.generator()) {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeFieldName("messages");
            ChatMessagesWriter.write(g, SystemText.of(canonical, top.find("system")), canonical, messages);
            JsonNode max = tree(canonical, top.find("max_tokens"));
            if (max != null && max.isIntegralNumber()) {
                g.writeNumberField(target.maxTokensField(), max.longValue());
            }
            copyNumber(g, "temperature", tree(canonical, top.find("temperature")));
            copyNumber(g, "top_p", tree(canonical, top.find("top_p")));
            stop(g, tree(canonical, top.find("stop_sequences")));
            if (ChatToolsWriter.write(g, canonical, top.find("tools"))) {
                toolChoice(g, tree(canonical, top.find("tool_choice")));
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
        return out;
    }

    /** The value of a top-level field as a tree (only the small or restructured ones are read this way), or null. */
    private static JsonNode tree(byte[] json, TopLevelFields.Field field) {
        if (field == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(json, field.valueStart(), field.valueEnd() - field.valueStart());
        } catch (IOException e) {
            throw ApiError.invalidRequest(field.name() + ": not valid JSON");
        }
    }

    private static void copyNumber(JsonGenerator g, String name, JsonNode v) throws IOException {
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
