package dev.sluice.cache.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the message a stream describes, the way the SDKs' accumulators do: blocks from their start
 * events, text and thinking appended, {@code partial_json} joined and parsed at the block's stop,
 * {@code message_delta}'s stop reason and usage applied last.
 */
final class StreamToMessage {
    private StreamToMessage() {
    }

    /** The message, or null when the stream holds something it cannot place (then the replay is a miss). */
    static ObjectNode convert(List<SseEvent> events) {
        ObjectNode message = null;
        Map<Integer, ObjectNode> blocks = new HashMap<>();
        Map<Integer, StringBuilder> json = new HashMap<>();
        try {
            for (SseEvent e : events) {
                if (e.type().equals("ping")) {
                    continue;
                }
                JsonNode data = Json.MAPPER.readTree(e.raw(), e.dataStart(), e.dataLength());
                switch (e.type()) {
                    case "message_start" -> {
                        message = (ObjectNode) data.get("message").deepCopy();
                        message.putArray("content");
                    }
                    case "content_block_start" -> {
                        int index = data.get("index").asInt();
                        ObjectNode block = (ObjectNode) data.get("content_block").deepCopy();
                        blocks.put(index, block);
                        ((ArrayNode) message.get("content")).add(block);
                        if (block.has("input")) {
                            json.put(index, new StringBuilder());
                        }
                    }
                    case "content_block_delta" -> {
                        if (!delta(blocks.get(data.get("index").asInt()), json.get(data.get("index").asInt()), data.get("delta"))) {
                            return null;
                        }
                    }
                    case "content_block_stop" -> {
                        int index = data.get("index").asInt();
                        StringBuilder partial = json.remove(index);
                        if (partial != null && !partial.isEmpty()) {
                            blocks.get(index).set("input", Json.MAPPER.readTree(partial.toString()));
                        }
                    }
                    case "message_delta" -> {
                        ObjectNode m = message;
                        data.path("delta").fields().forEachRemaining(f -> m.set(f.getKey(), f.getValue()));
                        JsonNode usage = data.get("usage");
                        if (usage instanceof ObjectNode u && m.get("usage") instanceof ObjectNode mu) {
                            mu.setAll(u);
                        }
                    }
                    case "message_stop" -> {
                    }
                    default -> {
                        return null;
                    }
                }
            }
        } catch (IOException | RuntimeException ex) {
            return null;
        }
        return message;
    }

    private static boolean delta(ObjectNode block, StringBuilder json, JsonNode delta) {
        if (block == null) {
            return false;
        }
        switch (delta.path("type").asText()) {
            case "text_delta" -> block.put("text", block.path("text").asText("") + delta.path("text").asText());
            case "thinking_delta" -> block.put("thinking", block.path("thinking").asText("") + delta.path("thinking").asText());
            case "signature_delta" -> block.put("signature", delta.path("signature").asText());
            case "input_json_delta" -> {
                if (json == null) {
                    return false;
                }
                json.append(delta.path("partial_json").asText());
            }
            case "citations_delta" -> {
                JsonNode citations = block.get("citations");
                ArrayNode list = citations instanceof ArrayNode a ? a : block.putArray("citations");
                list.add(delta.get("citation"));
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
