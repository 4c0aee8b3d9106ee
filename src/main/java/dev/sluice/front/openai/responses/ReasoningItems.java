package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code reasoning} input items of one request (what a client such as Codex CLI sends back from an earlier answer)
 * as the Anthropic thinking blocks they came from, so a tool-use loop with thinking reaches Anthropic with each
 * assistant turn's signed blocks unchanged, as it requires. The rule:
 * <ul>
 *   <li>an item whose {@code encrypted_content} this gateway sealed ({@link ReasoningSeal}) and that opens becomes its
 *       block again, placed before the assistant output (message or function call) that follows it, in order;</li>
 *   <li>dropped, never forwarded: an item without {@code encrypted_content} (the request did not include it; its
 *       summary alone is not a block Anthropic takes), one that does not open (sealed by another gateway key, changed,
 *       over {@link ReasoningSeal#MAX_SEALED}), one no assistant output follows before the next user or tool output
 *       item, and every item when the request sets no reasoning effort (thinking is off, and blocks are not sent);</li>
 *   <li>{@link #thinkingAllowed} then says whether the conversation still lets thinking be enabled: a tool loop under
 *       way whose last assistant message does not start with a thinking block (because its item was dropped) goes
 *       without thinking for that request, since Anthropic refuses it.</li>
 * </ul>
 */
final class ReasoningItems {
    private final boolean keep;
    private final String owner;
    private final List<JsonNode> pending = new ArrayList<>();

    /**
     * @param keep  the request enables thinking: blocks are kept; otherwise every reasoning item is dropped
     * @param owner the caller ({@link ItemStore#owner}): only items sealed for it open, another caller's are dropped
     */
    ReasoningItems(boolean keep, String owner) {
        this.keep = keep;
        this.owner = owner;
    }

    /**
     * Reads one {@code reasoning} item.
     *
     * @throws dev.sluice.wire.ApiError 400 when {@code encrypted_content} is neither a string nor null
     */
    void item(JsonNode item, String where) {
        JsonNode sealed = item.get("encrypted_content");
        ResponsesFields.expect(where + ".encrypted_content", sealed == null ? item : sealed,
                sealed == null || sealed.isNull() || sealed.isTextual(), "a string or null");
        if (keep && sealed != null && sealed.isTextual()) {
            ObjectNode block = ReasoningSeal.open(sealed.asText(), owner);
            if (block != null) {
                pending.add(block);
            }
        }
    }

    /** The thinking blocks waiting, then {@code blocks}: an assistant message's or call's blocks. */
    List<JsonNode> before(List<JsonNode> blocks) {
        if (pending.isEmpty()) {
            return blocks;
        }
        List<JsonNode> all = new ArrayList<>(pending);
        all.addAll(blocks);
        pending.clear();
        return all;
    }

    /** A user or tool output item: a reasoning item no assistant output followed is dropped. */
    void userTurn() {
        pending.clear();
    }

    /**
     * Whether thinking may be enabled for {@code messages} (canonical turns): not when the last message is a user turn
     * with a {@code tool_result} whose preceding assistant message does not start with a thinking block.
     */
    static boolean thinkingAllowed(ArrayNode messages) {
        int n = messages.size();
        if (n < 2 || !messages.get(n - 1).path("role").asText().equals("user")) {
            return true;
        }
        boolean results = false;
        for (JsonNode block : messages.get(n - 1).path("content")) {
            results |= block.path("type").asText().equals("tool_result");
        }
        if (!results) {
            return true;
        }
        String first = messages.get(n - 2).path("content").path(0).path("type").asText("");
        return first.equals("thinking") || first.equals("redacted_thinking");
    }
}
