package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.body.TopLevelFields;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The top-level fields of a chat-completions request, checked before anything is translated: each given once, each
 * of the JSON type OpenAI's API takes, and each either carried into the canonical body, refused, or ignored because
 * ignoring it changes nothing the caller can observe. A field the gateway cannot honour is refused rather than
 * dropped: the client could not tell it was dropped, and the response cache (keyed on the canonical body, which has
 * no place for it) would serve one answer to requests with and without it. The decisions, field by field:
 * <ul>
 *   <li>mapped: {@code reasoning_effort} becomes Anthropic's extended thinking, as {@link ReasoningEffort} says (an
 *       unknown effort, or a {@code temperature}, {@code top_p} or forced {@code tool_choice} thinking cannot take,
 *       is refused there); {@code response_format} of type {@code json_schema} becomes Claude's structured output, as
 *       {@link JsonSchemaFormat} says;</li>
 *   <li>refused when set: {@code functions}/{@code function_call} (legacy; answered with {@code tool_calls} they would break the
 *       client that sent them: use {@code tools}/{@code tool_choice}), {@code modalities} other than
 *       {@code ["text"]}, {@code audio}, {@code seed} (Anthropic models have no seed: a caller relying on it would
 *       get answers it believes reproducible), {@code n} other than 1, {@code response_format} other than text or {@code json_schema},
 *       {@code logprobs}, {@code top_logprobs}, {@code logit_bias}, non-zero {@code frequency_penalty} or
 *       {@code presence_penalty}, {@code verbosity} other than {@code medium}, {@code web_search_options};</li>
 *   <li>ignored, after their type is checked: {@code prediction} (a latency hint that never changes the answer),
 *       {@code store}, {@code metadata}, {@code service_tier}, {@code prompt_cache_key}, {@code safety_identifier}
 *       (OpenAI's own storage, billing tier and cache routing; nothing the answer depends on);</li>
 *   <li>fields OpenAI's API does not define pass unread, as before (clients add vendor extensions).</li>
 * </ul>
 * Every refusal's message starts with the field's name, which {@link OpenAiErrorBody} gives as the error's
 * {@code param}; its wording after the name ({@code expected ...}, {@code not supported ...},
 * {@code X is not supported ...}) gives the {@code code}.
 */
final class ChatFields {
    /** The fields read here (small values, parsed whole); the rest are left to their readers or pass unread. */
    private static final Set<String> CHECKED = Set.of("stream", "logprobs", "parallel_tool_calls", "store", "n",
            "temperature", "top_p", "max_tokens", "max_completion_tokens", "user", "service_tier", "prompt_cache_key",
            "safety_identifier", "stream_options", "metadata", "prediction", "stop", "response_format", "modalities",
            "top_logprobs", "frequency_penalty", "presence_penalty", "logit_bias", "seed", "reasoning_effort",
            "verbosity", "functions", "function_call", "audio", "web_search_options");

    private ChatFields() {
    }

    /** @throws ApiError 400 naming the first field of the wrong type or not honoured ({@link #once} checked first) */
    static void check(byte[] body, TopLevelFields top) {
        for (TopLevelFields.Field f : top.fields()) {
            if (CHECKED.contains(f.name())) {
                check(f.name(), ChatMessagesReader.tree(body, f));
            } else if ((f.name().equals("messages") || f.name().equals("tools")) // large: their readers walk them
                    && body[f.valueStart()] != '[' && body[f.valueStart()] != 'n') {
                throw invalidType(f.name(), f.name().equals("tools")
                        ? "an array of tools such as [{\"type\":\"function\",\"function\":{\"name\":...}}]"
                        : "a non-empty array of messages");
            }
        }
    }

    /**
     * Refuses a field given twice in one object. Parsers disagree on which copy counts (this translation read the
     * first; OpenAI reads the last), so the gateway could price, check and cache one request and serve another.
     *
     * @param where the object's path with a trailing dot ({@code "messages.0."}), or empty at the top level
     */
    static void once(List<TopLevelFields.Field> fields, String where) {
        if (fields.size() > 16) { // a caller chooses how many fields an object has: no quadratic walk over them
            Set<String> seen = new HashSet<>(fields.size() * 2);
            for (TopLevelFields.Field f : fields) {
                if (!seen.add(f.name())) {
                    throw twice(where, f.name());
                }
            }
            return;
        }
        for (int i = 1; i < fields.size(); i++) {
            String name = fields.get(i).name();
            for (int j = 0; j < i; j++) {
                if (fields.get(j).name().equals(name)) {
                    throw twice(where, name);
                }
            }
        }
    }

    private static ApiError twice(String where, String name) {
        return ApiError.invalidRequest(where + Bounded.text(name, 64) + ": given twice (expected: each field once)");
    }

    private static void check(String name, JsonNode v) {
        if (v == null || v.isNull()) {
            return; // null means "the default" for every field OpenAI defines
        }
        switch (name) {
            case "stream", "parallel_tool_calls", "store" -> expect(name, v, v.isBoolean(), "a boolean");
            case "logprobs" -> {
                expect(name, v, v.isBoolean(), "a boolean");
                refuseUnless(name, v, !v.asBoolean(), "false or absent; log probabilities are not available");
            }
            case "n" -> {
                expect(name, v, v.isIntegralNumber(), "an integer");
                refuseUnless(name, v, v.asLong() == 1, "1; several choices are not supported");
            }
            case "temperature", "top_p" -> expect(name, v, v.isNumber(), "a number");
            case "max_tokens", "max_completion_tokens" -> expect(name, v, v.isIntegralNumber(), "an integer");
            case "user", "service_tier", "prompt_cache_key", "safety_identifier" -> expect(name, v, v.isTextual(), "a string");
            case "stream_options" -> streamOptions(v);
            case "metadata", "prediction" -> expect(name, v, v.isObject(), "an object");
            case "stop" -> stop(v);
            case "response_format" -> responseFormat(v);
            case "modalities" -> modalities(v);
            case "top_logprobs" -> {
                expect(name, v, v.isIntegralNumber(), "an integer");
                refuseUnless(name, v, v.asLong() == 0, "0 or absent; log probabilities are not available");
            }
            case "frequency_penalty", "presence_penalty" -> {
                expect(name, v, v.isNumber(), "a number");
                refuseUnless(name, v, v.asDouble() == 0, "0 or absent; Anthropic models take no penalties");
            }
            case "logit_bias" -> {
                expect(name, v, v.isObject(), "an object");
                refuseUnless(name, v, v.isEmpty(), "{} or absent; Anthropic models take no token biases");
            }
            case "seed" -> {
                expect(name, v, v.isIntegralNumber(), "an integer");
                throw notSupported(name, "Anthropic models have no seed, so answers would not be reproducible; leave it out");
            }
            case "reasoning_effort" -> ReasoningEffort.of(name, v, -1); // a string and one of the efforts
            case "verbosity" -> {
                expect(name, v, v.isTextual(), "a string");
                refuseUnless(name, v, v.asText().equals("medium"), "medium or absent");
            }
            case "functions" -> throw notSupported(name, "the legacy functions parameter; send tools: "
                    + "[{\"type\":\"function\",\"function\":{...}}] instead");
            case "function_call" -> throw notSupported(name, "the legacy function_call parameter; send tool_choice instead");
            case "audio" -> throw notSupported(name, "audio output is not available; leave it out");
            case "web_search_options" -> throw notSupported(name, "web search is not available through this door");
            default -> { } // model (checked before), fields OpenAI does not define
        }
    }

    private static void streamOptions(JsonNode v) {
        expect("stream_options", v, v.isObject(), "an object such as {\"include_usage\":true}");
        JsonNode usage = v.get("include_usage");
        if (usage != null && !usage.isNull() && !usage.isBoolean()) {
            throw invalidType("stream_options.include_usage", "a boolean");
        }
    }

    private static void stop(JsonNode v) {
        boolean strings = v.isTextual();
        if (v.isArray()) {
            strings = true;
            for (JsonNode s : v) {
                strings &= s.isTextual();
            }
        }
        expect("stop", v, strings, "a string or an array of strings");
    }

    private static void responseFormat(JsonNode v) {
        expect("response_format", v, v.isObject(), "an object such as {\"type\":\"text\"}");
        JsonNode type = v.path("type");
        if (type.asText("").equals("json_schema")) {
            JsonSchemaFormat.schema("response_format.json_schema", v.get("json_schema"));
            for (java.util.Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("type") && !name.equals("json_schema")) {
                    throw notSupported("response_format." + Bounded.text(name, 40), "not a field of response_format");
                }
            }
            return;
        }
        refuseUnless("response_format", type.isTextual() ? type : v, type.asText("").equals("text"),
                "{\"type\":\"text\"} or {\"type\":\"json_schema\",...}; JSON of any shape has no Anthropic counterpart: give a schema");
    }

    /** The schema of a {@code response_format} of type {@code json_schema} ({@link #check} accepted it), or null. */
    static JsonNode outputSchema(JsonNode responseFormat) {
        return responseFormat != null && responseFormat.path("type").asText("").equals("json_schema")
                ? responseFormat.path("json_schema").get("schema") : null;
    }

    private static void modalities(JsonNode v) {
        expect("modalities", v, v.isArray(), "an array such as [\"text\"]");
        for (JsonNode m : v) {
            expect("modalities", m, m.isTextual(), "an array of strings such as [\"text\"]");
            refuseUnless("modalities", m, m.asText().equals("text"), "[\"text\"]; only text output is available");
        }
    }

    private static void expect(String name, JsonNode v, boolean ok, String expected) {
        if (!ok) {
            throw invalidType(name, expected + ", got " + Bounded.text(v.toString(), 40));
        }
    }

    private static void refuseUnless(String name, JsonNode v, boolean ok, String expected) {
        if (!ok) {
            throw ApiError.invalidRequest(name + ": " + Bounded.text(v.toString(), 40)
                    + " is not supported by this gateway (expected: " + expected + ")");
        }
    }

    static ApiError invalidType(String name, String expected) {
        return ApiError.invalidRequest(name + ": expected " + expected);
    }

    private static ApiError notSupported(String name, String why) {
        return ApiError.invalidRequest(name + ": not supported by this gateway (" + why + ")");
    }
}
