package dev.sluice.cache.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.SseEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fresh ids for the tool calls of one replayed answer. A block whose type ends in {@code tool_use} ({@code tool_use},
 * {@code server_tool_use}, {@code mcp_tool_use}) gets a new id of the same prefix and shape; a result block inside the
 * same answer that names one ({@code tool_use_id}, e.g. a web search's result) follows it, so the answer stays whole.
 */
final class ToolUseIds {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final byte[] MARK = "tool_use".getBytes(StandardCharsets.US_ASCII);
    private final Map<String, String> renewed = new HashMap<>();

    /** Cheap test before parsing: only a block start that mentions {@code tool_use} can hold an id to renew. */
    static boolean mayHold(SseEvent e) {
        byte[] raw = e.raw();
        int end = e.dataStart() + e.dataLength() - MARK.length;
        outer:
        for (int i = e.dataStart(); i <= end; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (raw[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Renews the ids of one content block in place; true if it changed. */
    boolean renew(JsonNode block) {
        if (!(block instanceof ObjectNode b)) {
            return false;
        }
        boolean changed = false;
        if (b.path("type").asText().endsWith("tool_use") && b.get("id") != null && b.get("id").isTextual()) {
            b.put("id", renewed.computeIfAbsent(b.get("id").asText(), ToolUseIds::fresh));
            changed = true;
        }
        if (b.get("tool_use_id") != null && b.get("tool_use_id").isTextual()) {
            String mapped = renewed.get(b.get("tool_use_id").asText());
            if (mapped != null) {
                b.put("tool_use_id", mapped);
                changed = true;
            }
        }
        return changed;
    }

    /** {@code toolu_01} and 22 base62 characters, as the API's; the old id's prefix is kept ({@code srvtoolu_}). */
    static String fresh(String old) {
        int underscore = old.indexOf('_');
        StringBuilder id = new StringBuilder(underscore > 0 && underscore < 16 ? old.substring(0, underscore + 1) : "toolu_");
        id.append("01");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 22; i++) {
            id.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return id.toString();
    }
}
