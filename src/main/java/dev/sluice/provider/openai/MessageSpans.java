package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One Anthropic message as OpenAI chat messages by byte spans: the shapes {@link ChatMessagesWriter} describes, with
 * every text, tool result, id and image payload copied as the client's escaped bytes (texts that are joined are joined
 * as escaped bytes, {@link JoinedText}), so a long conversation is never decoded and re-encoded. Only a tool call's
 * {@code input}, which becomes a string of compact JSON, is read as a tree.
 *
 * <p>It takes the common shapes only: a message it is not sure of (a role or block type written with escapes, a
 * non-string text, an {@code is_error} that is not a boolean, a document) is declined ({@link #write} returns false)
 * and translated from a tree by {@link ChatMessagesWriter}, exactly as before.
 */
final class MessageSpans {
    private static final byte[] USER = ascii("\"user\"");
    private static final byte[] ASSISTANT = ascii("\"assistant\"");
    private static final byte[] TEXT = ascii("\"text\"");
    private static final byte[] IMAGE = ascii("\"image\"");
    private static final byte[] TOOL_USE = ascii("\"tool_use\"");
    private static final byte[] TOOL_RESULT = ascii("\"tool_result\"");
    private static final byte[] URL = ascii("\"url\"");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] DOCUMENT = ascii("\"document\"");
    private static final byte[] NULL = ascii("null");
    private static final byte[] THINKING = ascii("\"thinking\"");

    private final byte[] json;
    private final boolean sendBack;

    /** @param sendBack thinking text goes back as the assistant message's {@code reasoning_content} */
    MessageSpans(byte[] json, boolean sendBack) {
        this.json = json;
        this.sendBack = sendBack;
    }

    /** Writes the message, or returns false (having written nothing) when it has a shape this class leaves to the tree. */
    boolean write(JsonGenerator g, TopLevelFields m) throws IOException {
        TopLevelFields.Field role = m.find("role");
        TopLevelFields.Field content = m.find("content");
        boolean user = is(role, USER);
        if (!user && !is(role, ASSISTANT)) {
            return false; // system turns, unknown or escaped roles: the tree path says what to do (or refuses)
        }
        if (content == null || isString(content)) {
            message(g, user ? "user" : "assistant", content);
            return true;
        }
        if (json[content.valueStart()] != '[') {
            return false;
        }
        List<TopLevelFields> blocks = JsonSpans.objects(json, content);
        for (TopLevelFields b : blocks) {
            if (b == null || !plain(b.find("type")) || is(b.find("type"), DOCUMENT)) {
                return false;
            }
        }
        return user ? user(g, blocks) : assistant(g, blocks);
    }

    private boolean user(JsonGenerator g, List<TopLevelFields> blocks) throws IOException {
        List<TopLevelFields> rest = new ArrayList<>();
        List<TopLevelFields> results = new ArrayList<>();
        List<TopLevelFields> resultImages = new ArrayList<>();
        for (TopLevelFields b : blocks) {
            if (is(b.find("type"), TOOL_RESULT)) {
                if (!toolResultImages(b, resultImages)) {
                    return false;
                }
                results.add(b);
            } else if (is(b.find("type"), TEXT) && !stringOrAbsent(b.find("text"))
                    || is(b.find("type"), IMAGE) && !imageSource(b)) {
                return false;
            } else {
                rest.add(b);
            }
        }
        for (TopLevelFields r : results) {
            toolMessage(g, r);
        }
        rest.addAll(resultImages); // a tool message carries text only: its images follow as the user's
        if (rest.isEmpty()) {
            return true;
        }
        boolean allText = true;
        for (TopLevelFields b : rest) {
            allText &= is(b.find("type"), TEXT);
        }
        if (allText) {
            JoinedText text = new JoinedText(json, "", "\\n", true);
            for (TopLevelFields b : rest) {
                addText(text, b.find("text"));
            }
            g.writeStartObject();
            g.writeStringField("role", "user");
            g.writeFieldName("content");
            writeText(g, text);
            g.writeEndObject();
            return true;
        }
        g.writeStartObject();
        g.writeStringField("role", "user");
        g.writeArrayFieldStart("content");
        for (TopLevelFields b : rest) {
            part(g, b);
        }
        g.writeEndArray();
        g.writeEndObject();
        return true;
    }

    /** Checks a tool result's shape and gathers its images; false when the tree path should take the message. */
    private boolean toolResultImages(TopLevelFields result, List<TopLevelFields> images) {
        TopLevelFields.Field isError = result.find("is_error");
        if (!stringOrAbsent(result.find("tool_use_id")) || (isError != null && !is(isError, TRUE) && !is(isError, FALSE))) {
            return false;
        }
        TopLevelFields.Field content = result.find("content");
        if (content == null || isString(content) || is(content, NULL)) {
            return true;
        }
        if (json[content.valueStart()] != '[') {
            return false;
        }
        for (TopLevelFields b : JsonSpans.objects(json, content)) {
            if (b == null || !plain(b.find("type")) || (is(b.find("type"), TEXT) && !stringOrAbsent(b.find("text")))) {
                return false;
            }
            if (is(b.find("type"), IMAGE)) {
                if (!imageSource(b)) {
                    return false;
                }
                images.add(b);
            }
        }
        return true;
    }

    private void toolMessage(JsonGenerator g, TopLevelFields result) throws IOException {
        JoinedText text = new JoinedText(json, is(result.find("is_error"), TRUE) ? "Error: " : "", "", false);
        TopLevelFields.Field content = result.find("content");
        if (content != null && isString(content)) {
            text.add(content.valueStart(), content.valueEnd());
        } else if (content != null && json[content.valueStart()] == '[') {
            for (TopLevelFields b : JsonSpans.objects(json, content)) {
                if (is(b.find("type"), TEXT)) {
                    addText(text, b.find("text"));
                }
            }
        }
        g.writeStartObject();
        g.writeStringField("role", "tool");
        g.writeFieldName("tool_call_id");
        writeString(g, result.find("tool_use_id"));
        g.writeFieldName("content");
        writeText(g, text);
        g.writeEndObject();
    }

    private void part(JsonGenerator g, TopLevelFields block) throws IOException {
        if (is(block.find("type"), TEXT)) {
            g.writeStartObject();
            g.writeStringField("type", "text");
            g.writeFieldName("text");
            writeString(g, block.find("text"));
            g.writeEndObject();
        } else if (is(block.find("type"), IMAGE)) {
            TopLevelFields source = TopLevelFields.readValid(json, block.find("source").valueStart());
            g.writeStartObject();
            g.writeStringField("type", "image_url");
            g.writeObjectFieldStart("image_url");
            g.writeFieldName("url");
            if (is(source.find("type"), URL)) {
                writeString(g, source.find("url"));
            } else {
                JoinedText url = new JoinedText(json, "data:", ";base64,", false);
                addText(url, source.find("media_type"));
                addText(url, source.find("data"));
                url.writeValue(g);
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        // thinking, server-tool results, search results: nothing OpenAI can take
    }

    /** An image block whose source is an object of plain strings (or absent ones); else the tree path takes it. */
    private boolean imageSource(TopLevelFields block) {
        TopLevelFields.Field source = block.find("source");
        if (source == null || json[source.valueStart()] != '{') {
            return false;
        }
        TopLevelFields s = TopLevelFields.readValid(json, source.valueStart());
        return plain(s.find("type")) && stringOrAbsent(s.find("url")) && stringOrAbsent(s.find("media_type"))
                && stringOrAbsent(s.find("data"));
    }

    private boolean assistant(JsonGenerator g, List<TopLevelFields> blocks) throws IOException {
        JoinedText text = new JoinedText(json, "", "", false);
        JoinedText reasoning = new JoinedText(json, "", "\\n\\n", true);
        List<TopLevelFields> calls = new ArrayList<>();
        for (TopLevelFields b : blocks) {
            if (sendBack && is(b.find("type"), THINKING)) {
                TopLevelFields.Field thought = b.find("thinking");
                if (!stringOrAbsent(thought)) {
                    return false;
                }
                if (thought != null && thought.valueEnd() - thought.valueStart() > 2) {
                    reasoning.add(thought.valueStart(), thought.valueEnd()); // non-empty texts only, as the tree path
                }
            } else if (is(b.find("type"), TEXT)) {
                if (!stringOrAbsent(b.find("text"))) {
                    return false;
                }
                addText(text, b.find("text"));
            } else if (is(b.find("type"), TOOL_USE)) {
                if (!stringOrAbsent(b.find("id")) || !stringOrAbsent(b.find("name"))) {
                    return false;
                }
                calls.add(b);
            }
        }
        g.writeStartObject();
        g.writeStringField("role", "assistant");
        if (!calls.isEmpty() && text.isEmpty()) {
            g.writeNullField("content");
        } else {
            g.writeFieldName("content");
            writeText(g, text);
        }
        if (!reasoning.isEmpty()) {
            g.writeFieldName("reasoning_content");
            reasoning.writeValue(g);
        }
        if (!calls.isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (TopLevelFields call : calls) {
                g.writeStartObject();
                g.writeFieldName("id");
                writeString(g, call.find("id"));
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeFieldName("name");
                writeString(g, call.find("name"));
                TopLevelFields.Field input = call.find("input");
                g.writeStringField("arguments", input == null || is(input, NULL) ? "{}" : compact(input));
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        return true;
    }

    /** A tool call's input as compact JSON text, as the tree path writes it. */
    private String compact(TopLevelFields.Field input) throws IOException {
        JsonNode tree = Json.MAPPER.readTree(json, input.valueStart(), input.valueEnd() - input.valueStart());
        return tree.toString();
    }

    private void message(JsonGenerator g, String role, TopLevelFields.Field content) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeFieldName("content");
        writeString(g, content);
        g.writeEndObject();
    }

    /** A string field's raw value, or {@code ""} when it is absent. */
    private void writeString(JsonGenerator g, TopLevelFields.Field field) throws IOException {
        if (field == null) {
            g.writeString("");
        } else {
            new RawJson(json, field.valueStart(), field.valueEnd()).writeValue(g);
        }
    }

    private static void writeText(JsonGenerator g, JoinedText text) throws IOException {
        text.writeValue(g);
    }

    /** Adds a string field's contents; an absent field adds an empty part, as the tree path's {@code asText()} does. */
    private static void addText(JoinedText text, TopLevelFields.Field field) {
        if (field == null) {
            text.addEmpty();
        } else {
            text.add(field.valueStart(), field.valueEnd());
        }
    }

    /** True when the field's value is exactly {@code literal}. */
    private boolean is(TopLevelFields.Field field, byte[] literal) {
        return JsonSpans.is(json, field, literal);
    }

    private boolean isString(TopLevelFields.Field field) {
        return json[field.valueStart()] == '"';
    }

    private boolean stringOrAbsent(TopLevelFields.Field field) {
        return field == null || isString(field);
    }

    /** A string with no escapes (a type or role compared by its bytes), or absent. */
    private boolean plain(TopLevelFields.Field field) {
        if (field == null) {
            return true;
        }
        if (!isString(field)) {
            return false;
        }
        for (int i = field.valueStart(); i < field.valueEnd(); i++) {
            if (json[i] == '\\') {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
