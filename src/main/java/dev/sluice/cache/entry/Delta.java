package dev.sluice.cache.entry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import java.io.IOException;

/**
 * The part of a {@code content_block_delta} event that carries content: its block index, what kind of
 * delta it is and the decoded piece of text, JSON or thinking it adds.
 *
 * @param index block index
 * @param type  the delta's type ({@code text_delta}, {@code input_json_delta}, {@code thinking_delta},
 *              {@code signature_delta}, {@code citations_delta}, ...)
 * @param field the member holding the piece ({@code text}, {@code partial_json}, {@code thinking},
 *              {@code signature}), or null for deltas without one
 * @param piece the decoded piece, or null
 */
public record Delta(int index, String type, String field, String piece) {

    /** The delta of a {@code content_block_delta} event, or null for other events and unreadable ones. */
    public static Delta of(SseEvent event) {
        if (!"content_block_delta".equals(event.type())) {
            return null;
        }
        try (JsonParser p = Json.FACTORY.createParser(event.raw(), event.dataStart(), event.dataLength())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int index = -1;
            String type = null;
            String field = null;
            String piece = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
                    index = p.getIntValue();
                } else if (name.equals("delta") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        JsonToken v = p.nextToken();
                        if (member.equals("type") && v == JsonToken.VALUE_STRING) {
                            type = p.getText();
                        } else if (v == JsonToken.VALUE_STRING && isPieceField(member)) {
                            field = member;
                            piece = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return index < 0 || type == null ? null : new Delta(index, type, field, piece);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isPieceField(String name) {
        return name.equals("text") || name.equals("partial_json") || name.equals("thinking") || name.equals("signature");
    }

    /** True for the deltas whose pieces are content a developer's path can appear in. */
    public boolean carriesContent() {
        return piece != null && !"signature".equals(field);
    }

    public boolean thinking() {
        return "thinking".equals(field);
    }
}
