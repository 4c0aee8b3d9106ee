package dev.sluice.cache;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.agent.ScriptedAgentUpstream.Block;
import dev.sluice.cache.agent.ScriptedEvents;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import java.util.ArrayList;
import java.util.List;

/** Answers as an upstream streams them (small pieces that cut paths) or returns them whole. */
public final class Answers {
    private Answers() {
    }

    public static Block text(String text) {
        return new Block.Text(text);
    }

    public static Block thinking() {
        return new Block.Thinking("EuSignature0123456789");
    }

    public static Block read(String path) {
        return new Block.ToolUse("toolu_01AnswerTest000000001", "Read", Json.MAPPER.createObjectNode().put("file_path", path));
    }

    public static Block bash(String command) {
        ObjectNode input = Json.MAPPER.createObjectNode().put("command", command).put("description", "run it");
        return new Block.ToolUse("toolu_01AnswerTest000000002", "Bash", input);
    }

    public static List<SseEvent> stream(String stop, Block... blocks) {
        List<SseEvent> out = new ArrayList<>();
        for (String frame : ScriptedEvents.stream("msg_01Original0000000000", "claude-opus-5-5", List.of(blocks), stop, 1200)) {
            out.add(SseFramer.parse(frame.getBytes(UTF_8)));
        }
        return out;
    }

    public static byte[] message(String stop, Block... blocks) {
        return ScriptedEvents.message("msg_01Original0000000000", "claude-opus-5-5", List.of(blocks), stop, 1200).getBytes(UTF_8);
    }

    public static String text(List<SseEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (SseEvent e : events) {
            sb.append(new String(e.raw(), UTF_8));
        }
        return sb.toString();
    }
}
