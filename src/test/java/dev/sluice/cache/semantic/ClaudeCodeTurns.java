package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.Anchor;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.security.MessageDigest;

/**
 * Wraps a labelled question as the newest turn of a Claude-Code-shaped request (system blocks, a
 * system-reminder block before the typed prompt, and, when the pair has code context, an earlier
 * Read tool exchange holding it), and computes the anchor the way the exact cache will: a hash of
 * the body without the newest user text's bytes.
 */
final class ClaudeCodeTurns {
    private ClaudeCodeTurns() {
    }

    static byte[] body(String context, String question) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", "claude-sonnet-4-5");
        root.put("max_tokens", 32000);
        ArrayNode system = root.putArray("system");
        system.addObject().put("type", "text").put("text", "You are Claude Code, Anthropic's official CLI for Claude.");
        ArrayNode messages = root.putArray("messages");
        if (!context.isEmpty()) {
            messages.addObject().put("role", "user").put("content", "Open the file I am working on.");
            ObjectNode use = messages.addObject().put("role", "assistant").putArray("content").addObject();
            use.put("type", "tool_use").put("id", "toolu_01").put("name", "Read").putObject("input").put("file_path", "src/work.txt");
            ObjectNode result = messages.addObject().put("role", "user").putArray("content").addObject();
            result.put("type", "tool_result").put("tool_use_id", "toolu_01").put("content", context);
            messages.addObject().put("role", "assistant").put("content", "I have read the file.");
        }
        ArrayNode blocks = messages.addObject().put("role", "user").putArray("content");
        blocks.addObject().put("type", "text").put("text", "<system-reminder>\nAs you answer the user's questions, use the context.\n</system-reminder>");
        blocks.addObject().put("type", "text").put("text", question);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Anchor anchor(byte[] body, NewestTurn turn) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(body, 0, turn.start());
            sha.update(body, turn.end(), body.length - turn.end());
            return Anchor.of(sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
