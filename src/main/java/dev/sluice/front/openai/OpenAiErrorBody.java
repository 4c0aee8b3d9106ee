package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.authenticate.Callers;
import dev.sluice.translate.CloudErrors;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Errors in OpenAI's envelope {@code {"error":{"message","type","param","code"}}}. The type keeps Anthropic's
 * name (it says what happened); {@code code} carries the value OpenAI clients branch on
 * ({@code invalid_api_key}, {@code rate_limit_exceeded}, {@code insufficient_quota}, {@code context_length_exceeded},
 * {@code model_not_found}; for a refused request {@code invalid_type}, {@code unsupported_parameter} or
 * {@code unsupported_value}). The gateway's own 400s name the field they refuse first ({@code "seed: ..."},
 * {@code "messages.0.role: ..."}, see {@link ChatFields}): that name is the {@code param}, in OpenAI's notation
 * ({@code messages[0].role}). An upstream's error keeps {@code param} null (its field names are the translated
 * body's, not the client's), except a missing model.
 */
public final class OpenAiErrorBody {
    /** A refusal's leading field path: {@code name}, {@code name.sub}, {@code messages.0.role}. */
    private static final Pattern PARAM = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*): ");
    private static final Pattern INDEX = Pattern.compile("\\.([0-9]+)");

    private OpenAiErrorBody() {
    }

    /** The gateway's own error. */
    public static String json(String anthropicType, String message) {
        return render(anthropicType, reworded(anthropicType, message), true);
    }

    private static String render(String type, String message, boolean own) {
        String path = path(type, message, own);
        String code = code(type, message, path);
        String param = path == null ? null : INDEX.matcher(path).replaceAll("[$1]");
        return "{\"error\":{\"message\":" + OpenAiEncoder.q(message) + ",\"type\":" + OpenAiEncoder.q(type)
                + ",\"param\":" + (param == null ? "null" : OpenAiEncoder.q(param))
                + ",\"code\":" + (code == null ? "null" : OpenAiEncoder.q(code)) + "}}";
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
        return render(type, message, false).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The authentication stage words its refusals for Anthropic clients (which send {@code x-api-key} or sign in);
     * an OpenAI client sends its key as {@code Authorization: Bearer} and must be told so.
     */
    private static String reworded(String type, String message) {
        if (!"authentication_error".equals(type) || message == null) {
            return message;
        }
        if (message.equals(Callers.MISSING_KEY)) {
            return "An API key is required: send it as Authorization: Bearer <key> (OPENAI_API_KEY in the SDKs)";
        }
        return message.equals(Callers.SIGNIN_ENDED) ? "Incorrect API key provided in Authorization: Bearer" : message;
    }

    /** The field path a 400 names first; for a 404, {@code model} when the model is what was not found. */
    private static String path(String type, String message, boolean own) {
        if (message == null) {
            return null;
        }
        Matcher m = PARAM.matcher(message);
        if (!m.find()) {
            return null;
        }
        boolean model = m.group(1).equals("model");
        return (own && "invalid_request_error".equals(type)) || ("not_found_error".equals(type) && model) ? m.group(1) : null;
    }

    private static String code(String type, String message, String path) {
        // Every upstream's wording of a prompt that does not fit (Anthropic's "prompt is too long: N tokens > M maximum",
        // Bedrock's "Input is too long.", as CloudErrors relays them): the code OpenAI clients truncate their history on.
        if (CloudErrors.promptTooLong(message)) {
            return "context_length_exceeded";
        }
        return switch (type) {
            case "invalid_request_error" -> path == null ? null : refusal(message.substring(path.length() + 2));
            case "authentication_error" -> "invalid_api_key";
            case "permission_error" -> "permission_denied";
            case "not_found_error" -> path == null ? null : "model_not_found"; // an unknown path is not a missing model
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

    /** The code for a refusal's wording after its field name (the forms {@link ChatFields} writes). */
    private static String refusal(String rest) {
        if (rest.startsWith("expected ")) {
            return "invalid_type";
        }
        if (rest.startsWith("not supported")) {
            return "unsupported_parameter";
        }
        return rest.contains(" is not supported") ? "unsupported_value" : null;
    }
}
