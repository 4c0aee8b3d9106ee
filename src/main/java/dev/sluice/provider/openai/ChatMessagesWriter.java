package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's {@code system} and {@code messages} as OpenAI chat messages:
 * <ul>
 *   <li>system text (string or blocks) is one {@code system} message, blocks joined by blank lines
 *       ({@link SystemText}, from the client's bytes);</li>
 *   <li>a user turn's {@code tool_result} blocks become {@code tool} messages first (OpenAI wants them right after
 *       the assistant's {@code tool_calls}), then the rest of the turn as one {@code user} message: a string when it
 *       is all text, content parts when it holds images ({@code image_url} data URIs or URLs) or PDFs
 *       ({@code file} parts);</li>
 *   <li>an assistant turn's text becomes {@code content}, its {@code tool_use} blocks {@code tool_calls} with the
 *       input as a JSON string; thinking blocks are not sent as blocks (their signatures mean nothing elsewhere), and
 *       their text goes back as {@code reasoning_content} only when the upstream asks for it ({@code sendBack}).</li>
 * </ul>
 * Messages of the common shapes are translated by byte spans ({@link MessageSpans}: texts, results, ids and image
 * data copied as the client's escaped bytes); the methods here translate the others from a tree, and define what
 * the span path must equal.
 */
final class ChatMessagesWriter {
    private ChatMessagesWriter() {
    }

    /**
     * Writes the chat messages for {@code messages} (an array, by its span in {@code json}): each message by byte spans
     * ({@link MessageSpans}) when it has a common shape, else from a tree of that message alone.
     *
     * @param system the system text ({@link SystemText}, from the client's bytes), or null
     */
    static void write(JsonGenerator g, SystemText system, byte[] json, TopLevelFields.Field messages) throws IOException {
        write(g, system, json, messages, true, false);
    }

    /** @param bySpans false to translate every message from its tree (the reference the span path is tested against) */
    static void write(JsonGenerator g, SystemText system, byte[] json, TopLevelFields.Field messages, boolean bySpans)
            throws IOException {
        write(g, system, json, messages, bySpans, false);
    }

    /** @param sendBack thinking text goes back as the assistant message's {@code reasoning_content} ({@link OpenAiReasoning}) */
    static void write(JsonGenerator g, SystemText system, byte[] json, TopLevelFields.Field messages, boolean bySpans,
                      boolean sendBack) throws IOException {
        g.writeStartArray();
        if (system != null) {
            g.writeStartObject();
            g.writeStringField("role", "system");
            g.writeFieldName("content");
            system.writeValue(g);
            g.writeEndObject();
        }
        MessageSpans spans = new MessageSpans(json, sendBack);
        for (TopLevelFields m : JsonSpans.objects(json, messages)) {
            if (m == null) {
                throw ApiError.invalidRequest("messages: role null (expected: user or assistant)");
            }
            if (!bySpans || !spans.write(g, m)) {
                message(g, Json.MAPPER.readTree(json, m.objectStart(), m.objectEnd() + 1 - m.objectStart()), sendBack);
            }
        }
        g.writeEndArray();
    }

    /** One message from its tree. */
    private static void message(JsonGenerator g, JsonNode m, boolean sendBack) throws IOException {
        String role = m.path("role").asText();
        JsonNode content = m.get("content");
        switch (role) {
            case "user" -> user(g, content);
            case "assistant" -> assistant(g, content, sendBack);
            case "system" -> message(g, "system", text(content));
            default -> throw ApiError.invalidRequest("messages: role " + m.get("role") + " (expected: user or assistant)");
        }
    }

    private static void message(JsonGenerator g, String role, String content) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("content", content);
        g.writeEndObject();
    }

    private static void user(JsonGenerator g, JsonNode content) throws IOException {
        if (content == null || content.isTextual()) {
            message(g, "user", content == null ? "" : content.asText());
            return;
        }
        List<JsonNode> rest = new ArrayList<>();
        List<JsonNode> resultImages = new ArrayList<>();
        for (JsonNode block : content) {
            if (block.path("type").asText().equals("tool_result")) {
                toolMessage(g, block, resultImages);
            } else {
                rest.add(block);
            }
        }
        rest.addAll(resultImages); // a tool message carries text only: its images follow as the user's
        if (rest.isEmpty()) {
            return;
        }
        boolean allText = rest.stream().allMatch(b -> b.path("type").asText().equals("text"));
        if (allText) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode b : rest) {
                sb.append(sb.isEmpty() ? "" : "\n").append(b.path("text").asText());
            }
            message(g, "user", sb.toString());
            return;
        }
        g.writeStartObject();
        g.writeStringField("role", "user");
        g.writeArrayFieldStart("content");
        for (JsonNode b : rest) {
            part(g, b);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void toolMessage(JsonGenerator g, JsonNode result, List<JsonNode> images) throws IOException {
        JsonNode content = result.get("content");
        StringBuilder text = new StringBuilder();
        if (result.path("is_error").asBoolean(false)) {
            text.append("Error: ");
        }
        if (content != null && content.isTextual()) {
            text.append(content.asText());
        } else if (content != null && content.isArray()) {
            for (JsonNode b : content) {
                String type = b.path("type").asText();
                if (type.equals("text")) {
                    text.append(b.path("text").asText());
                } else if (type.equals("image")) {
                    images.add(b);
                }
            }
        }
        g.writeStartObject();
        g.writeStringField("role", "tool");
        g.writeStringField("tool_call_id", result.path("tool_use_id").asText());
        g.writeStringField("content", text.toString());
        g.writeEndObject();
    }

    private static void part(JsonGenerator g, JsonNode block) throws IOException {
        String type = block.path("type").asText();
        JsonNode source = block.path("source");
        switch (type) {
            case "text" -> {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", block.path("text").asText());
                g.writeEndObject();
            }
            case "image" -> {
                g.writeStartObject();
                g.writeStringField("type", "image_url");
                g.writeObjectFieldStart("image_url");
                g.writeStringField("url", source.path("type").asText().equals("url") ? source.path("url").asText()
                        : "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText());
                g.writeEndObject();
                g.writeEndObject();
            }
            case "document" -> document(g, block, source);
            default -> { } // thinking, server-tool results, search results: nothing OpenAI can take
        }
    }

    private static void document(JsonGenerator g, JsonNode block, JsonNode source) throws IOException {
        g.writeStartObject();
        if (source.path("type").asText().equals("base64")) {
            g.writeStringField("type", "file");
            g.writeObjectFieldStart("file");
            g.writeStringField("filename", block.path("title").asText("document.pdf"));
            g.writeStringField("file_data", "data:" + source.path("media_type").asText("application/pdf") + ";base64,"
                    + source.path("data").asText());
            g.writeEndObject();
        } else {
            g.writeStringField("type", "text");
            g.writeStringField("text", source.path("data").asText(source.path("url").asText("")));
        }
        g.writeEndObject();
    }

    private static void assistant(JsonGenerator g, JsonNode content, boolean sendBack) throws IOException {
        if (content == null || content.isTextual()) {
            message(g, "assistant", content == null ? "" : content.asText());
            return;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<JsonNode> calls = new ArrayList<>();
        for (JsonNode b : content) {
            switch (b.path("type").asText()) {
                case "text" -> text.append(b.path("text").asText());
                case "tool_use" -> calls.add(b);
                case "thinking" -> {
                    String thought = b.path("thinking").asText("");
                    if (sendBack && !thought.isEmpty()) {
                        reasoning.append(reasoning.isEmpty() ? "" : "\n\n").append(thought);
                    }
                }
                default -> { }
            }
        }
        g.writeStartObject();
        g.writeStringField("role", "assistant");
        if (text.isEmpty() && !calls.isEmpty()) {
            g.writeNullField("content");
        } else {
            g.writeStringField("content", text.toString());
        }
        if (!reasoning.isEmpty()) {
            g.writeStringField("reasoning_content", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (JsonNode call : calls) {
                g.writeStartObject();
                g.writeStringField("id", call.path("id").asText());
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", call.path("name").asText());
                JsonNode input = call.get("input");
                g.writeStringField("arguments", input == null || input.isNull() ? "{}" : input.toString());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** The text of a system value: the string, or its text blocks joined by blank lines. */
    static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : value) {
            if (b.path("type").asText().equals("text")) {
                sb.append(sb.isEmpty() ? "" : "\n\n").append(b.path("text").asText());
            }
        }
        return sb.toString();
    }
}
