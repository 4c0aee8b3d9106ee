package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Structured output as both OpenAI doors ask for it: chat's {@code response_format: {"type":"json_schema",
 * "json_schema":{name, schema, strict, description}}} and the Responses API's {@code text.format: {"type":"json_schema",
 * name, schema, strict, description}}. Claude answers it natively: the schema becomes the canonical body's
 * {@code output_config.format} ({@code {"type":"json_schema","schema":...}}), and the answer's text is JSON that fits
 * it, which the client parses as it would OpenAI's. This is what the Vercel AI SDK's {@code generateObject} and
 * LangChain's {@code withStructuredOutput} send by default. {@code strict} is accepted either way: Claude's structured
 * output is always constrained to the schema. {@code json_object} (JSON of any shape) has no Anthropic counterpart and
 * stays refused by the doors.
 */
public final class JsonSchemaFormat {
    /** OpenAI's rule for a format's name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private JsonSchemaFormat() {
    }

    /**
     * The schema of a {@code json_schema} format description, checked field by field.
     *
     * @param where  the description's path, for the refusal ({@code response_format.json_schema}, {@code text.format})
     * @param format the object holding {@code name}, {@code schema}, {@code strict}, {@code description}, and in the
     *               Responses API's case {@code type}
     * @throws ApiError 400 naming the first field of the wrong type
     */
    public static JsonNode schema(String where, JsonNode format) {
        if (format == null || !format.isObject()) {
            throw invalid(where, "an object such as {\"name\":\"answer\",\"schema\":{\"type\":\"object\",...}}", format);
        }
        JsonNode schema = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = format.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            String at = where + "." + Bounded.text(f.getKey(), 40);
            switch (f.getKey()) {
                case "type" -> { } // the caller read it: json_schema
                case "name" -> check(at, v, v.isTextual() && NAME.matcher(v.asText()).matches(),
                        "a name of 1 to 64 letters, digits, _ or -");
                case "schema" -> {
                    check(at, v, v.isObject(), "a JSON schema object");
                    schema = v;
                }
                case "strict" -> check(at, v, v.isBoolean() || v.isNull(), "a boolean");
                case "description" -> check(at, v, v.isTextual() || v.isNull(), "a string");
                default -> throw ApiError.invalidRequest(at + ": not supported by this gateway (not a field of a json_schema format)");
            }
        }
        JsonNode name = format.get("name");
        check(where + ".name", format, name != null, "a name of 1 to 64 letters, digits, _ or -");
        check(where + ".schema", format, schema != null, "a JSON schema object");
        return schema;
    }

    /** Writes {@code "output_config":{"format":{"type":"json_schema","schema":...}}} into the canonical body. */
    public static void write(JsonGenerator g, JsonNode schema) throws IOException {
        g.writeObjectFieldStart("output_config");
        g.writeObjectFieldStart("format");
        g.writeStringField("type", "json_schema");
        g.writeFieldName("schema");
        g.writeTree(schema);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void check(String at, JsonNode v, boolean ok, String expected) {
        if (!ok) {
            throw invalid(at, expected, v);
        }
    }

    private static ApiError invalid(String at, String expected, JsonNode got) {
        return ApiError.invalidRequest(at + ": expected " + expected + ", got " + Bounded.text(String.valueOf(got), 40));
    }
}
