package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.front.openai.JsonSchemaFormat;
import dev.sluice.front.openai.ReasoningEffort;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The top-level fields of a Responses request, checked before anything is translated: each of the JSON type OpenAI's
 * API takes, and each carried into the canonical body, refused, or ignored because ignoring it changes nothing the
 * caller can observe. As at the chat door, a field the gateway cannot honour is refused rather than dropped: the
 * client could not tell, and the response cache (keyed on the canonical body) would serve one answer to requests with
 * and without it. Unlike the chat door, a field the API does not define is refused too, as OpenAI's own Responses
 * endpoint does: the API is young and adds fields that change answers, which must not pass unseen.
 * <ul>
 *   <li>refused: {@code previous_response_id}, {@code conversation}, {@code prompt} (stored state: the gateway keeps
 *       only recent answers' items, for {@code item_reference} ({@link ItemStore}); send the history in {@code input}), {@code background: true}, {@code max_tool_calls},
 *       {@code truncation: auto}, {@code top_logprobs} above 0, {@code include} values other than
 *       {@code reasoning.encrypted_content}, a {@code reasoning.effort} that is not one of OpenAI's, {@code text.format}
 *       {@code json_object}, {@code text.verbosity} other than {@code medium};</li>
 *   <li>mapped: {@code reasoning.effort} becomes Anthropic's extended thinking
 *       ({@link ReasoningEffort}), {@code reasoning.summary} gives reasoning items the thinking text as their summary,
 *       {@code include: ["reasoning.encrypted_content"]} gives them the sealed thinking block
 *       ({@link ReasoningSeal}), {@code text.format} {@code json_schema} becomes Claude's structured output
 *       ({@link JsonSchemaFormat});</li>
 *   <li>read by the encoder: {@code store} (true or absent: the answer's items are kept, {@link ItemStore});</li>
 *   <li>ignored after their type is checked:
 *       {@code metadata} (at most 16 string pairs, as OpenAI bounds it), {@code client_metadata} (Codex CLI's: at most
 *       32 strings of 8 KB), {@code service_tier}, {@code prompt_cache_key},
 *       {@code prompt_cache_retention}, {@code safety_identifier}, {@code stream_options}.</li>
 * </ul>
 * Messages start with the field's path, which {@link dev.sluice.front.openai.OpenAiErrorBody} gives as the error's
 * {@code param}, and word the rest as the chat door does, which gives the {@code code}.
 */
final class ResponsesFields {
    /** Read by the translation; checked there. */
    private static final Set<String> TRANSLATED = Set.of("model", "input", "instructions", "tools", "tool_choice");
    /** OpenAI's bounds on {@code metadata}. */
    private static final int METADATA_PAIRS = 16;
    private static final int METADATA_KEY = 64;
    private static final int METADATA_VALUE = 512;
    /** Bounds on {@code client_metadata}: Codex sends about ten keys, one a JSON string of about a kilobyte. */
    private static final int CLIENT_METADATA_PAIRS = 32;
    private static final int CLIENT_METADATA_VALUE = 8192;

    private ResponsesFields() {
    }

    /** @throws ApiError 400 naming the first field of the wrong type, not honoured, or not the API's */
    static void check(JsonNode root) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!TRANSLATED.contains(f.getKey()) && !f.getValue().isNull()) { // null means "the default" for every field
                check(f.getKey(), f.getValue());
            }
        }
    }

    private static void check(String name, JsonNode v) {
        switch (name) {
            case "stream", "parallel_tool_calls", "store" -> expect(name, v, v.isBoolean(), "a boolean");
            case "background" -> {
                expect(name, v, v.isBoolean(), "a boolean");
                refuseUnless(name, v, !v.asBoolean(), "false or absent; the gateway answers in the request");
            }
            // OpenAI's ranges; a finite number only, since 1e400 reads as infinity and would go upstream as "Infinity".
            case "temperature" -> expect(name, v, v.isNumber() && v.doubleValue() >= 0 && v.doubleValue() <= 2, "a number from 0 to 2");
            case "top_p" -> expect(name, v, v.isNumber() && v.doubleValue() >= 0 && v.doubleValue() <= 1, "a number from 0 to 1");
            // canConvertToLong first: a big integer's asLong() wraps (2^64 + 100 reads as 100), so the cap checked and
            // sent would not be the one the client wrote and the answer echoes.
            case "max_output_tokens" -> expect(name, v, v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 1
                    && v.asLong() <= Integer.MAX_VALUE, "an integer from 1 to " + Integer.MAX_VALUE);
            case "user", "service_tier", "prompt_cache_key", "prompt_cache_retention", "safety_identifier" ->
                    expect(name, v, v.isTextual(), "a string");
            case "metadata" -> metadata(v);
            case "client_metadata" -> clientMetadata(v);
            case "stream_options" -> {
                expect(name, v, v.isObject(), "an object such as {\"include_obfuscation\":false}");
                JsonNode o = v.get("include_obfuscation");
                expect(name + ".include_obfuscation", o == null ? v : o, o == null || o.isNull() || o.isBoolean(), "a boolean");
            }
            case "reasoning" -> reasoning(v);
            case "text" -> text(v);
            case "include" -> include(v);
            case "truncation" -> {
                expect(name, v, v.isTextual(), "a string");
                refuseUnless(name, v, v.asText().equals("disabled"), "disabled or absent; a conversation too long for the model "
                        + "is refused, never cut");
            }
            case "top_logprobs" -> {
                expect(name, v, v.isIntegralNumber(), "an integer");
                refuseUnless(name, v, v.asLong() == 0, "0 or absent; log probabilities are not available");
            }
            case "max_tool_calls" -> throw notSupported(name, "the gateway cannot bound the model's tool calls; leave it out");
            case "previous_response_id", "conversation", "prompt" -> throw notSupported(name, "the gateway keeps no "
                    + "responses, conversations or prompts by id (only recent answers' items, for item_reference); send the whole"
                    + " conversation in input");
            default -> throw notSupported(name, "not a parameter of the Responses API");
        }
    }

    private static void metadata(JsonNode v) {
        expect("metadata", v, v.isObject(), "an object of string values");
        expect("metadata", v, v.size() <= METADATA_PAIRS, "at most " + METADATA_PAIRS + " pairs");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> pair = it.next();
            String at = "metadata." + Bounded.text(pair.getKey(), METADATA_KEY);
            expect(at, pair.getValue(), pair.getKey().length() <= METADATA_KEY, "a key of at most " + METADATA_KEY + " characters");
            expect(at, pair.getValue(), pair.getValue().isTextual() && pair.getValue().asText().length() <= METADATA_VALUE,
                    "a string of at most " + METADATA_VALUE + " characters");
        }
    }

    /**
     * Codex CLI's {@code client_metadata} (its session, turn and workspace as strings): not OpenAI's 16-pair
     * {@code metadata}, and nothing the answer depends on, so it is checked for shape and size and left out.
     */
    private static void clientMetadata(JsonNode v) {
        expect("client_metadata", v, v.isObject() && v.size() <= CLIENT_METADATA_PAIRS, "an object of at most "
                + CLIENT_METADATA_PAIRS + " string values");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> pair = it.next();
            String at = "client_metadata." + Bounded.text(pair.getKey(), METADATA_KEY);
            expect(at, pair.getValue(), pair.getKey().length() <= METADATA_KEY && pair.getValue().isTextual()
                    && pair.getValue().asText().length() <= CLIENT_METADATA_VALUE, "a string of at most "
                    + CLIENT_METADATA_VALUE + " characters under a key of at most " + METADATA_KEY);
        }
    }

    private static void reasoning(JsonNode v) {
        expect("reasoning", v, v.isObject(), "an object such as {\"effort\":\"high\",\"summary\":\"auto\"}");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode value = f.getValue();
            String at = "reasoning." + f.getKey();
            if (value.isNull()) {
                continue;
            }
            switch (f.getKey()) {
                case "effort" -> ReasoningEffort.of(at, value, -1); // one of OpenAI's efforts, mapped by the translation
                case "summary", "generate_summary" -> {
                    expect(at, value, value.isTextual(), "a string");
                    refuseUnless(at, value, value.asText().equals("auto") || value.asText().equals("concise")
                            || value.asText().equals("detailed"), "auto, concise or detailed");
                }
                default -> throw notSupported(at, "not a field of reasoning");
            }
        }
    }

    private static void text(JsonNode v) {
        expect("text", v, v.isObject(), "an object such as {\"format\":{\"type\":\"text\"}}");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode value = f.getValue();
            if (value.isNull()) {
                continue;
            }
            switch (f.getKey()) {
                case "format" -> {
                    expect("text.format", value, value.isObject(), "an object such as {\"type\":\"text\"}");
                    JsonNode type = value.path("type");
                    if (type.asText("").equals("json_schema")) {
                        JsonSchemaFormat.schema("text.format", value);
                    } else {
                        refuseUnless("text.format.type", type, type.asText("").equals("text"), "text or json_schema; JSON of "
                                + "any shape (json_object) has no Anthropic counterpart: give a schema");
                    }
                }
                case "verbosity" -> {
                    expect("text.verbosity", value, value.isTextual(), "a string");
                    refuseUnless("text.verbosity", value, value.asText().equals("medium"), "medium or absent");
                }
                default -> throw notSupported("text." + f.getKey(), "not a field of text");
            }
        }
    }

    private static void include(JsonNode v) {
        expect("include", v, v.isArray(), "an array of strings");
        int i = 0;
        for (JsonNode item : v) {
            String at = "include." + i++;
            expect(at, item, item.isTextual(), "a string");
            // Reasoning items carry the sealed thinking block when this is asked for (ReasoningSeal).
            refuseUnless(at, item, item.asText().equals("reasoning.encrypted_content"), "reasoning.encrypted_content; "
                    + "the gateway produces no logprobs, tool-call results or image URLs to include");
        }
    }

    static void expect(String name, JsonNode v, boolean ok, String expected) {
        if (!ok) {
            throw ApiError.invalidRequest(name + ": expected " + expected + ", got " + Bounded.text(v.toString(), 40));
        }
    }

    static void refuseUnless(String name, JsonNode v, boolean ok, String expected) {
        if (!ok) {
            throw ApiError.invalidRequest(name + ": " + Bounded.text(v.toString(), 40)
                    + " is not supported by this gateway (expected: " + expected + ")");
        }
    }

    static ApiError notSupported(String name, String why) {
        return ApiError.invalidRequest(Bounded.text(name, 64) + ": not supported by this gateway (" + why + ")");
    }
}
