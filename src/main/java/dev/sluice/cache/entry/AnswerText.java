package dev.sluice.cache.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.SseEvent;
import java.util.List;

/** The readable content of an answer (text, tool input, thinking), for the write guard and checks. */
public final class AnswerText {
    private AnswerText() {
    }

    /** Every content piece of a stream, block after block, joined with newlines. */
    public static String of(List<SseEvent> events) {
        StringBuilder sb = new StringBuilder();
        int lastIndex = -1;
        for (SseEvent e : events) {
            Delta d = Delta.of(e);
            if (d != null && d.carriesContent()) {
                if (d.index() != lastIndex && !sb.isEmpty()) {
                    sb.append('\n');
                }
                lastIndex = d.index();
                sb.append(d.piece());
            }
        }
        return sb.toString();
    }

    /** Every string in a message's content blocks, joined with newlines. */
    public static String of(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            List<String> strings = new java.util.ArrayList<>();
            strings(block, strings);
            for (String s : strings) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }

    /** The string values of a block that hold content (not its type, id, name or signature), depth first. */
    static void strings(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> strings(n, out));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                String name = f.getKey();
                if (!name.equals("type") && !name.equals("id") && !name.equals("name") && !name.equals("signature")) {
                    strings(f.getValue(), out);
                }
            });
        }
    }
}
