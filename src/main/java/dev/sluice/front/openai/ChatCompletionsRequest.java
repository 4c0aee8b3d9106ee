package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
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
 *   <li>{@code n > 1} and audio are refused with a 400; {@code response_format}, {@code logprobs},
 *       {@code seed} and the like are ignored.</li>
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
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiError.invalidRequest("request body: not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiError.invalidRequest("request body: expected a JSON object");
        }
        String model = root.path("model").asText("");
        if (!root.path("model").isTextual() || model.isBlank()) {
            throw ApiError.invalidRequest("model: expected a non-empty string");
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalidRequest("messages: expected a non-empty array");
        }
        if (root.path("n").asInt(1) != 1) {
            throw ApiError.invalidRequest("n: " + root.get("n") + " (expected: 1; several choices are not supported)");
        }
        boolean stream = root.path("stream").asBoolean(false);
        ByteArrayBuilder out = new ByteArrayBuilder(body.length + 256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeNumberField("max_tokens", maxTokens(root));
            ChatMessagesReader.write(g, messages);
            options(g, root);
            ChatTools.write(g, root.get("tools"), root.get("tool_choice"), root.get("parallel_tool_calls"));
            if (stream) {
                g.writeBooleanField("stream", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Translated(out.toByteArray(), model, stream,
                stream && root.path("stream_options").path("include_usage").asBoolean(false));
    }

    private static long maxTokens(JsonNode root) {
        JsonNode max = root.has("max_completion_tokens") ? root.get("max_completion_tokens") : root.get("max_tokens");
        if (max == null || max.isNull()) {
            return DEFAULT_MAX_TOKENS;
        }
        if (!max.isIntegralNumber() || max.longValue() < 1 || max.longValue() > Integer.MAX_VALUE) {
            throw ApiError.invalidRequest("max_completion_tokens: " + max + " (expected: an integer >= 1)");
        }
        return max.longValue();
    }

    private static void options(JsonGenerator g, JsonNode root) throws IOException {
        JsonNode t = root.get("temperature");
        if (t != null && t.isNumber()) {
            g.writeNumberField("temperature", Math.max(0, Math.min(1.0, t.doubleValue())));
        }
        JsonNode p = root.get("top_p");
        if (p != null && p.isNumber()) {
            g.writeNumberField("top_p", p.doubleValue());
        }
        JsonNode stop = root.get("stop");
        if (stop != null && (stop.isTextual() || stop.isArray())) {
            g.writeArrayFieldStart("stop_sequences");
            if (stop.isTextual()) {
                g.writeString(stop.asText());
            } else {
                for (JsonNode s : stop) {
                    if (s.isTextual()) {
                        g.writeString(s.asText());
                    }
                }
            }
            g.writeEndArray();
        }
        JsonNode user = root.get("user");
        if (user != null && user.isTextual() && !user.asText().isEmpty()) {
            g.writeObjectFieldStart("metadata");
            g.writeStringField("user_id", user.asText().length() > 256 ? user.asText().substring(0, 256) : user.asText());
            g.writeEndObject();
        }
    }
}
