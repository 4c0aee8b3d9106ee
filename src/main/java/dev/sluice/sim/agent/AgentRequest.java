package dev.sluice.sim.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The meaningful content of a Messages request, as the agent reads it: the workspace the CLI reports, the
 * newest question, how many assistant turns followed it, what the tools returned since, and the answer to
 * the question before (for follow-ups). Nothing else (ids, metadata, markers, dates, git user) reaches the
 * agent, so nothing else can change its answer.
 *
 * @param workspace      the {@code Primary working directory}, or null when the request names none
 * @param question       text of the newest user message that is not a tool result or a reminder; "" if none
 * @param turn           assistant messages after the question
 * @param observations   tool results after the question, oldest first
 * @param previousAnswer the last assistant text before the question, or ""
 */
record AgentRequest(String workspace, String question, int turn, List<String> observations, String previousAnswer) {

    private static final Pattern WORKSPACE = Pattern.compile("Primary working directory: ([^\\s<]+)");
    private static final String REMINDER = "<system-reminder>";

    static AgentRequest of(JsonNode request) {
        JsonNode messages = request.path("messages");
        int questionAt = -1;
        String question = "";
        for (int i = 0; i < messages.size(); i++) {
            String text = questionText(messages.get(i));
            if (text != null) {
                questionAt = i;
                question = text;
            }
        }
        int turn = 0;
        List<String> observations = new ArrayList<>();
        for (int i = questionAt + 1; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (m.path("role").asText().equals("assistant")) {
                turn++;
            }
            for (JsonNode block : m.path("content")) {
                if (block.path("type").asText().equals("tool_result")) {
                    observations.add(resultText(block.path("content")));
                }
            }
        }
        return new AgentRequest(workspace(request), question, turn, List.copyOf(observations), previousAnswer(messages, questionAt));
    }

    /** The question a user message asks: its last text block that is not a reminder; null for tool results. */
    private static String questionText(JsonNode message) {
        if (!message.path("role").asText().equals("user")) {
            return null;
        }
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText().startsWith(REMINDER) ? null : content.asText().strip();
        }
        String found = null;
        for (JsonNode block : content) {
            if (block.path("type").asText().equals("tool_result")) {
                return null;
            }
            String text = block.path("text").asText("");
            if (block.path("type").asText().equals("text") && !text.isBlank() && !text.startsWith(REMINDER)) {
                found = text.strip();
            }
        }
        return found;
    }

    private static String resultText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            text.append(block.path("text").asText(""));
        }
        return text.toString();
    }

    private static String previousAnswer(JsonNode messages, int before) {
        for (int i = before - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!m.path("role").asText().equals("assistant")) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode block : m.path("content")) {
                if (block.path("type").asText().equals("text")) {
                    text.append(block.path("text").asText(""));
                }
            }
            if (!text.isEmpty()) {
                return text.toString();
            }
        }
        return "";
    }

    private static String workspace(JsonNode request) {
        for (JsonNode m : request.path("messages")) {
            String found = find(m.path("content"));
            if (found != null) {
                return found;
            }
        }
        return find(request.path("system"));
    }

    private static String find(JsonNode content) {
        if (content.isTextual()) {
            Matcher m = WORKSPACE.matcher(content.asText());
            return m.find() ? m.group(1) : null;
        }
        for (JsonNode block : content) {
            Matcher m = WORKSPACE.matcher(block.path("text").asText(""));
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** Seed text for ids: everything the answer depends on. */
    String seed(String model) {
        return String.join("\u0000", model, String.valueOf(workspace), question, Integer.toString(turn),
                String.join("\u0001", observations), previousAnswer);
    }
}
