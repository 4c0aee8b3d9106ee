package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.translate.CloudErrors;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Bedrock's errors in Anthropic's vocabulary. Bedrock names an error by its exception type (the
 * {@code x-amzn-ErrorType} header or {@code __type} of an error body, the {@code :exception-type} of an
 * event-stream exception frame) with a {@code {"message": ...}} body; the type decides Anthropic's
 * {@code error.type} and status, and {@link CloudErrors} decides what of the message the client may see.
 */
public final class BedrockErrors {
    static final String PROVIDER = "Bedrock";

    private BedrockErrors() {
    }

    /** Anthropic's {@code error.type} for a Bedrock exception name (any case, suffix and namespace optional). */
    public static String type(String exception, int status) {
        if (exception == null || exception.isBlank()) {
            return CloudErrors.typeForStatus(status);
        }
        String e = exception;
        int colon = e.indexOf(':');
        if (colon > 0) {
            e = e.substring(0, colon); // "ValidationException:http://internal.amazon.com/coral/..."
        }
        int hash = e.lastIndexOf('#');
        e = (hash >= 0 ? e.substring(hash + 1) : e).toLowerCase(Locale.ROOT).replace("exception", "");
        return switch (e) {
            case "throttling", "servicequotaexceeded", "toomanyrequests" -> "rate_limit_error";
            case "validation", "serialization" -> "invalid_request_error";
            case "serviceunavailable", "modelnotready" -> "overloaded_error";
            case "modeltimeout" -> "timeout_error";
            case "accessdenied" -> "permission_error";
            case "resourcenotfound" -> "not_found_error";
            case "unrecognizedclient", "invalidsignature", "expiredtoken", "incompletesignature",
                 "missingauthenticationtoken", "invalidclienttokenid" -> "authentication_error";
            default -> status > 0 && status < 500 && status != 424 ? CloudErrors.typeForStatus(status) : "api_error";
        };
    }

    /** The status to answer the client with for an error of {@code type} (Bedrock's 424 and 408 are not Anthropic's). */
    public static int clientStatus(int upstreamStatus, String type) {
        return switch (type) {
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            case "timeout_error" -> 504;
            case "invalid_request_error" -> upstreamStatus == 413 ? 413 : 400;
            case "authentication_error", "permission_error" -> upstreamStatus == 401 ? 401 : 403;
            case "not_found_error" -> 404;
            default -> 500;
        };
    }

    /** The Anthropic envelope for a Bedrock error: mapped type, message as {@link CloudErrors} allows. */
    public static byte[] envelope(String type, String message) {
        String relayed = CloudErrors.clientMessage(PROVIDER, type, message);
        if (CloudErrors.promptTooLong(message)) {
            type = "invalid_request_error";
        }
        return ("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\""
                + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(relayed))
                + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code message} (or {@code Message}) and {@code __type} of a Bedrock error body; nulls when absent or not JSON. */
    static String[] messageAndType(byte[] body) {
        String message = null;
        String type = null;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new String[] {null, null};
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING && (name.equals("message") || name.equals("Message"))) {
                    message = p.getText();
                } else if (v == JsonToken.VALUE_STRING && (name.equals("__type") || name.equals("code"))) {
                    type = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: a proxy's HTML page; the status decides
        }
        return new String[] {message, type};
    }
}
