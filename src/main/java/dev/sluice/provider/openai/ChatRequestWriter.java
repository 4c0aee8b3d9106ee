package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.TopLevelFields;
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
 *       {@code temperature} and {@code top_p} pass (not to OpenAI's and Azure's models listed as reasoning, which
 *       refuse them, {@link ChatReasoning#noSampling}); streaming asks for the usage chunk
 *       ({@code stream_options.include_usage}), so the bill is exact;</li>
 *   <li>{@code thinking} becomes {@code reasoning_effort} ({@link #effort}) for a request from one of the OpenAI front
 *       doors, so the effort its client set (a budget on the canonical body) is not lost on a non-Claude upstream; for
 *       the Anthropic door's clients only when the upstream lists the model as reasoning ({@link OpenAiReasoning}):
 *       Claude Code turns thinking on for nearly every request, and OpenAI's models without reasoning (gpt-4o,
 *       gpt-4.1) refuse {@code reasoning_effort}, so elsewhere their thinking is left out, as before;</li>
 *   <li>{@code output_config.format} (structured output) becomes {@code response_format} ({@link #responseFormat});</li>
 *   <li>{@code cache_control}, {@code metadata}, {@code top_k} have no OpenAI equivalent and are
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
        return write(canonical, canonical.length, target, model, stream, ChatReasoning.NONE).toArray();
    }

    /** The same, with {@code thinking} as {@code reasoning_effort} when {@code effort} ({@link #effort}). */
    public static byte[] write(byte[] canonical, OpenAiTarget target, String model, boolean stream, boolean effort) {
        return write(canonical, canonical.length, target, model, stream, ChatReasoning.of(effort)).toArray();
    }

    /** The same, with the canonical body's reasoning treated as {@code reasoning} says. */
    public static byte[] write(byte[] canonical, OpenAiTarget target, String model, boolean stream, ChatReasoning reasoning) {
        return write(canonical, canonical.length, target, model, stream, reasoning).toArray();
    }

    /**
     * The same for the first {@code length} bytes of {@code canonical}, as a buffer to send.
     *
     * @throws ApiError 400 when the body is not a Messages request
     */
    public static Buffer writeBuffer(byte[] canonical, int length, OpenAiTarget target, String model, boolean stream,
                                     ChatReasoning reasoning) {
        return write(canonical, length, target, model, stream, reasoning).toBuffer();
    }

    private static SpanOutput write(byte[] canonical, int length, OpenAiTarget target, String model, boolean stream,
                                    ChatReasoning how) {
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
            ChatMessagesWriter.write(g, SystemText.of(canonical, top.find("system")), canonical, messages, true, how.sendBack());
            JsonNode max = tree(canonical, top.find("max_tokens"));
            if (max != null && max.isIntegralNumber()) {
                g.writeNumberField(target.maxTokensField(), max.longValue());
            }
            if (!how.noSampling()) {
                copyNumber(g, "temperature", tree(canonical, top.find("temperature")));
                copyNumber(g, "top_p", tree(canonical, top.find("top_p")));
            }
            JsonNode outputConfig = tree(canonical, top.find("output_config"));
            String reasoning = how.effort() ? effort(tree(canonical, top.find("thinking")), outputConfig) : null;
            if (reasoning != null) {
                g.writeStringField("reasoning_effort", reasoning);
            }
            stop(g, tree(canonical, top.find("stop_sequences")));
            if (ChatToolsWriter.write(g, canonical, top.find("tools"))) {
                toolChoice(g, tree(canonical, top.find("tool_choice")));
            }
            responseFormat(g, outputConfig);
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

    /**
     * The reasoning effort for a canonical {@code thinking}: the inverse of the front doors' budgets
     * ({@code front.openai.ReasoningEffort}: low 2,048, medium 8,192, high 16,384, xhigh 24,576), cut between them, so
     * any budget a Claude client chose maps to its nearest effort: below 4,096 {@code low}, below 12,288 {@code medium},
     * else {@code high}. Never {@code xhigh}: not every OpenAI model takes it, and a model that does not refuses the
     * request. Thinking {@code disabled} is {@code low}, the least effort every reasoning model takes ({@code none} and
     * {@code minimal} are not: o3 refuses both). Adaptive thinking, or none said, leaves the choice to the model unless
     * {@code output_config.effort} (Anthropic's effort) names one: {@code low}, {@code medium}, {@code high} as they
     * are, {@code max} as {@code high}. Null means no {@code reasoning_effort} (the model's default).
     */
    static String effort(JsonNode thinking, JsonNode outputConfig) {
        String type = thinking == null ? "" : thinking.path("type").asText("");
        if (type.equals("enabled")) {
            long budget = thinking.path("budget_tokens").asLong(0);
            if (budget <= 0) {
                return null;
            }
            return budget < 4_096 ? "low" : budget < 12_288 ? "medium" : "high";
        }
        if (type.equals("disabled")) {
            return "low";
        }
        String named = outputConfig == null ? "" : outputConfig.path("effort").asText("");
        return switch (named) {
            case "low", "medium", "high" -> named;
            case "max" -> "high";
            default -> null;
        };
    }

    /** {@link #effort(JsonNode, JsonNode)} without an {@code output_config}. */
    static String effort(JsonNode thinking) {
        return effort(thinking, null);
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


    /**
     * Structured output ({@code output_config.format} of type {@code json_schema}) as OpenAI's {@code response_format},
     * under a fixed name (Anthropic's format has none). Not {@code strict}: OpenAI's strict mode refuses schemas Claude
     * takes (an optional property, one without {@code additionalProperties: false}), and left out it still answers JSON
     * that follows the schema.
     */
    private static void responseFormat(JsonGenerator g, JsonNode outputConfig) throws IOException {
        JsonNode format = outputConfig == null ? null : outputConfig.get("format");
        if (format == null || !format.path("type").asText("").equals("json_schema") || !format.path("schema").isObject()) {
            return;
        }
        g.writeObjectFieldStart("response_format");
        g.writeStringField("type", "json_schema");
        g.writeObjectFieldStart("json_schema");
        g.writeStringField("name", "output");
        g.writeFieldName("schema");
        g.writeTree(format.get("schema"));
        g.writeEndObject();
        g.writeEndObject();
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
