package dev.sluice.route;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import java.io.IOException;

/**
 * The {@code id} of an Anthropic answer, read with a streaming parser that stops at it: a whole message's top-level
 * {@code id}, or a {@code message_start} event's {@code message.id}. Nested values are skipped, not built; an id longer
 * than {@link ThreadRequest#MAX_ID_CHARS} or anything unreadable gives null.
 */
final class AnswerId {
    private AnswerId() {
    }

    /** The top-level {@code id} of a message body. */
    static String ofMessage(byte[] body, int offset, int length) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body, offset, length)) {
            return idIn(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code message.id} of a {@code message_start} event's data. */
    static String ofMessageStart(byte[] data, int offset, int length) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("message")) {
                    return idAt(p);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String idIn(JsonParser p) throws IOException {
        return p.nextToken() == JsonToken.START_OBJECT ? idAt(p) : null;
    }

    /** With the parser on an object's start: its {@code id} string, skipping the other members. */
    private static String idAt(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("id")) {
                if (value != JsonToken.VALUE_STRING || p.getTextLength() > ThreadRequest.MAX_ID_CHARS) {
                    return null;
                }
                return p.getText();
            }
            p.skipChildren();
        }
        return null;
    }
}
