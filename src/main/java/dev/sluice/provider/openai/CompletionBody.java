package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.translate.ForeignThinking;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import java.io.IOException;

/**
 * A {@code chat.completion} body as an Anthropic message: a thinking block for the message's reasoning text (signed with
 * the gateway's mark, {@link ForeignThinking}), then text and tool_use blocks, stop reason, exact usage.
 */
final class CompletionBody {
    record Result(byte[] message, Usage usage, boolean hadUsage, String model) {
    }

    /**
     * A chat completion that is no answer a client can use, though its usage may say what was billed: no choice
     * ({@code "choices": []}), or a tool call whose arguments are no JSON object.
     */
    static final class Unusable extends IllegalArgumentException {
        final transient Usage usage;

        Unusable(String why, Usage usage) {
            super(why);
            this.usage = usage;
        }
    }

    private CompletionBody() {
    }

    /** @throws IllegalArgumentException when the body is not a chat completion */
    static Result toMessage(byte[] body) {
        return toMessage(body, true);
    }

    /**
     * @param reasoning the message's reasoning text becomes a thinking block, else it is dropped
     * @throws IllegalArgumentException when the body is not a chat completion
     */
    static Result toMessage(byte[] body, boolean reasoning) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (root == null || !root.path("choices").isArray()) {
            throw new IllegalArgumentException("no choices");
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        boolean hadUsage = root.path("usage").isObject() && OpenAiUsage.plain(root.get("usage")); // else billed, flagged
        Usage usage = root.path("usage").isObject() ? OpenAiUsage.of(root.get("usage")) : Usage.ZERO;
        if (!choice.isObject()) {
            // Relayed, an Anthropic client would get a message of nothing and an OpenAI client a 200 with no choice, which
            // its SDK's choices[0] fails on: no answer, a broken one (502, or the next target).
            throw new Unusable("no choice in the completion", usage);
        }
        String model = root.path("model").asText("");
        ByteArrayBuilder out = new ByteArrayBuilder(body.length + 128);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", "msg_" + root.path("id").asText("openai"));
            g.writeStringField("type", "message");
            g.writeStringField("role", "assistant");
            g.writeStringField("model", model);
            g.writeArrayFieldStart("content");
            String thought = reasoning ? ChunkTranslator.reasoningText(message) : "";
            if (!thought.isEmpty()) {
                g.writeStartObject();
                g.writeStringField("type", "thinking");
                g.writeStringField("thinking", thought);
                g.writeStringField("signature", ForeignThinking.SIGNATURE);
                g.writeEndObject();
            }
            String text = AnswerText.of(message.path("content"));
            if (!text.isEmpty()) {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", text);
                g.writeEndObject();
            }
            boolean tools = false;
            int i = 0;
            for (JsonNode call : message.path("tool_calls")) {
                tools = true;
                g.writeStartObject();
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", call.path("id").asText("toolu_" + i));
                g.writeStringField("name", call.path("function").path("name").asText());
                g.writeFieldName("input");
                JsonNode input = arguments(call.path("function").path("arguments").asText(""));
                if (input == null) {
                    // As a stream's (ToolArguments): {} in their place would run the tool on no input, silently.
                    throw new Unusable("a tool call's arguments are not a JSON object", usage);
                }
                g.writeTree(input);
                g.writeEndObject();
                i++;
            }
            g.writeEndArray();
            g.writeStringField("stop_reason", OpenAiUsage.stopReason(choice.path("finish_reason").asText(null), tools));
            g.writeNullField("stop_sequence");
            g.writeFieldName("usage");
            g.writeRawValue(OpenAiUsage.json(usage));
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return new Result(out.toByteArray(), usage, hadUsage, model);
    }

    /** A tool call's argument string as an object (none: {@code {}}); null when it is no JSON object. */
    static JsonNode arguments(String json) {
        if (json.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
