package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the few things the reply planner needs from a request's messages and tools. */
final class Conversation {

    /** An absolute path not glued to a word, a URL ({@code https://}) or a closing tag ({@code </x>}). */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.~<:/-])(/(?:[\\w.@~+-]+/)*[\\w.@~+-]+)");
    private static final Pattern SYSTEM_REMINDER = Pattern.compile("(?s)<system-reminder>.*?</system-reminder>");
    /** Claude Code's Read tool numbers lines as {@code "     1→text"} (older versions use a tab). */
    private static final Pattern LINE_NUMBER = Pattern.compile("^\\s*\\d+(?:→|\\t)");

    private Conversation() {
    }

    /** The last message with role {@code user}, or null. */
    static JsonNode newestUserMessage(MessagesRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            JsonNode message = request.messages().get(i);
            if (message.path("role").asText().equals("user")) {
                return message;
            }
        }
        return null;
    }

    /** The tool definition with this name, or null. */
    static JsonNode tool(MessagesRequest request, String name) {
        for (JsonNode tool : request.tools()) {
            if (name.equals(tool.path("name").asText(null))) {
                return tool;
            }
        }
        return null;
    }

    /** How many {@code tool_result} blocks the whole conversation holds. */
    static int toolResults(MessagesRequest request) {
        int n = 0;
        for (JsonNode message : request.messages()) {
            for (JsonNode block : message.path("content")) {
                if (block.path("type").asText().equals("tool_result")) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The first {@code tool_result} block of a message, or null. */
    static JsonNode firstToolResult(JsonNode message) {
        JsonNode content = message.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode block : content) {
                if (block.path("type").asText().equals("tool_result")) {
                    return block;
                }
            }
        }
        return null;
    }

    /**
     * The first absolute path in a plain-text message, ignoring Claude Code's {@code <system-reminder>}
     * sections (they mention paths the user did not ask about); null if none.
     */
    static String absolutePath(JsonNode message) {
        Matcher matcher = ABSOLUTE_PATH.matcher(SYSTEM_REMINDER.matcher(text(message.get("content"))).replaceAll(" "));
        if (!matcher.find()) {
            return null;
        }
        String path = matcher.group(1);
        while (path.endsWith(".")) { // "read /tmp/x/hello.txt." ends a sentence, not a file name
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    /** The first meaningful line of a tool result, line number stripped: what a reply can quote. */
    static String firstLine(JsonNode toolResult) {
        for (String line : text(toolResult.get("content")).split("\\R")) {
            String stripped = LINE_NUMBER.matcher(line).replaceFirst("").strip();
            if (!stripped.isEmpty()) {
                return stripped;
            }
        }
        return "";
    }

    /** The text of a content value: the string itself or its text blocks joined by newlines. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText()).append('\n');
            }
        }
        return text.toString();
    }
}
