package dev.sluice.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Builds Messages request bodies the way clients serialize them (real JSON escaping), for tests. */
final class Bodies {
    private Bodies() {
    }

    static ObjectNode message(String role, JsonNode... blocks) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("role", role);
        ArrayNode content = m.putArray("content");
        for (JsonNode b : blocks) {
            content.add(b);
        }
        return m;
    }

    static ObjectNode user(String text) {
        return message("user", text(text));
    }

    static ObjectNode assistant(String text) {
        return message("assistant", text(text));
    }

    static ObjectNode text(String text) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("type", "text");
        b.put("text", text);
        return b;
    }

    static ObjectNode toolUse(String id, String name, Map<String, Object> input) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("type", "tool_use");
        b.put("id", id);
        b.put("name", name);
        b.set("input", Json.MAPPER.valueToTree(input));
        return b;
    }

    static ObjectNode toolResult(String id, String content) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("type", "tool_result");
        b.put("tool_use_id", id);
        b.put("content", content);
        return b;
    }

    static ObjectNode toolResultBlocks(String id, String... texts) {
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("type", "tool_result");
        b.put("tool_use_id", id);
        ArrayNode content = b.putArray("content");
        for (String t : texts) {
            content.add(text(t));
        }
        return b;
    }

    /** A request with the given messages, a small system prompt and one tool, in Claude Code's field order. */
    static byte[] request(List<ObjectNode> messages) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", "claude-sonnet-4-5-20250929");
        root.put("max_tokens", 32000);
        ArrayNode ms = root.putArray("messages");
        messages.forEach(ms::add);
        ArrayNode system = root.putArray("system");
        system.add(text("You are Claude Code, Anthropic's official CLI for Claude."));
        ArrayNode tools = root.putArray("tools");
        ObjectNode tool = tools.addObject();
        tool.put("name", "Read");
        tool.put("description", "Reads a file from the local filesystem.");
        tool.putObject("input_schema").put("type", "object");
        root.putObject("metadata").put("user_id", "{\"session_id\":\"3f0e6c52-5a4b-4c1e-9d7e-2b8f1a6c9e01\"}");
        root.put("stream", true);
        return bytes(root);
    }

    static byte[] request(ObjectNode... messages) {
        return request(List.of(messages));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded text behind a raw range of a body (the range covers part of one JSON string). */
    static String decoded(byte[] body, int start, int end) {
        String raw = new String(body, start, end - start, StandardCharsets.UTF_8);
        try {
            return Json.MAPPER.readValue("\"" + raw + "\"", String.class);
        } catch (Exception e) {
            throw new AssertionError("range [" + start + ", " + end + ") is not a whole JSON string fragment: " + raw, e);
        }
    }

    static String decoded(byte[] body, Finding f) {
        return decoded(body, f.start(), f.end());
    }
}
