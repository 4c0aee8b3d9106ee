package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.provider.openai.SpanOutput;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An OpenAI chat-completions request ({@code POST /v1/chat/completions}) as a canonical Anthropic Messages body,
 * so OpenAI clients go through the same pipeline (auth, budgets, cache, ledger) to whichever upstream serves the
 * model:
 * <ul>
 *   <li>{@code system}/{@code developer} messages become {@code system} text blocks; other messages as
 *       {@link ChatMessagesReader} says;</li>
 *   <li>{@code max_completion_tokens} (or {@code max_tokens}) becomes {@code max_tokens}, {@link #DEFAULT_MAX_TOKENS}
 *       when absent, since Anthropic requires it; {@code stop} becomes {@code stop_sequences};
 *       {@code temperature} is clamped to Anthropic's 0..1; {@code top_p} passes; {@code user} becomes
 *       {@code metadata.user_id};</li>
 *   <li>{@code tools[].function} become tools with {@code input_schema}; {@code tool_choice}
 *       {@code none|auto|required|{function}} becomes {@code none|auto|any|tool}; {@code parallel_tool_calls:false}
 *       becomes {@code disable_parallel_tool_use};</li>
 *   <li>{@code cache_control} on a content part, a message or a tool (LiteLLM's and OpenRouter's convention) goes on the
 *       Anthropic block it maps to, checked by {@link CacheMarkers} (at most four); at the top level, on the last block;</li>
 *   <li>{@code response_format} {@code json_schema} becomes {@code output_config.format} ({@link JsonSchemaFormat});</li>
 *   <li>{@code reasoning_effort} becomes {@code thinking} with a budget, and {@code max_tokens} stays above it, as
 *       {@link ReasoningEffort} says; not in a request with a {@code tool} message after its last assistant message (a
 *       tool loop under way), since a chat message cannot carry back the signed thinking block Anthropic then requires;</li>
 *   <li>before any of that, {@link ChatFields} refuses a field given twice or of the wrong type, and what the
 *       answer could not honour ({@code n > 1}, {@code response_format} {@code json_object}, {@code seed},
 *       legacy {@code functions}, audio...), each with a 400 naming the field.</li>
 * </ul>
 */
public final class ChatCompletionsRequest {
    /** The output cap when the client names none (OpenAI's own default is "as much as fits"). */
    public static final int DEFAULT_MAX_TOKENS = 8192;

    /**
     * The translated request.
     *
     * @param canonical    the Anthropic body to run through the pipeline
     * @param model        the model the client asked for
     * @param stream       whether the client wants SSE
     * @param includeUsage {@code stream_options.include_usage}: the final chunk carries usage
     */
    public record Translated(byte[] canonical, String model, boolean stream, boolean includeUsage) {
    }

    private ChatCompletionsRequest() {
    }

    /** @throws ApiError 400 naming the first bad field */
    public static Translated translate(byte[] body) {
        return translate(body, body.length);
    }

    /** The first {@code length} bytes of {@code body} (a read buffer, not copied). */
    public static Translated translate(byte[] body, int length) {
        TreeBudget.start();
        TopLevelFields top;
        try {
            top = TopLevelFields.scanDocument(body, length);
        } catch (IllegalArgumentException e) {
            // "expected a JSON object", or what is wrong with the JSON and where (nesting too deep, a bad escape...)
            throw ApiError.invalidRequest(e.getMessage());
        }
        ChatFields.once(top.fields(), "");
        JsonNode modelNode = ChatMessagesReader.tree(body, top.find("model"));
        String model = modelNode == null ? "" : modelNode.asText("");
        if (modelNode == null || !modelNode.isTextual() || model.isBlank()) {
            throw ApiError.invalidRequest("model: expected a non-empty string");
        }
        if (model.length() > Bounded.MODEL || !Bounded.isModelName(model)) {
            throw ApiError.invalidRequest("model: expected a model name of at most " + Bounded.MODEL
                    + " printable ASCII characters without spaces, such as gpt-4o or claude-sonnet-4-5");
        }
        ChatFields.check(body, top);
        JsonNode streamNode = ChatMessagesReader.tree(body, top.find("stream"));
        boolean stream = streamNode != null && streamNode.asBoolean(false);
        JsonNode streamOptions = ChatMessagesReader.tree(body, top.find("stream_options"));
        CacheMarkers marks = new CacheMarkers();
        long cap = maxTokens(body, top);
        ReasoningEffort effort = ReasoningEffort.of("reasoning_effort", ChatMessagesReader.tree(body, top.find("reasoning_effort")),
                capNamed(body, top) ? cap : -1);
        JsonNode toolChoice = ChatMessagesReader.tree(body, top.find("tool_choice"));
        if (effort != null) {
            ReasoningEffort.toolChoice("tool_choice", ChatTools.choiceType(toolChoice), "reasoning_effort");
        }
        SpanOutput out = SpanOutput.take(length + 256);
        try (JsonGenerator g = out.generator()) {
            g.writeStartObject();
            g.writeStringField("model", model);
            if (effort == null) {
                g.writeNumberField("max_tokens", cap);
            }
            boolean inToolLoop = ChatMessagesReader.write(g, body, top.find("messages"), marks,
                    ChatMessagesReader.tree(body, top.find("cache_control")));
            options(g, body, top, effort != null);
            // A chat message cannot carry a thinking block's signature back, and Anthropic refuses thinking when the
            // assistant message of a tool loop under way does not start with one: such a request goes without thinking,
            // under the cap it would have had without an effort (written after the messages, which say whether it is one).
            if (effort != null) {
                g.writeNumberField("max_tokens", inToolLoop ? cap : effort.maxTokens());
                if (!inToolLoop) {
                    effort.write(g);
                }
            }
            ChatTools.write(g, body, top.find("tools"), toolChoice, ChatMessagesReader.tree(body, top.find("parallel_tool_calls")), marks);
            JsonNode schema = ChatFields.outputSchema(ChatMessagesReader.tree(body, top.find("response_format")));
            if (schema != null) {
                JsonSchemaFormat.write(g, schema);
            }
            if (stream) {
                g.writeBooleanField("stream", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Translated(out.toArray(), model, stream,
                stream && streamOptions != null && streamOptions.path("include_usage").asBoolean(false));
    }

    /**
     * {@code stream_options.include_usage} of a request body, read again where the response needs it (the
     * canonical body the pipeline carries has no place for it): one top-level scan of the client's bytes.
     */
    public static boolean includeUsage(byte[] body, int length) {
        try {
            TreeBudget.start();
            TopLevelFields top = TopLevelFields.scan(body, length);
            JsonNode options = ChatMessagesReader.tree(body, top.find("stream_options"));
            return options != null && options.path("include_usage").asBoolean(false);
        } catch (RuntimeException e) {
            return false; // the body was translated already, so it is readable; this is only belt and braces
        }
    }

    /** The client named a cap (not null): it bounds thinking and answer together ({@link ReasoningEffort}). */
    private static boolean capNamed(byte[] body, TopLevelFields top) {
        JsonNode max = ChatMessagesReader.tree(body, top.find(top.find("max_completion_tokens") != null ? "max_completion_tokens" : "max_tokens"));
        return max != null && !max.isNull();
    }

    private static long maxTokens(byte[] body, TopLevelFields top) {
        String name = top.find("max_completion_tokens") != null ? "max_completion_tokens" : "max_tokens";
        JsonNode max = ChatMessagesReader.tree(body, top.find(name));
        if (max == null || max.isNull()) {
            return DEFAULT_MAX_TOKENS;
        }
        if (!max.isIntegralNumber() || max.longValue() < 1 || max.longValue() > Integer.MAX_VALUE) {
            // named as the client sent it, so the error's param points at the field in its own request
            throw ApiError.invalidRequest(name + ": " + Bounded.text(max.toString(), 40) + " (expected: an integer from 1 to "
                    + Integer.MAX_VALUE + ")");
        }
        return max.longValue();
    }

    /** @param thinking an effort is set: a temperature or top_p other than 1 is refused, and 1 left out */
    private static void options(JsonGenerator g, byte[] body, TopLevelFields top, boolean thinking) throws IOException {
        ReasoningEffort.writeSampling(g, ChatMessagesReader.tree(body, top.find("temperature")),
                ChatMessagesReader.tree(body, top.find("top_p")), thinking, "reasoning_effort");
        JsonNode stop = ChatMessagesReader.tree(body, top.find("stop"));
        if (stop != null && (stop.isTextual() || stop.isArray())) { // of strings: ChatFields checked
            g.writeArrayFieldStart("stop_sequences");
            if (stop.isTextual()) {
                g.writeString(stop.asText());
            } else {
                for (JsonNode s : stop) {
                    g.writeString(s.asText());
                }
            }
            g.writeEndArray();
        }
        JsonNode user = ChatMessagesReader.tree(body, top.find("user"));
        if (user != null && user.isTextual() && !user.asText().isEmpty()) {
            g.writeObjectFieldStart("metadata");
            g.writeStringField("user_id", user.asText().length() > 256 ? user.asText().substring(0, 256) : user.asText());
            g.writeEndObject();
        }
    }
}
