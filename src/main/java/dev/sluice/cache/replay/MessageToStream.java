package dev.sluice.cache.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream a live answer would have been for a stored message: {@code message_start} (content
 * empty, no stop reason), then per block a start with its empty form, its content as one delta
 * (citations first), a stop, a {@code ping} after the first start as the API sends one,
 * {@code message_delta} with the stop reason and usage, {@code message_stop}. Blocks that the API
 * never streams in pieces (redacted thinking, server tool results) start whole.
 */
final class MessageToStream {
    private MessageToStream() {
    }

    static List<SseEvent> events(ObjectNode message) {
        List<SseEvent> events = new ArrayList<>();
        ObjectNode start = message.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        if (start.get("usage") instanceof ObjectNode u) {
            u.put("output_tokens", Math.min(1, u.path("output_tokens").asLong()));
        }
        ObjectNode startEvent = Json.MAPPER.createObjectNode().put("type", "message_start");
        startEvent.set("message", start);
        events.add(frame("message_start", startEvent));
        int index = 0;
        for (JsonNode block : message.path("content")) {
            block(events, index, (ObjectNode) block);
            if (index == 0) {
                events.add(frame("ping", Json.MAPPER.createObjectNode().put("type", "ping")));
            }
            events.add(frame("content_block_stop", Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", index)));
            index++;
        }
        ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").set("stop_reason", message.get("stop_reason"));
        ((ObjectNode) delta.get("delta")).set("stop_sequence", message.path("stop_sequence").isMissingNode()
                ? Json.MAPPER.nullNode() : message.get("stop_sequence"));
        if (message.get("usage") != null) {
            delta.set("usage", message.get("usage"));
        }
        events.add(frame("message_delta", delta));
        events.add(frame("message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop")));
        return events;
    }

    private static void block(List<SseEvent> events, int index, ObjectNode block) {
        String type = block.path("type").asText();
        ObjectNode empty = Json.MAPPER.createObjectNode();
        List<ObjectNode> deltas = new ArrayList<>();
        switch (type) {
            case "text" -> {
                empty.put("type", "text").put("text", "");
                for (JsonNode citation : block.path("citations")) {
                    ObjectNode d = Json.MAPPER.createObjectNode().put("type", "citations_delta");
                    d.set("citation", citation);
                    deltas.add(d);
                }
                deltas.add(Json.MAPPER.createObjectNode().put("type", "text_delta").put("text", block.path("text").asText()));
            }
            case "tool_use", "server_tool_use" -> {
                empty.put("type", type).put("id", block.path("id").asText()).put("name", block.path("name").asText()).putObject("input");
                deltas.add(Json.MAPPER.createObjectNode().put("type", "input_json_delta")
                        .put("partial_json", block.path("input").toString()));
            }
            case "thinking" -> {
                empty.put("type", "thinking").put("thinking", "").put("signature", "");
                if (!block.path("thinking").asText().isEmpty()) {
                    deltas.add(Json.MAPPER.createObjectNode().put("type", "thinking_delta").put("thinking", block.path("thinking").asText()));
                }
                deltas.add(Json.MAPPER.createObjectNode().put("type", "signature_delta").put("signature", block.path("signature").asText()));
            }
            default -> empty = block.deepCopy();
        }
        ObjectNode startEvent = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", index);
        startEvent.set("content_block", empty);
        events.add(frame("content_block_start", startEvent));
        for (ObjectNode d : deltas) {
            ObjectNode e = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
            e.set("delta", d);
            events.add(frame("content_block_delta", e));
        }
    }

    static SseEvent frame(String type, ObjectNode data) {
        return SseFramer.parse(("event: " + type + "\ndata: " + data + "\n\n").getBytes(UTF_8));
    }
}
