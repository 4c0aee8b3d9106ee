package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;

/**
 * The prompt-cache markers of one chat completion as it is translated: {@code cache_control} on a content part, on a
 * message or on a tool, the convention LiteLLM and OpenRouter clients use with Claude
 * ({@code {"type":"ephemeral"}}, optionally {@code "ttl":"5m"|"1h"}). Each is checked and written, normalised, on the
 * Anthropic block it maps to.
 *
 * <p>Refused with a 400 naming the marker: anything but an object, a {@code type} other than {@code ephemeral}, a
 * {@code ttl} other than {@code 5m}/{@code 1h}, other fields (Anthropic refuses them too), and a fifth marker. A
 * top-level {@code cache_control} (OpenRouter's "cache automatically") marks the last block, as Anthropic's own does. Past four
 * the request is refused rather than trimmed to the last four: Anthropic refuses a fifth itself, and keeping some
 * would cache (and bill writes for) a prefix other than the one the client chose, without its knowing.
 */
final class CacheMarkers {
    /** Blocks with {@code cache_control} Anthropic accepts in one request. */
    static final int MAX = 4;

    private int count;

    /**
     * The Anthropic {@code cache_control} for the client's one at {@code where}, or null when it gave none.
     *
     * @param where the path of the object carrying it ({@code messages.2.content.0}, {@code tools.3})
     * @throws ApiError 400 naming {@code where.cache_control} when it is not one Anthropic takes, or is the fifth
     */
    JsonNode read(JsonNode marker, String where) {
        JsonNode out = checked(marker, where);
        if (out != null && ++count > MAX) {
            throw ApiError.invalidRequest(path(where) + ": a fifth cache breakpoint is not supported "
                    + "(expected: at most " + MAX + " blocks with cache_control per request, Anthropic's limit; the request is "
                    + "refused rather than trimmed so the prefix cached is always the one the client marked)");
        }
        return out;
    }

    /** As {@link #read}, without counting it: for a marker that may land where another already is. */
    JsonNode checked(JsonNode marker, String where) {
        if (marker == null || marker.isNull()) {
            return null;
        }
        String at = path(where);
        if (!marker.isObject()) {
            throw ChatFields.invalidType(at, "an object such as {\"type\":\"ephemeral\"}, got " + Bounded.text(marker.toString(), 40));
        }
        JsonNode type = marker.get("type");
        if (type == null || !type.isTextual()) {
            throw ChatFields.invalidType(at + ".type", "the string \"ephemeral\"");
        }
        if (!type.asText().equals("ephemeral")) {
            throw unsupported(at + ".type", type, "ephemeral");
        }
        JsonNode ttl = marker.get("ttl");
        if (ttl != null && !ttl.isNull() && !ttl.isTextual()) {
            throw ChatFields.invalidType(at + ".ttl", "the string \"5m\" or \"1h\"");
        }
        if (ttl != null && ttl.isTextual() && !ttl.asText().equals("5m") && !ttl.asText().equals("1h")) {
            throw unsupported(at + ".ttl", ttl, "5m or 1h");
        }
        marker.fieldNames().forEachRemaining(name -> {
            if (!name.equals("type") && !name.equals("ttl")) {
                throw ApiError.invalidRequest(at + "." + Bounded.text(name, 64)
                        + ": not supported by this gateway (a cache_control takes type and ttl only)");
            }
        });
        ObjectNode out = Json.MAPPER.createObjectNode().put("type", "ephemeral");
        if (ttl != null && ttl.isTextual()) {
            out.put("ttl", ttl.asText());
        }
        return out;
    }

    private static String path(String where) {
        return where.isEmpty() ? "cache_control" : where + ".cache_control";
    }

    private static ApiError unsupported(String at, JsonNode value, String expected) {
        return ApiError.invalidRequest(at + ": " + Bounded.text(value.toString(), 40) + " is not supported by this gateway (expected: "
                + expected + ")");
    }
}
