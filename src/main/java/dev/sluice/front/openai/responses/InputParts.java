package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A Responses message's content (a string, or an array of parts) as Anthropic content blocks: {@code input_text} and
 * {@code output_text} as text, {@code refusal} as the text refused, {@code input_image} with a {@code data:} or http(s)
 * URL as an image, {@code input_file} with {@code file_data} (a {@code data:} URL) or an http(s) {@code file_url} as a
 * document. File ids are refused: the gateway holds no files. A part of a kind the role cannot carry is refused too,
 * never dropped, so the model never answers a question the client did not ask.
 */
final class InputParts {
    /** A media type's type/subtype (RFC 6838's characters), without parameters. */
    private static final java.util.regex.Pattern MEDIA_TYPE =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private InputParts() {
    }

    static ObjectNode text(String text) {
        return Json.MAPPER.createObjectNode().put("type", "text").put("text", text);
    }

    /**
     * A system, developer or assistant content: text only ({@code textPart}: {@code input_text} for instructions,
     * {@code output_text} or {@code refusal} for what the model said). Empty texts are left out, since Anthropic
     * refuses empty text blocks and an assistant message before a function call often has one.
     */
    static List<JsonNode> textOnly(JsonNode content, String where, String textPart) {
        List<JsonNode> blocks = new ArrayList<>(1);
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.add(text(content.asText()));
            }
            return blocks;
        }
        int i = 0;
        for (JsonNode part : parts(content, where)) {
            String at = where + ".content." + i++;
            String type = part.path("type").asText("");
            boolean refusal = type.equals("refusal") && textPart.equals("output_text");
            JsonNode text = part.path(refusal ? "refusal" : "text");
            if (!(type.equals(textPart) || refusal)) {
                throw ApiError.invalidRequest(at + ".type: " + Bounded.text(part.path("type").toString(), 40)
                        + " is not supported by this gateway (expected: " + textPart
                        + (textPart.equals("output_text") ? " or refusal" : "") + ")");
            }
            ResponsesFields.expect(at + (refusal ? ".refusal" : ".text"), text, text.isTextual(), "a string");
            if (!text.asText().isEmpty()) {
                blocks.add(text(text.asText()));
            }
        }
        return blocks;
    }

    /**
     * A user message's content: text, images and files. Empty texts are left out, as for the other roles: Anthropic
     * refuses an empty text block, so {@code "input": ""} went upstream to come back as its 400, where it now meets the
     * door's "at least one message" refusal.
     */
    static List<JsonNode> user(JsonNode content, String where) {
        List<JsonNode> blocks = new ArrayList<>();
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.add(text(content.asText()));
            }
            return blocks;
        }
        int i = 0;
        for (JsonNode part : parts(content, where)) {
            addUnlessEmpty(blocks, block(part, where + ".content." + i++));
        }
        return blocks;
    }

    /** A function call's output given as parts: a tool_result's content blocks, empty texts left out. */
    static ArrayNode toolResult(JsonNode output, String where) {
        List<JsonNode> blocks = new ArrayList<>();
        int i = 0;
        for (JsonNode part : output) {
            addUnlessEmpty(blocks, block(part, where + "." + i++));
        }
        return Json.MAPPER.createArrayNode().addAll(blocks);
    }

    private static void addUnlessEmpty(List<JsonNode> blocks, JsonNode block) {
        if (!(block.path("type").asText().equals("text") && block.path("text").asText().isEmpty())) {
            blocks.add(block);
        }
    }

    private static JsonNode parts(JsonNode content, String where) {
        if (content == null || !content.isArray()) {
            throw ApiError.invalidRequest(where + ".content: expected a string or an array of content parts, got "
                    + Bounded.text(String.valueOf(content), 40));
        }
        return content;
    }

    private static JsonNode block(JsonNode part, String at) {
        if (!part.isObject()) {
            throw ApiError.invalidRequest(at + ": expected a content part object, got " + Bounded.text(part.toString(), 40));
        }
        String type = part.path("type").asText("");
        return switch (type) {
            case "input_text" -> {
                ResponsesFields.expect(at + ".text", part.path("text"), part.path("text").isTextual(), "a string");
                yield text(part.get("text").asText());
            }
            case "input_image" -> image(part, at);
            case "input_file" -> file(part, at);
            default -> throw ApiError.invalidRequest(at + ".type: " + Bounded.text(part.path("type").toString(), 40)
                    + " is not supported by this gateway (expected: input_text, input_image or input_file)");
        };
    }

    private static JsonNode image(JsonNode part, String at) {
        noFileId(part, at);
        JsonNode url = part.path("image_url");
        ResponsesFields.expect(at + ".image_url", url, url.isTextual(), "a data: URL or an http(s) URL");
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "image");
        block.set("source", source(url.asText(), at + ".image_url"));
        return block;
    }

    private static JsonNode file(JsonNode part, String at) {
        noFileId(part, at);
        JsonNode data = part.path("file_data");
        JsonNode url = part.path("file_url");
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "document");
        if (data.isTextual()) {
            if (!data.asText().startsWith("data:")) { // a URL belongs in file_url
                throw ApiError.invalidRequest(at + ".file_data: expected a base64 data: URL");
            }
            block.set("source", source(data.asText(), at + ".file_data"));
        } else if (url.isTextual()) {
            block.set("source", source(url.asText(), at + ".file_url"));
        } else {
            throw ApiError.invalidRequest(at + ": expected file_data (a base64 data: URL) or file_url");
        }
        if (part.path("filename").isTextual()) {
            block.put("title", Bounded.text(part.get("filename").asText(), 256));
        }
        return block;
    }

    private static void noFileId(JsonNode part, String at) {
        if (part.hasNonNull("file_id")) {
            throw ApiError.invalidRequest(at + ".file_id: not supported by this gateway (it holds no files; send the "
                    + "content as a data: URL)");
        }
    }

    /** {@code data:<type>;base64,<data>} as a base64 source, an http(s) URL as a url source. */
    private static ObjectNode source(String url, String at) {
        ObjectNode source = Json.MAPPER.createObjectNode();
        if (url.startsWith("https://") || url.startsWith("http://")) {
            return source.put("type", "url").put("url", url);
        }
        int comma = url.indexOf(',');
        int semi = url.indexOf(";base64");
        if (!url.startsWith("data:") || comma < 0 || semi < 0 || semi > comma) {
            throw ApiError.invalidRequest(at + ": expected a base64 data: URL or an http(s) URL");
        }
        // The media type goes to the upstream as the block's media_type: "" or text/html"x went on and was refused there.
        String mediaType = url.substring(5, semi);
        if (mediaType.indexOf(';') >= 0) { // parameters (data:image/png;name=a.png;base64,...): the upstream takes the type alone
            mediaType = mediaType.substring(0, mediaType.indexOf(';'));
        }
        if (!MEDIA_TYPE.matcher(mediaType).matches()) {
            throw ApiError.invalidRequest(at + ": expected data:<type>/<subtype>;base64,... (such as image/png), got a media type of "
                    + Bounded.text(mediaType, 40));
        }
        return source.put("type", "base64").put("media_type", mediaType).put("data", url.substring(comma + 1));
    }
}
