package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI chat messages as Anthropic's {@code system} and {@code messages}. System and developer messages gather
 * into {@code system}; {@code tool} messages become {@code tool_result} blocks and join the user turn that
 * follows them (Anthropic wants every result of an assistant turn in the next user message); assistant
 * {@code tool_calls} become {@code tool_use} blocks; {@code image_url} parts become image blocks (data URIs as
 * base64, other URLs as URL sources); {@code file} parts with a PDF data URI become documents.
 */
final class ChatMessagesReader {
    private ChatMessagesReader() {
    }

    /** A turn being built: its role and content blocks. */
    private record Turn(String role, List<JsonNode> blocks) {
    }

    static void write(JsonGenerator g, JsonNode messages) throws IOException {
        List<String> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        int i = 0;
        for (JsonNode m : messages) {
            String where = "messages." + i++;
            String role = m.path("role").asText("");
            switch (role) {
                case "system", "developer" -> system.add(text(m.get("content"), where));
                case "user" -> add(turns, "user", userBlocks(m.get("content"), where));
                case "tool" -> add(turns, "user", List.of(toolResult(m, where)));
                case "assistant" -> add(turns, "assistant", assistantBlocks(m, where));
                default -> throw ApiError.invalidRequest(where + ".role: " + m.get("role")
                        + " (expected: system, developer, user, assistant or tool)");
            }
        }
        if (!system.isEmpty()) {
            g.writeArrayFieldStart("system");
            for (String s : system) {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", s);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (turns.isEmpty()) {
            throw ApiError.invalidRequest("messages: at least one user or assistant message is required");
        }
        g.writeArrayFieldStart("messages");
        for (Turn t : turns) {
            g.writeStartObject();
            g.writeStringField("role", t.role());
            g.writeArrayFieldStart("content");
            for (JsonNode b : t.blocks()) {
                g.writeTree(b);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Consecutive turns of one role merge (tool results then the user's text make one user turn). */
    private static void add(List<Turn> turns, String role, List<JsonNode> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
            turns.getLast().blocks().addAll(blocks);
        } else {
            turns.add(new Turn(role, new ArrayList<>(blocks)));
        }
    }

    private static List<JsonNode> userBlocks(JsonNode content, String where) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.add(textBlock(content.asText()));
            }
            return blocks;
        }
        if (!content.isArray()) {
            throw ApiError.invalidRequest(where + ".content: expected a string or an array of parts");
        }
        int j = 0;
        for (JsonNode part : content) {
            blocks.add(ContentParts.toBlock(part, where + ".content." + j++));
        }
        return blocks;
    }

    private static List<JsonNode> assistantBlocks(JsonNode m, String where) {
        List<JsonNode> blocks = new ArrayList<>();
        String text = m.path("content").isNull() || m.get("content") == null ? "" : text(m.get("content"), where);
        if (!text.isEmpty()) {
            blocks.add(textBlock(text));
        }
        int j = 0;
        for (JsonNode call : m.path("tool_calls")) {
            JsonNode fn = call.path("function");
            if (!call.path("id").isTextual() || !fn.path("name").isTextual()) {
                throw ApiError.invalidRequest(where + ".tool_calls." + j + ": expected an id and a function name");
            }
            var block = Json.MAPPER.createObjectNode().put("type", "tool_use").put("id", call.get("id").asText())
                    .put("name", fn.get("name").asText());
            block.set("input", arguments(fn.path("arguments").asText("")));
            blocks.add(block);
            j++;
        }
        return blocks;
    }

    private static JsonNode toolResult(JsonNode m, String where) {
        if (!m.path("tool_call_id").isTextual()) {
            throw ApiError.invalidRequest(where + ".tool_call_id: Field required");
        }
        return Json.MAPPER.createObjectNode().put("type", "tool_result").put("tool_use_id", m.get("tool_call_id").asText())
                .put("content", text(m.get("content"), where));
    }

    static JsonNode textBlock(String text) {
        return Json.MAPPER.createObjectNode().put("type", "text").put("text", text);
    }

    /** A string, or the text of an array of text parts. */
    static String text(JsonNode content, String where) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw ApiError.invalidRequest(where + ".content: expected a string or an array of text parts");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (type.equals("text") || type.equals("refusal")) {
                sb.append(sb.isEmpty() ? "" : "\n").append(part.path(type.equals("text") ? "text" : "refusal").asText());
            }
        }
        return sb.toString();
    }

    private static JsonNode arguments(String json) {
        if (json.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node != null && node.isObject() ? node : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
