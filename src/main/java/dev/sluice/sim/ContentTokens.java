package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Input tokens of one prompt part, using {@link Tokenizer}: the text a model would actually read, not the
 * JSON around it. Tool definitions and unknown block types cost their canonical JSON.
 */
final class ContentTokens {

    /** A flat price per image: roughly a 1092×1092 picture at Anthropic's width×height/750 rule. */
    static final int IMAGE_TOKENS = 1_600;

    private ContentTokens() {
    }

    static int ofBlock(JsonNode block) {
        if (block.isTextual()) {
            return Tokenizer.count(block.asText());
        }
        return switch (block.path("type").asText("")) {
            case "text" -> Tokenizer.count(block.path("text").asText(""));
            case "thinking" -> Tokenizer.count(block.path("thinking").asText(""));
            case "redacted_thinking" -> Tokenizer.count(block.path("data").asText(""));
            case "tool_use", "server_tool_use" ->
                    Tokenizer.count(block.path("name").asText("")) + Tokenizer.count(block.path("input").toString());
            case "tool_result" -> ofContent(block.get("content"));
            case "image" -> IMAGE_TOKENS;
            default -> ofJson(block);
        };
    }

    /** A {@code content} value: a string, an array of blocks, or absent. */
    static int ofContent(JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return Tokenizer.count(content.asText());
        }
        int tokens = 0;
        for (JsonNode block : content) {
            tokens += ofBlock(block);
        }
        return tokens;
    }

    static int ofJson(JsonNode node) {
        return Tokenizer.ofBytes(CanonicalJson.of(node).length);
    }
}
