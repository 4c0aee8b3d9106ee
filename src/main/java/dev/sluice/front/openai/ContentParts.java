package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;

/** One OpenAI user content part as an Anthropic content block. */
final class ContentParts {
    private ContentParts() {
    }

    static JsonNode toBlock(JsonNode part, String where) {
        String type = part.path("type").asText("");
        return switch (type) {
            case "text" -> {
                if (!part.path("text").isTextual()) { // asText() of an object is "", an empty block the client never wrote
                    throw ChatFields.invalidType(where + ".text", "a string");
                }
                yield ChatMessagesReader.textNode(part.get("text").asText());
            }
            case "image_url" -> image(part.path("image_url").path("url").asText(""), where);
            case "file" -> file(part.path("file"), where);
            default -> throw ApiError.invalidRequest(where + ".type: '" + Bounded.text(type, 40) + "' (expected: text, image_url or file)");
        };
    }

    private static JsonNode image(String url, String where) {
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        if (url.startsWith("data:")) {
            String[] dataUri = dataUri(url, where);
            source.put("type", "base64").put("media_type", dataUri[0]).put("data", dataUri[1]);
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url").put("url", url);
        } else {
            throw ApiError.invalidRequest(where + ".image_url.url: expected a data: URI or an http(s) URL");
        }
        return block;
    }

    private static JsonNode file(JsonNode file, String where) {
        String data = file.path("file_data").asText("");
        if (!data.startsWith("data:")) {
            throw ApiError.invalidRequest(where + ".file.file_data: expected a data: URI (file ids are not supported)");
        }
        String[] dataUri = dataUri(data, where);
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "document");
        block.putObject("source").put("type", "base64").put("media_type", dataUri[0]).put("data", dataUri[1]);
        if (file.path("filename").isTextual()) {
            block.put("title", file.get("filename").asText());
        }
        return block;
    }

    /** [media type, base64 data] of {@code data:<type>;base64,<data>}. */
    private static String[] dataUri(String uri, String where) {
        int comma = uri.indexOf(',');
        int semi = uri.indexOf(";base64");
        if (comma < 0 || semi < 0 || semi > comma) {
            throw ApiError.invalidRequest(where + ": expected a base64 data: URI");
        }
        return new String[] {uri.substring(5, semi), uri.substring(comma + 1)};
    }
}
