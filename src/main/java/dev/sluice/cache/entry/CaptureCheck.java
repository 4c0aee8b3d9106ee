package dev.sluice.cache.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;
import java.util.List;
import java.util.Set;

/**
 * What may be stored: only complete, successful answers. A stream must run from {@code message_start}
 * to {@code message_stop} with every block closed and no {@code error} event; a body must be a
 * message. Never stored: errors, answers cut by {@code max_tokens} or refused (unless the policy
 * allows them), paused server-tool turns and answers that ran out of context.
 */
public final class CaptureCheck {
    private static final Set<String> ALWAYS = Set.of("end_turn", "tool_use", "stop_sequence");

    private CaptureCheck() {
    }

    /**
     * @param storeMaxTokens store answers that stopped at {@code max_tokens}
     * @param storeRefusals  store answers with {@code stop_reason: refusal}
     */
    public record Rules(boolean storeMaxTokens, boolean storeRefusals) {
        public static final Rules DEFAULT = new Rules(false, false);
    }

    /** Why the stream must not be stored, or null; {@code usage} has been fed every event. */
    public static String stream(List<SseEvent> events, StreamUsage usage, Rules rules) {
        int starts = 0;
        int openBlocks = 0;
        String last = null;
        for (SseEvent e : events) {
            switch (e.type()) {
                case "error" -> {
                    return "an error event";
                }
                case "message_start" -> starts++;
                case "content_block_start" -> openBlocks++;
                case "content_block_stop" -> openBlocks--;
                default -> {
                }
            }
            if (!e.type().equals("ping")) {
                last = e.type();
            }
        }
        if (starts != 1 || events.isEmpty() || !events.getFirst().type().equals("message_start")) {
            return "not one message_start at the beginning";
        }
        if (!"message_stop".equals(last)) {
            return "incomplete: no message_stop";
        }
        if (openBlocks != 0) {
            return "a content block was not closed";
        }
        if (!usage.sawFinalDelta() || usage.estimated()) {
            return "no final usage";
        }
        return stopReason(StopReason.of(events), rules);
    }

    /** Why the body must not be stored, or null. */
    public static String message(int status, JsonNode body, Rules rules) {
        if (status != 200) {
            return "status " + status;
        }
        if (!"message".equals(body.path("type").asText()) || !body.path("content").isArray()) {
            return "not a message";
        }
        return stopReason(body.path("stop_reason").asText(null), rules);
    }

    static String stopReason(String stop, Rules rules) {
        if (stop == null) {
            return "no stop_reason";
        }
        if (ALWAYS.contains(stop) || (stop.equals("max_tokens") && rules.storeMaxTokens())
                || (stop.equals("refusal") && rules.storeRefusals())) {
            return null;
        }
        return "stop_reason " + stop;
    }
}
