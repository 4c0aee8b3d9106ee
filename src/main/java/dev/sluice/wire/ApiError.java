package dev.sluice.wire;

import java.util.Map;

/**
 * An error the gateway answers itself, in Anthropic's envelope. Thrown by any stage; the pipeline
 * turns it into a response (or an {@code event: error} once a stream has started).
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final Boolean shouldRetry;
    private final Map<String, String> headers;
    private final String detailsJson;

    public ApiError(int status, String type, String message, Boolean shouldRetry, Map<String, String> headers) {
        this(status, type, message, shouldRetry, headers, null);
    }

    /**
     * @param detailsJson {@code error.details} as a JSON object the gateway wrote (never caller text), or null; clients
     *                    tell some errors apart by its {@code error_code}
     */
    public ApiError(int status, String type, String message, Boolean shouldRetry, Map<String, String> headers, String detailsJson) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.shouldRetry = shouldRetry;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.detailsJson = detailsJson;
    }

    public ApiError(int status, String type, String message) {
        this(status, type, message, null, null);
    }

    public static ApiError invalidRequest(String message) {
        return new ApiError(400, "invalid_request_error", message);
    }

    public static ApiError authentication(String message) {
        return new ApiError(401, "authentication_error", message, false, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found_error", message, false, null);
    }

    public static ApiError notSupported(String message) {
        return new ApiError(501, "not_supported", message, false, null);
    }

    public static ApiError tooLarge(long limit) {
        return new ApiError(413, "request_too_large", "Request exceeds the maximum allowed number of bytes (" + limit + ").");
    }

    /** The upstream could not be reached or broke before answering. */
    public static ApiError badGateway(String message) {
        return new ApiError(502, "api_error", message);
    }

    public static ApiError gatewayTimeout(String message) {
        return new ApiError(504, "timeout_error", message);
    }

    public static ApiError internal(String message) {
        return new ApiError(500, "api_error", message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** {@code x-should-retry} to send, or null to leave the client's own retry policy alone. */
    public Boolean shouldRetry() {
        return shouldRetry;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** {@code error.details} as a JSON object, or null. */
    public String detailsJson() {
        return detailsJson;
    }
}
