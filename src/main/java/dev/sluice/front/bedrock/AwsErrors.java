package dev.sluice.front.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Errors in Bedrock's words: a {@code {"message":"..."}} body named by the {@code x-amzn-ErrorType} header, or an
 * {@code exception} frame named by {@code :exception-type} inside a stream. The exception is chosen by the Anthropic
 * error type the gateway works with (the reverse of {@code provider.bedrock.BedrockErrors}, which reads Bedrock's).
 * The status stays the gateway's but for an overload (529, which Bedrock never sends: its 503, so the AWS SDKs retry it;
 * the attempt's record keeps the 529): a 429 is retried by every client, and a refused key stays a 401 (Bedrock says 403, but Claude Code in Bedrock mode meets a 403 on its model probes by trying
 * every other model it knows, over and over; a 401 it reports at once, as "Not logged in").
 */
final class AwsErrors {
    /** What the door says after an authentication error, since a client with AWS credentials signs with SigV4. */
    static final String KEY_HINT = " (this gateway's Bedrock endpoint takes a Sluice gateway key as a bearer token:"
            + " AWS_BEARER_TOKEN_BEDROCK=<key>, or CLAUDE_CODE_SKIP_BEDROCK_AUTH=1 with an x-api-key header;"
            + " AWS SigV4 signatures are not accepted)";

    private AwsErrors() {
    }

    /** Bedrock's exception name (as {@code x-amzn-ErrorType} carries it) for an Anthropic error type. */
    static String exception(String anthropicType) {
        return switch (anthropicType == null ? "" : anthropicType) {
            case "invalid_request_error", "request_too_large" -> "ValidationException";
            case "authentication_error" -> "UnrecognizedClientException";
            case "permission_error", "billing_error" -> "AccessDeniedException";
            case "not_found_error" -> "ResourceNotFoundException";
            case "rate_limit_error" -> "ThrottlingException";
            case "overloaded_error" -> "ServiceUnavailableException";
            case "timeout_error" -> "ModelTimeoutException";
            default -> "InternalServerException";
        };
    }

    /**
     * The {@code :exception-type} of a stream's exception frame (camel case, one of the members the AWS SDK's
     * ResponseStream union knows, so it is raised as that error rather than an unknown one).
     */
    static String streamException(String anthropicType) {
        return switch (anthropicType == null ? "" : anthropicType) {
            case "invalid_request_error", "request_too_large" -> "validationException";
            case "rate_limit_error" -> "throttlingException";
            case "overloaded_error" -> "serviceUnavailableException";
            case "timeout_error" -> "modelTimeoutException";
            case "api_error" -> "internalServerException";
            default -> "modelStreamErrorException";
        };
    }

    /** {@code {"message":"..."}}. */
    static byte[] body(String message) {
        return ("{\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message == null ? "" : message))
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code error.type} and {@code error.message} of an Anthropic error envelope; nulls for what it lacks. */
    static String[] typeAndMessage(byte[] envelope, int off, int len) {
        String type = null;
        String message = null;
        try (JsonParser p = Json.FACTORY.createParser(envelope, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new String[] {null, null};
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && name.equals("error")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken v = p.nextToken();
                        if (v == JsonToken.VALUE_STRING && inner.equals("type")) {
                            type = p.getText();
                        } else if (v == JsonToken.VALUE_STRING && inner.equals("message")) {
                            message = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not an envelope: the caller falls back to the status
        }
        return new String[] {type, message};
    }

    /** The Anthropic error type a status means when an error body names none. */
    static String typeForStatus(int status) {
        return dev.sluice.translate.CloudErrors.typeForStatus(status);
    }
}
