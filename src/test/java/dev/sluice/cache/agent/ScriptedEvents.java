package dev.sluice.cache.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.util.ArrayList;
import java.util.List;

/** The wire form of a scripted answer: SSE frames in small pieces, or one JSON message. */
public final class ScriptedEvents {
    /** Piece size of streamed text and tool input: small, so absolute paths are cut across events. */
    private static final int PIECE = 7;

    private ScriptedEvents() {
    }

    public static List<String> stream(String messageId, String model, List<ScriptedAgentUpstream.Block> blocks, String stop, int input) {
        List<String> events = new ArrayList<>();
        ObjectNode start = Json.MAPPER.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", messageId).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        usage(message.putObject("usage"), input, 1);
        events.add(frame("message_start", start));
        for (int i = 0; i < blocks.size(); i++) {
            ObjectNode blockStart = Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", i);
            ObjectNode block = blockStart.putObject("content_block");
            switch (blocks.get(i)) {
                case ScriptedAgentUpstream.Block.Text t -> {
                    block.put("type", "text").put("text", "");
                    events.add(frame("content_block_start", blockStart));
                    pieces(events, i, "text_delta", "text", t.text());
                }
                case ScriptedAgentUpstream.Block.Thinking th -> {
                    block.put("type", "thinking").put("thinking", "").put("signature", "");
                    events.add(frame("content_block_start", blockStart));
                    events.add(frame("content_block_delta", delta(i, "signature_delta", "signature", th.signature())));
                }
                case ScriptedAgentUpstream.Block.ToolUse u -> {
                    block.put("type", "tool_use").put("id", u.id()).put("name", u.name()).putObject("input");
                    events.add(frame("content_block_start", blockStart));
                    pieces(events, i, "input_json_delta", "partial_json", u.input().toString());
                }
            }
            if (i == 0) {
                events.add("event: ping\ndata: {\"type\":\"ping\"}\n\n");
            }
            events.add(frame("content_block_stop", Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", i)));
        }
        ObjectNode end = Json.MAPPER.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
        usage(end.putObject("usage"), input, outputTokens(blocks));
        events.add(frame("message_delta", end));
        events.add("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return events;
    }

    public static String message(String messageId, String model, List<ScriptedAgentUpstream.Block> blocks, String stop, int input) {
        ObjectNode message = Json.MAPPER.createObjectNode().put("id", messageId).put("type", "message").put("role", "assistant")
                .put("model", model);
        ArrayNode content = message.putArray("content");
        for (ScriptedAgentUpstream.Block b : blocks) {
            switch (b) {
                case ScriptedAgentUpstream.Block.Text t -> content.addObject().put("type", "text").put("text", t.text());
                case ScriptedAgentUpstream.Block.Thinking th ->
                        content.addObject().put("type", "thinking").put("thinking", "").put("signature", th.signature());
                case ScriptedAgentUpstream.Block.ToolUse u -> content.addObject().put("type", "tool_use").put("id", u.id())
                        .put("name", u.name()).set("input", u.input());
            }
        }
        message.put("stop_reason", stop).putNull("stop_sequence");
        usage(message.putObject("usage"), input, outputTokens(blocks));
        return message.toString();
    }

    private static int outputTokens(List<ScriptedAgentUpstream.Block> blocks) {
        int n = 0;
        for (ScriptedAgentUpstream.Block b : blocks) {
            n += switch (b) {
                case ScriptedAgentUpstream.Block.Text t -> t.text().length() / 4 + 1;
                case ScriptedAgentUpstream.Block.Thinking th -> 20;
                case ScriptedAgentUpstream.Block.ToolUse u -> u.input().toString().length() / 4 + 5;
            };
        }
        return n;
    }

    private static void usage(ObjectNode usage, int input, int output) {
        usage.put("input_tokens", input).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0)
                .put("output_tokens", output);
    }

    private static void pieces(List<String> events, int index, String type, String field, String text) {
        for (int at = 0; at < text.length(); at += PIECE) {
            events.add(frame("content_block_delta", delta(index, type, field, text.substring(at, Math.min(text.length(), at + PIECE)))));
        }
    }

    private static ObjectNode delta(int index, String type, String field, String value) {
        ObjectNode delta = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", index);
        delta.putObject("delta").put("type", type).put(field, value);
        return delta;
    }

    private static String frame(String type, ObjectNode data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }
}
