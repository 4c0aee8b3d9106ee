package dev.sluice.route;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;

/**
 * A request's {@code thread} field (beta {@code message-threads-2026-08-12}): {@code {"type":"create"}} starts a
 * conversation the upstream holds under the answer's {@code id}; {@code {"type":"continue","previous_message_id":..}}
 * sends only the new turn and builds on what the upstream holds. Read from the field's bytes alone, bounded: the value
 * may be at most {@link #MAX_VALUE_BYTES} bytes and the id at most {@link #MAX_ID_CHARS} characters.
 *
 * @param previousMessageId the answer a continue builds on; null for a create
 */
record ThreadRequest(String previousMessageId) {
    static final int MAX_VALUE_BYTES = 1024;
    static final int MAX_ID_CHARS = 256;

    boolean continues() {
        return previousMessageId != null;
    }

    /** The request's thread, or null when it has none. */
    static ThreadRequest of(Exchange ex) {
        RequestFacts.Field f = ex.facts().field("thread");
        if (f == null || ex.body() == null) {
            return null;
        }
        int length = f.valueEnd() - f.valueStart();
        if (length > MAX_VALUE_BYTES) {
            throw ApiError.invalidRequest("thread: " + length + " bytes (expected: at most " + MAX_VALUE_BYTES + ")");
        }
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(ex.body().array(), f.valueStart(), length);
        } catch (IOException e) {
            throw ApiError.invalidRequest("thread: not valid JSON");
        }
        return parse(value);
    }

    static ThreadRequest parse(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        String type = value.path("type").asText("");
        if (type.equals("create")) {
            return new ThreadRequest(null);
        }
        if (!type.equals("continue")) {
            throw ApiError.invalidRequest("thread.type: " + value.path("type") + " (expected: \"create\" or \"continue\")");
        }
        JsonNode id = value.get("previous_message_id");
        if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_ID_CHARS) {
            throw ApiError.invalidRequest("thread.previous_message_id: expected a string of 1 to " + MAX_ID_CHARS
                    + " characters, got " + (id == null ? "nothing" : id.isTextual() ? id.asText().length() + " characters" : id.getNodeType()));
        }
        return new ThreadRequest(id.asText());
    }
}
