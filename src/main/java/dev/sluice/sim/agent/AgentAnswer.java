package dev.sluice.sim.agent;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the agent says to one request.
 *
 * @param messageId  the {@code msg_...} id, seeded from the request
 * @param blocks     content blocks, never empty
 * @param stopReason {@code tool_use} when the last block is a tool call, else {@code end_turn}
 */
public record AgentAnswer(String messageId, List<AgentBlock> blocks, String stopReason) {

    public AgentAnswer {
        requireNonNull(messageId, "messageId");
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("blocks: empty (expected: at least one block)");
        }
        requireNonNull(stopReason, "stopReason");
    }

    static AgentAnswer of(SeededIds ids, List<AgentBlock> blocks) {
        String stop = blocks.getLast() instanceof AgentBlock.ToolUse ? "tool_use" : "end_turn";
        return new AgentAnswer(ids.messageId(), blocks, stop);
    }
}
