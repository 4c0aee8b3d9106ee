package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Errors in OpenAI's envelope {@code {"error":{"message","type","param","code"}}}. The type keeps Anthropic's
 * name (it says what happened); {@code code} carries the value OpenAI clients branch on
 * ({@code invalid_api_key}, {@code rate_limit_exceeded}, {@code insufficient_quota}, {@code context_length_exceeded}).
 */
public final class OpenAiErrorBody {
    private OpenAiErrorBody() {
    }

    public static String json(String anthropicType, String message) {
        String code = code(anthropicType, message);
        return "{\"error\":{\"message\":" + OpenAiEncoder.q(message) + ",\"type\":" + OpenAiEncoder.q(anthropicType)
                + ",\"param\":null,\"code\":" + (code == null ? "null" : OpenAiEncoder.q(code)) + "}}";
    }

    /** An Anthropic error envelope (the gateway's or an upstream's) in OpenAI's shape. */
    public static byte[] fromAnthropic(byte[] envelope) {
        String type = "api_error";
        String message = "";
        try {
            JsonNode error = Json.MAPPER.readTree(envelope).path("error");
            type = error.path("type").asText(type);
            message = error.path("message").asText("");
        } catch (IOException | RuntimeException e) {
            message = "the upstream's error could not be read";
        }
        return json(type, message).getBytes(StandardCharsets.UTF_8);
    }

    private static String code(String type, String message) {
        if (message != null && message.startsWith("prompt is too long")) {
            return "context_length_exceeded";
        }
        return switch (type) {
            case "authentication_error" -> "invalid_api_key";
            case "permission_error" -> "permission_denied";
            case "not_found_error" -> "model_not_found";
            case "rate_limit_error" -> "rate_limit_exceeded";
            case "billing_error" -> "insufficient_quota";
            case "overloaded_error" -> "server_overloaded";
            case "request_too_large" -> "request_too_large";
            case "timeout_error" -> "timeout";
            case "not_supported" -> "not_supported";
            case "policy_blocked" -> "content_policy_violation"; // issue 12: the guard's block, the code OpenAI clients know for it
            default -> null;
        };
    }
}
