package dev.sluice.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/** Reads {@code error.type} out of an upstream error body, for the records; never fails. */
public final class UpstreamErrors {
    private static final JsonFactory JSON = dev.sluice.wire.Json.FACTORY;

    private UpstreamErrors() {
    }

    /** True when {@code body} is a JSON object with an {@code error} object, as every provider's error body is. */
    public static boolean isEnvelope(Buffer body) {
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("error".equals(name) && t == JsonToken.START_OBJECT) {
                    return true;
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        return false;
    }

    /** The Anthropic error type a client expects for an HTTP status. */
    public static String typeForStatus(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    /** The HTTP status the Anthropic API gives an error of {@code type} (an unknown type is a 500). */
    public static int statusForType(String type) {
        return switch (type == null ? "" : type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "timeout_error" -> 504;
            case "overloaded_error" -> 529;
            default -> 500;
        };
    }

    /** An Anthropic error envelope of {@code type} with {@code message} (written as given: no quotes to escape). */
    public static Buffer envelope(String type, String message) {
        return Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
    }

    public static String type(Buffer body) {
        try (JsonParser p = JSON.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "api_error";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("error".equals(name) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        p.nextToken();
                        if ("type".equals(inner)) {
                            return p.getValueAsString("api_error");
                        }
                        p.skipChildren();
                    }
                    return "api_error";
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: an HTML error page from a proxy in front of the upstream, say.
        }
        return "api_error";
    }
}
