package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import dev.sluice.wire.body.FieldEdits;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code POST /v1/embeddings}, passed through: the request is checked (a model, an input that is a string, an
 * array of strings or of token arrays, bounded in count) and sent with only {@code model} changed; the answer's
 * {@code usage.prompt_tokens} is what it costs.
 */
public final class EmbeddingsRequest {
    /** OpenAI's own limit on inputs per request. */
    public static final int MAX_INPUTS = 2048;

    /** What the request asks for. */
    public record Facts(String model, int inputs) {
    }

    private EmbeddingsRequest() {
    }

    /** @throws ApiError 400 naming the bad field */
    public static Facts inspect(byte[] body) {
        return inspect(body, body.length);
    }

    /** The first {@code length} bytes of {@code body}. @throws ApiError 400 naming the bad field */
    public static Facts inspect(byte[] body, int length) {
        String model = null;
        int inputs = -1;
        try (JsonParser p = Json.FACTORY.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.invalidRequest("request body: expected a JSON object");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!seen.add(name)) {
                    // Parsers disagree on which copy wins; the upstream must not read another model than we priced.
                    throw ApiError.invalidRequest(Bounded.text(name, 200) + ": given twice (expected: each field once)");
                }
                JsonToken v = p.nextToken();
                if (name.equals("model")) {
                    if (v != JsonToken.VALUE_STRING || p.getText().isBlank()) {
                        throw ApiError.invalidRequest("model: expected a non-empty string");
                    }
                    model = p.getText();
                } else if (name.equals("input")) {
                    inputs = countInputs(p, v);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ApiError.invalidRequest("request body: content after the JSON object");
            }
        } catch (IOException e) {
            throw ApiError.invalidRequest("request body: not valid JSON");
        }
        if (model == null) {
            throw ApiError.invalidRequest("model: Field required");
        }
        if (inputs < 1) {
            throw ApiError.invalidRequest("input: Field required (a string, or a non-empty array of strings or token arrays)");
        }
        return new Facts(model, inputs);
    }

    private static int countInputs(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return 1;
        }
        if (v != JsonToken.START_ARRAY) {
            throw ApiError.invalidRequest("input: expected a string or an array");
        }
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.START_ARRAY) {
                throw ApiError.invalidRequest("input." + n + ": expected a string, a token or an array of tokens");
            }
            p.skipChildren();
            if (++n > MAX_INPUTS) {
                throw ApiError.invalidRequest("input: more than " + MAX_INPUTS + " items");
            }
        }
        return n;
    }

    static RequestBody withModel(RequestBody body, String model) {
        RequestBody base = dev.sluice.provider.EditedBody.flatten(body);
        TopLevelFields fields = TopLevelFields.scan(base.array(), base.length());
        FieldEdits.dropping(Set.of()).set("model", "\"" + model + "\"").applyTo(base, fields, "openai: model");
        return base;
    }

    /** The cost of an embeddings answer: {@code usage.prompt_tokens} as input tokens (the vectors are skipped, not decoded). */
    public static Usage usage(byte[] answer) {
        try (JsonParser p = Json.FACTORY.createParser(answer)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Usage.ZERO;
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!seen.add(name)) {
                    // Parsers disagree on which copy wins; the upstream must not read another model than we priced.
                    throw ApiError.invalidRequest(Bounded.text(name, 200) + ": given twice (expected: each field once)");
                }
                JsonToken v = p.nextToken();
                if (name.equals("usage") && v == JsonToken.START_OBJECT) {
                    long prompt = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken n = p.nextToken();
                        if (field.equals("prompt_tokens") && n == JsonToken.VALUE_NUMBER_INT) {
                            prompt = Math.max(0, p.getLongValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                    return Usage.of(prompt, 0);
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return Usage.ZERO;
        }
        return Usage.ZERO;
    }
}
