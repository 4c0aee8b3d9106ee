package dev.sluice.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Writes the Anthropic error envelope without a JSON library round trip. */
public final class ErrorBody {
    private ErrorBody() {
    }

    /** {@code {"type":"error","error":{"type":..,"message":..},"request_id":..}}. */
    public static String json(String type, String message, String requestId) {
        return json(type, message, null, requestId);
    }

    /** The same with {@code error.details}: a JSON object the gateway wrote, or null for none. */
    public static String json(String type, String message, String detailsJson, String requestId) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + quote(type) + "\",\"message\":\"" + quote(message)
                + (detailsJson == null ? "\"" : "\",\"details\":" + detailsJson) + "},\"request_id\":\"" + quote(requestId) + "\"}";
    }

    /** The same error as one SSE frame, for failures after a stream has begun. */
    public static String sseFrame(String type, String message, String requestId) {
        return sseFrame(type, message, null, requestId);
    }

    /** The same with {@code error.details}, as in {@link #json(String, String, String, String)}. */
    public static String sseFrame(String type, String message, String detailsJson, String requestId) {
        return "event: error\ndata: " + json(type, message, detailsJson, requestId) + "\n\n";
    }

    private static String quote(String s) {
        return s == null ? "" : new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
