package dev.sluice.cache.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Usage;

/**
 * The usage a replayed answer shows: nothing sent to the model, every prompt token read from cache,
 * the original output. The prompt total is kept (input + cache writes + cache reads of the original),
 * so a client that sizes its context window from usage (Claude Code's auto-compact does) sees the
 * same size it would have seen live; a client that prices usage sees the cheapest way it could have
 * been served.
 */
final class ReplayUsage {
    private ReplayUsage() {
    }

    /** Rewrites a {@code usage} object in place. */
    static void rewrite(ObjectNode usage, Usage original) {
        if (usage.has("input_tokens") || !usage.has("output_tokens")) {
            usage.put("input_tokens", 0);
        }
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", original.promptTokens());
        JsonNode creation = usage.get("cache_creation");
        if (creation instanceof ObjectNode c) {
            c.put("ephemeral_5m_input_tokens", 0);
            c.put("ephemeral_1h_input_tokens", 0);
        }
        JsonNode server = usage.get("server_tool_use");
        if (server instanceof ObjectNode s) {
            s.fieldNames().forEachRemaining(name -> s.put(name, 0));
        }
    }
}
