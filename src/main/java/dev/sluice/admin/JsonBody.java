package dev.sluice.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.Durations;
import dev.sluice.identity.Change;
import dev.sluice.identity.IdentityException;
import dev.sluice.identity.Usd;
import dev.sluice.wire.ApiError;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * A request's JSON object, read field by field. A field that is absent means "leave it alone", an explicit
 * {@code null} means "clear it" where clearing makes sense. Unknown fields are refused, so a typo such as
 * {@code montly_cap_usd} is an error rather than a silent no-op.
 */
final class JsonBody {
    /** Duplicate keys are refused: parsers disagree on which copy counts, and "last wins" let one create another user. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** Parses the body (empty means {@code {}}) and checks every field is one of {@code allowed}. */
    /**
     * The top-level field names of a body, comma separated, for the audit line of a change (never the values);
     * "" for an empty body or one that is not a JSON object. At most 20 names of 64 characters.
     */
    static String fieldNames(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode parsed = MAPPER.readTree(body);
            if (parsed == null || !parsed.isObject()) {
                return "";
            }
            List<String> names = new java.util.ArrayList<>();
            parsed.fieldNames().forEachRemaining(f -> {
                if (names.size() < 20) {
                    names.add(dev.sluice.pipeline.Bounded.text(f, 64).replaceAll("[^A-Za-z0-9_.-]", "?"));
                }
            });
            return String.join(", ", names);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static JsonBody parse(byte[] body, List<String> allowed) {
        JsonNode parsed;
        try {
            parsed = body.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            String line = firstLine(e);
            throw ApiError.invalidRequest(line.startsWith("Duplicate field")
                    ? "body: " + line + " (expected: each field once)" : "body: not valid JSON (" + line + ")");
        } catch (java.io.IOException e) {
            throw ApiError.invalidRequest("body: not valid JSON (" + firstLine(e) + ")");
        }
        if (parsed == null || !parsed.isObject()) {
            throw ApiError.invalidRequest("body: " + (parsed == null ? "empty" : parsed.getNodeType().name().toLowerCase(Locale.ROOT))
                    + " (expected: a JSON object)");
        }
        List<String> unknown = new ArrayList<>();
        parsed.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiError.invalidRequest("body: unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (expected: " + String.join(", ", allowed) + ")");
        }
        return new JsonBody((ObjectNode) parsed);
    }

    boolean has(String field) {
        return node.has(field);
    }

    /** A string, or null when absent or null. */
    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(field, v, "a string");
        }
        return v.textValue();
    }

    String requiredText(String field, String example) {
        String v = text(field);
        if (v == null) {
            throw ApiError.invalidRequest("field " + field + ": missing (expected: a string such as " + example + ")");
        }
        return v;
    }

    /** Absent: null (no change); null: a change to null; a string: a change to it. */
    Change<String> clearableText(String field) {
        return node.has(field) ? Change.to(text(field)) : null;
    }

    Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw bad(field, v, "true or false");
        }
        return v.booleanValue();
    }

    /** An object of string values, or null when absent; {@code {}} or null clears all tags. */
    Map<String, String> tags(String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw bad(field, v, "an object of string values such as {\"repo\":\"api\"}");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw bad(field + "." + e.getKey(), e.getValue(), "a string");
            }
            tags.put(e.getKey(), e.getValue().textValue());
        }
        return tags;
    }

    /** USD as a number or numeric string; absent: no change; null: no cap. */
    Change<BigDecimal> usd(String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        if (v.isNull()) {
            return Change.to(null);
        }
        try {
            if (v.isNumber()) {
                return Change.to(Usd.check(v.decimalValue()));
            }
            if (v.isTextual()) {
                return Change.to(Usd.parse(v.textValue()));
            }
        } catch (IdentityException e) {
            throw ApiError.invalidRequest("field " + field + ": " + e.getMessage());
        }
        throw bad(field, v, "a number of USD such as 50 or 12.5, or null for no cap");
    }

    /** A duration such as {@code 24h} or {@code 90d}, or null when absent. */
    Duration duration(String field) {
        String v = text(field);
        if (v == null) {
            return null;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest("field " + field + ": " + e.getMessage());
        }
    }

    /** An ISO-8601 instant; absent: no change; null: a change to none. */
    Change<Instant> instant(String field) {
        if (!node.has(field)) {
            return null;
        }
        String v = text(field);
        try {
            return Change.to(v == null ? null : Instant.parse(v));
        } catch (DateTimeParseException e) {
            throw ApiError.invalidRequest("field " + field + ": \"" + v
                    + "\" (expected: an instant such as 2027-01-31T00:00:00Z, or null)");
        }
    }

    private static ApiError bad(String field, JsonNode v, String expected) {
        return ApiError.invalidRequest("field " + field + ": " + v + " (expected: " + expected + ")");
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? "unreadable" : m.lines().findFirst().orElse(m);
    }
}
