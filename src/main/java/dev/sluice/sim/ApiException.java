package dev.sluice.sim;

/**
 * An Anthropic API error to send back: the HTTP status, {@code error.type} and a message that names the
 * bad value. Thrown anywhere in request handling and turned into the error envelope in one place.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorType;
    private final String errorCode;

    ApiException(int status, String errorType, String message) {
        this(status, errorType, message, null);
    }

    /** @param errorCode {@code error.details.error_code}, by which clients tell some errors apart, or null */
    ApiException(int status, String errorType, String message, String errorCode) {
        super(message, null, false, false); // control flow, not a bug: no stack trace needed
        this.status = status;
        this.errorType = errorType;
        this.errorCode = errorCode;
    }

    static ApiException invalidRequest(String message) {
        return new ApiException(400, "invalid_request_error", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found_error", message);
    }

    static ApiException forFaultStatus(int status) {
        return switch (status) {
            case 429 -> new ApiException(429, "rate_limit_error",
                    "Number of request tokens has exceeded your per-minute rate limit (simulated by x-sim-fault)");
            case 529 -> new ApiException(529, "overloaded_error", "Overloaded (simulated by x-sim-fault)");
            case 500 -> new ApiException(500, "api_error", "Internal server error (simulated by x-sim-fault)");
            case 400 -> new ApiException(400, "invalid_request_error", "prompt is too long: 212345 tokens > 200000 maximum");
            case 403 -> new ApiException(403, "permission_error", "Your organization does not have access to this model"
                    + " (simulated by x-sim-fault)");
            default -> throw new IllegalArgumentException("fault status: " + status + " (expected: 400, 403, 429, 500 or 529)");
        };
    }

    int status() {
        return status;
    }

    String errorType() {
        return errorType;
    }

    String errorCode() {
        return errorCode;
    }
}
