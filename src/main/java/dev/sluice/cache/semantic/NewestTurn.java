package dev.sluice.cache.semantic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.Objects;

/**
 * Which part of a Messages request body is the newest user text, decided in one streaming pass.
 * The last message must be the user's; if any of its blocks is a {@code tool_result} the turn is
 * an agent loop step ({@link Kind#TOOL_RESULT}) and never matched by meaning. Otherwise the newest
 * user text is its string content, or its last text block that is not a {@code <system-reminder>}
 * (Claude Code puts its injected context in such blocks before the typed prompt). The byte range
 * of that JSON string (quotes included) lets the exact cache hash everything else as the anchor.
 */
public record NewestTurn(Kind kind, String text, int start, int end) {
    public enum Kind {
        /** Newest content is the user's text: comparable by meaning. */
        TEXT,
        /** Newest content is (or includes) a tool result: never compared. */
        TOOL_RESULT,
        /** No user turn last, no text, or a body this helper cannot read: not compared. */
        NONE
    }

    private static final NewestTurn NONE = new NewestTurn(Kind.NONE, "", -1, -1);
    private static final String REMINDER = "<system-reminder>";

    public static NewestTurn of(byte[] body) {
        Objects.requireNonNull(body, "body");
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            NewestTurn last = NONE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("messages") && value == JsonToken.START_ARRAY) {
                    last = lastMessage(p);
                } else {
                    p.skipChildren();
                }
            }
            return last;
        } catch (IOException | RuntimeException e) {
            return NONE; // the inspection stage reports malformed bodies; here it only means "no match"
        }
    }

    private static NewestTurn lastMessage(JsonParser p) throws IOException {
        NewestTurn last = NONE;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            last = message(p);
        }
        return last;
    }

    private static NewestTurn message(JsonParser p) throws IOException {
        String role = null;
        NewestTurn content = NONE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("role") && value == JsonToken.VALUE_STRING) {
                role = p.getText();
            } else if (name.equals("content") && value == JsonToken.VALUE_STRING) {
                content = text(p);
            } else if (name.equals("content") && value == JsonToken.START_ARRAY) {
                content = blocks(p);
            } else {
                p.skipChildren();
            }
        }
        return "user".equals(role) ? content : NONE;
    }

    private static NewestTurn blocks(JsonParser p) throws IOException {
        NewestTurn chosen = NONE;
        boolean toolResult = false;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String type = null;
            NewestTurn text = NONE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if (name.equals("text") && value == JsonToken.VALUE_STRING) {
                    text = text(p);
                } else {
                    p.skipChildren();
                }
            }
            if ("tool_result".equals(type)) {
                toolResult = true;
            } else if ("text".equals(type) && text.kind == Kind.TEXT && !text.text.stripLeading().startsWith(REMINDER)) {
                chosen = text;
            }
        }
        if (toolResult) {
            return new NewestTurn(Kind.TOOL_RESULT, "", -1, -1);
        }
        return chosen;
    }

    private static NewestTurn text(JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        String value = p.getText();
        int end = (int) p.currentLocation().getByteOffset();
        return value.isBlank() ? NONE : new NewestTurn(Kind.TEXT, value, start, end);
    }
}
