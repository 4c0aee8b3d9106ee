package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.front.openai.ChatCompletionsRequest;
import dev.sluice.front.openai.JsonSchemaFormat;
import dev.sluice.front.openai.ReasoningEffort;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A Responses API request ({@code POST /v1/responses}) as a canonical Anthropic Messages body, so that it goes
 * through the same pipeline (auth, guard, budgets, cache, ledger) as any request to whichever upstream serves the model:
 * <ul>
 *   <li>{@link RequestTree} reads the body within the chat door's bounds and refuses a field given twice;
 *       {@link ResponsesFields} checks every top-level field;</li>
 *   <li>{@code instructions} and {@code input} become {@code system} and {@code messages} ({@link InputItems});</li>
 *   <li>{@code max_output_tokens} becomes {@code max_tokens} ({@link ChatCompletionsRequest#DEFAULT_MAX_TOKENS} when
 *       absent, as at the chat door, since Anthropic requires one); {@code temperature} is clamped to Anthropic's 0..1;
 *       {@code top_p} passes; {@code user} becomes {@code metadata.user_id};</li>
 *   <li>{@code tools}, {@code tool_choice} and {@code parallel_tool_calls} as {@link ResponsesTools} says;</li>
 *   <li>{@code text.format} of type {@code json_schema} becomes {@code output_config.format} ({@link JsonSchemaFormat});</li>
 *   <li>{@code reasoning.effort} becomes {@code thinking} with a budget, {@code max_tokens} kept above it, as
 *       {@link ReasoningEffort} says; {@code reasoning} input items become the thinking blocks they came from, and a
 *       tool loop whose block could not come back goes without thinking, as {@link ReasoningItems} says.</li>
 * </ul>
 * The answers of requests with {@code store} true or absent are kept a while, so that a later request may send their
 * items by reference ({@link ItemReferences}); what needs more state ({@code previous_response_id}, conversations) is
 * refused.
 */
public final class ResponsesRequest {
    /** Anthropic's bound on {@code metadata.user_id}, which the chat door cuts {@code user} to as well. */
    private static final int USER_ID = 256;

    /**
     * The translated request.
     *
     * @param canonical the Anthropic body to run through the pipeline
     * @param model     the model the client asked for
     * @param stream    whether the client wants SSE
     */
    public record Translated(byte[] canonical, String model, boolean stream) {
    }

    private ResponsesRequest() {
    }

    /** @throws ApiError 400 naming the first bad field */
    public static Translated translate(byte[] body) {
        return translate(body, body.length);
    }

    /** The first {@code length} bytes of {@code body}. */
    public static Translated translate(byte[] body, int length) {
        return translate(body, length, ItemReferences.NONE);
    }

    /** @param references the caller's stored items, for the request's {@code item_reference}s */
    static Translated translate(byte[] body, int length, ItemReferences references) {
        RequestTree trees = new RequestTree();
        JsonNode root = trees.read(body, length);
        if (root == null || !root.isObject()) {
            throw ApiError.invalidRequest("request body: expected a JSON object");
        }
        String model = model(root.get("model"));
        ResponsesFields.check(root);
        JsonNode max = root.get("max_output_tokens");
        boolean capped = max != null && !max.isNull();
        ReasoningEffort effort = ReasoningEffort.of("reasoning.effort", root.path("reasoning").get("effort"), capped ? max.longValue() : -1);
        InputItems.Canonical conversation = InputItems.read(root.get("instructions"), root.get("input"), trees, effort != null,
                references);
        ArrayNode tools = ResponsesTools.tools(root.get("tools"));
        ObjectNode choice = ResponsesTools.choice(root.get("tool_choice"), root.get("parallel_tool_calls"), tools != null);
        if (effort != null) {
            ReasoningEffort.toolChoice("tool_choice", choice == null ? null : choice.path("type").asText(null), "reasoning.effort");
        }
        // A tool loop under way whose thinking block could not come back (ReasoningItems): Anthropic refuses thinking, so
        // this request goes without it, under the cap it would have had without an effort.
        boolean thinking = effort != null && ReasoningItems.thinkingAllowed(conversation.messages());
        boolean stream = root.path("stream").asBoolean(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeNumberField("max_tokens", thinking ? effort.maxTokens()
                    : capped ? max.longValue() : ChatCompletionsRequest.DEFAULT_MAX_TOKENS);
            if (!conversation.system().isEmpty()) {
                g.writeFieldName("system");
                g.writeTree(conversation.system());
            }
            g.writeFieldName("messages");
            g.writeTree(conversation.messages());
            options(g, root, effort != null);
            if (thinking) {
                effort.write(g);
            }
            if (tools != null) {
                g.writeFieldName("tools");
                g.writeTree(tools);
            }
            if (choice != null) {
                g.writeFieldName("tool_choice");
                g.writeTree(choice);
            }
            JsonNode format = root.path("text").path("format");
            if (format.path("type").asText("").equals("json_schema")) {
                JsonSchemaFormat.write(g, format.get("schema")); // ResponsesFields checked it
            }
            if (stream) {
                g.writeBooleanField("stream", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Translated(out.toByteArray(), model, stream);
    }

    private static String model(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw ApiError.invalidRequest("model: expected a non-empty string");
        }
        String model = node.asText();
        if (model.length() > Bounded.MODEL || !Bounded.isModelName(model)) {
            throw ApiError.invalidRequest("model: expected a model name of at most " + Bounded.MODEL
                    + " printable ASCII characters without spaces, such as gpt-4o or claude-sonnet-4-5");
        }
        return model;
    }

    /** @param thinking an effort is set: a temperature or top_p other than 1 is refused, and 1 left out */
    private static void options(JsonGenerator g, JsonNode root, boolean thinking) throws IOException {
        ReasoningEffort.writeSampling(g, root.get("temperature"), root.get("top_p"), thinking, "reasoning.effort");
        JsonNode user = root.get("user");
        if (user != null && user.isTextual() && !user.asText().isEmpty()) {
            g.writeObjectFieldStart("metadata");
            g.writeStringField("user_id", Bounded.text(user.asText(), USER_ID));
            g.writeEndObject();
        }
    }
}
