package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.translate.CloudErrors;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's error envelope {@code {"error":{"message","type","param","code"}}} as Anthropic's. A context-length
 * error is reworded as Anthropic's {@code prompt is too long: N tokens > M maximum}, which is what Claude Code's
 * auto-compaction looks for, so a session that fell back to an OpenAI model still compacts.
 */
final class OpenAiErrors {
    static final String PROVIDER = "The OpenAI-compatible upstream";
    private static final Pattern CONTEXT = Pattern.compile(
            "maximum context length is (\\d+) tokens.*?(?:resulted in|requested|you requested) (\\d+) tokens", Pattern.DOTALL);

    private OpenAiErrors() {
    }

    /** [Anthropic type, client message] for an error body with this status (or an in-stream error object). */
    static String[] map(int status, JsonNode error) {
        String message = error.path("message").asText(null);
        String code = error.path("code").asText("");
        String type = status > 0 ? CloudErrors.typeForStatus(status) : typeOf(error.path("type").asText(""));
        if (code.equals("context_length_exceeded") || (message != null && message.contains("maximum context length"))) {
            Matcher m = message == null ? null : CONTEXT.matcher(message);
            String text = m != null && m.find() ? "prompt is too long: " + m.group(2) + " tokens > " + m.group(1) + " maximum"
                    : "prompt is too long";
            return new String[] {"invalid_request_error", text};
        }
        if (code.equals("insufficient_quota")) {
            type = "billing_error";
        }
        if (type.equals("authentication_error") || type.equals("permission_error")) {
            // OpenAI's 401 text quotes part of the key it refused: the gateway's key, not the caller's business.
            return new String[] {type, CloudErrors.generic(PROVIDER, type)};
        }
        return new String[] {type, CloudErrors.clientMessage(PROVIDER, type, message)};
    }

    private static String typeOf(String openAiType) {
        return switch (openAiType) {
            case "invalid_request_error" -> "invalid_request_error";
            case "rate_limit_error", "requests", "tokens" -> "rate_limit_error";
            case "authentication_error" -> "authentication_error";
            case "server_error" -> "api_error";
            default -> "api_error";
        };
    }

    static byte[] envelope(String type, String message) {
        return ("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\""
                + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(message))
                + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** An error body in OpenAI's (or any JSON) shape as Anthropic's envelope; [type, envelope]. */
    static Object[] body(int status, byte[] body) {
        JsonNode error;
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            error = root == null ? Json.MAPPER.createObjectNode() : root.path("error");
            if (error.isTextual()) { // some compatible servers send {"error": "text"}
                error = Json.MAPPER.createObjectNode().put("message", error.asText());
            }
        } catch (IOException e) {
            error = Json.MAPPER.createObjectNode();
        }
        String[] mapped = map(status, error);
        return new Object[] {mapped[0], envelope(mapped[0], mapped[1])};
    }
}
