package dev.sluice.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the session out of {@code metadata.user_id}. Claude Code sends a JSON string there
 * ({@code {"device_id":..,"account_uuid":..,"session_id":".."}}); other clients send an opaque id,
 * which then stands for the session itself.
 */
final class SessionIds {
    private static final JsonFactory JSON = dev.sluice.wire.Json.FACTORY;

    private SessionIds() {
    }

    static String fromMetadata(String userId) {
        if (userId == null || userId.isEmpty() || userId.charAt(0) != '{') {
            return userId;
        }
        try (JsonParser p = JSON.createParser(userId)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return userId;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("session_id".equals(name) && p.currentToken() == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // Not JSON after all: the string is the id.
        }
        return userId;
    }
}
