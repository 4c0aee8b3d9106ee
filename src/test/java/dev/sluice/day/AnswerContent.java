package dev.sluice.day;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of an answer, streamed or not, in a form two answers can be compared by: per block its type and
 * content (text; tool name and parsed input; thinking text), then the stop reason. Left out are what differs
 * between two correct answers on the real API as well: message ids, tool-use ids, thinking signatures and usage.
 */
final class AnswerContent {

    private AnswerContent() {
    }

    static String of(byte[] answer) {
        String text = new String(answer, UTF_8);
        try {
            return text.stripLeading().startsWith("{") ? ofMessage(Json.MAPPER.readTree(text)) : ofStream(text);
        } catch (IOException e) {
            return "unreadable answer: " + e.getMessage();
        }
    }

    /** The {@code msg_...} id of an answer, or "" when it has none. */
    static String messageId(byte[] answer) {
        String text = new String(answer, UTF_8);
        try {
            if (text.stripLeading().startsWith("{")) {
                return Json.MAPPER.readTree(text).path("id").asText("");
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("data: ") && line.contains("\"message_start\"")) {
                    return Json.MAPPER.readTree(line.substring(6)).path("message").path("id").asText("");
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    private static String ofMessage(JsonNode message) throws IOException {
        List<String> blocks = new ArrayList<>();
        for (JsonNode b : message.path("content")) {
            blocks.add(block(b.path("type").asText(), b.path("text").asText(b.path("thinking").asText("")),
                    b.path("name").asText(""), b.has("input") ? b.get("input").toString() : ""));
        }
        return String.join("\n", blocks) + "\nstop: " + message.path("stop_reason").asText();
    }

    private static String ofStream(String sse) throws IOException {
        List<String[]> blocks = new ArrayList<>(); // type, text, name, input json
        String stop = "none";
        for (String line : sse.split("\n")) {
            if (!line.startsWith("data: ")) {
                continue;
            }
            JsonNode event = Json.MAPPER.readTree(line.substring(6));
            switch (event.path("type").asText()) {
                case "content_block_start" -> {
                    JsonNode b = event.path("content_block");
                    blocks.add(new String[] {b.path("type").asText(), b.path("text").asText(b.path("thinking").asText("")),
                            b.path("name").asText(""), ""});
                }
                case "content_block_delta" -> {
                    String[] b = blocks.get(event.path("index").asInt());
                    JsonNode d = event.path("delta");
                    switch (d.path("type").asText()) {
                        case "text_delta" -> b[1] += d.path("text").asText();
                        case "thinking_delta" -> b[1] += d.path("thinking").asText();
                        case "input_json_delta" -> b[3] += d.path("partial_json").asText();
                        default -> { } // signature_delta: an id, not content
                    }
                }
                case "message_delta" -> stop = event.path("delta").path("stop_reason").asText();
                case "error" -> stop = "error " + event.path("error");
                default -> { }
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] b : blocks) {
            String input = b[3].isEmpty() ? (b[0].equals("tool_use") ? "{}" : "") : Json.MAPPER.readTree(b[3]).toString();
            out.add(block(b[0], b[1], b[2], input));
        }
        return String.join("\n", out) + "\nstop: " + stop;
    }

    private static String block(String type, String text, String name, String input) {
        return switch (type) {
            case "tool_use" -> "tool_use " + name + " " + input;
            default -> type + ": " + text;
        };
    }
}
