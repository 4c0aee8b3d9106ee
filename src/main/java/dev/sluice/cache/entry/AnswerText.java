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

    /**
     * What the write guard reads of a stream: {@link #of(List)}, then each tool call's input read as JSON, its strings
     * (names included) decoded, as a whole answer's are. Read raw only, {@code "export T=\\u0067hp_..."} hid a token
     * from the write guard that the answer guard, reading the input as JSON, flagged, and the answer was stored and
     * replayed to other developers (attack round 16).
     */
    public static String scanned(List<SseEvent> events) {
        StringBuilder sb = new StringBuilder(of(events));
        java.util.Map<Integer, StringBuilder> inputs = new java.util.TreeMap<>();
        for (SseEvent e : events) {
            Delta d = Delta.of(e);
            if (d != null && d.carriesContent() && "partial_json".equals(d.field())) {
                inputs.computeIfAbsent(d.index(), k -> new StringBuilder()).append(d.piece());
            }
        }
        for (StringBuilder json : inputs.values()) {
            List<String> strings = new java.util.ArrayList<>();
            try {
                names(dev.sluice.wire.Json.MAPPER.readTree(json.toString()), strings);
            } catch (java.io.IOException e) {
                continue; // not JSON: the raw pieces above are all there is to read
            }
            for (String str : strings) {
                sb.append('\n').append(str);
            }
        }
        return sb.toString();
    }

    /** Every string of a tool input, names included (a model may put anything in either). */
    private static void names(JsonNode node, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> names(n, out));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                out.add(f.getKey());
                names(f.getValue(), out);
            });
        }
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
