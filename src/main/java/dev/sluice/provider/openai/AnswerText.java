package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text of an answer's {@code content}: a string, as OpenAI writes it, or an array of parts, as some compatible
 * servers do (Mistral's reasoning models: {@code [{"type":"thinking",...},{"type":"text","text":"..."}]}), whose text
 * parts are joined. Read as a string only, the parts' text was dropped and the client got an answer of nothing.
 */
final class AnswerText {
    private AnswerText() {
    }

    static String of(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText("text");
            if (type.equals("text") && part.path("text").isTextual()) {
                text.append(part.get("text").asText());
            }
        }
        return text.toString();
    }
}
