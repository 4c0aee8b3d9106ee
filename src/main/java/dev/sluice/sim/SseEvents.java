package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a reply into the event sequence the real API streams:
 * {@code message_start}, then per block {@code content_block_start} / deltas / {@code content_block_stop}
 * (with one {@code ping} after the first block start), then {@code message_delta} and {@code message_stop}.
 * Each delta carries one output token.
 */
final class SseEvents {

    private SseEvents() {
    }

    static List<SseEvent> of(String messageId, String model, ReplyPlan plan, CacheUsage cache) {
        return of(messageId, model, plan, cache, null);
    }

    /** The same, with {@code usageOverride}'s fields (or null) written over the final {@code message_delta} usage. */
    static List<SseEvent> of(String messageId, String model, ReplyPlan plan, CacheUsage cache, ObjectNode usageOverride) {
        List<SseEvent> events = new ArrayList<>(plan.outputTokens() + 4 * plan.blocks().size() + 4);
        ObjectNode start = SimJson.object().put("type", "message_start");
        start.set("message", MessageJson.startedMessage(messageId, model, cache));
        events.add(SseEvent.of("message_start", SimJson.string(start), 0));
        for (int index = 0; index < plan.blocks().size(); index++) {
            ReplyBlock block = plan.blocks().get(index);
            ObjectNode blockStart = SimJson.object().put("type", "content_block_start").put("index", index);
            blockStart.set("content_block", MessageJson.emptyBlock(block));
            events.add(SseEvent.of("content_block_start", SimJson.string(blockStart), 0));
            if (index == 0) {
                events.add(SseEvent.of("ping", "{\"type\":\"ping\"}", 0));
            }
            addDeltas(events, index, block);
            events.add(SseEvent.of("content_block_stop",
                    "{\"type\":\"content_block_stop\",\"index\":" + index + "}", 0));
        }
        ObjectNode delta = SimJson.object().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", plan.stopReason()).putNull("stop_sequence");
        ObjectNode usage = MessageJson.finalUsage(cache, plan.outputTokens());
        if (usageOverride != null) {
            usage.setAll(usageOverride);
        }
        delta.set("usage", usage);
        events.add(SseEvent.of("message_delta", SimJson.string(delta), 0));
        events.add(SseEvent.of("message_stop", "{\"type\":\"message_stop\"}", 0));
        return events;
    }

    /** The mid-stream error Anthropic sends when it overloads after answering 200. */
    static SseEvent overloadedError(String requestId) {
        return SseEvent.of("error", SimJson.string(MessageJson.error("overloaded_error", "Overloaded", requestId)), 0);
    }

    private static void addDeltas(List<SseEvent> events, int index, ReplyBlock block) {
        String prefix = "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":";
        String deltaType = switch (block) {
            case ReplyBlock.Text text -> "\"text_delta\",\"text\":";
            case ReplyBlock.Thinking thinking -> "\"thinking_delta\",\"thinking\":";
            case ReplyBlock.ToolUse toolUse -> "\"input_json_delta\",\"partial_json\":";
        };
        for (String piece : block.pieces()) {
            events.add(SseEvent.of("content_block_delta", prefix + deltaType + SimJson.quote(piece) + "}}", 1));
        }
        if (block instanceof ReplyBlock.Thinking thinking) {
            events.add(SseEvent.of("content_block_delta", prefix + "\"signature_delta\",\"signature\":"
                    + SimJson.quote(thinking.signature()) + "}}", 0));
        }
    }
}
