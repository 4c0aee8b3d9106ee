package dev.sluice.route;

import dev.sluice.pipeline.Attempt;

/** What a failed attempt says about where the next one should go. */
enum Failures {
    /** The key's rate limit (429, a rate-limit error event): another key of the same target is the best next step. */
    KEY,
    /**
     * The gateway's own credential was refused (401, 403): another key or target, never the same
     * key again within the request.
     */
    CREDENTIAL,
    /**
     * Busy or unreachable right now (529, 503, 408, an overloaded error event, a connection failure):
     * another target, another key, or the same again after a backoff.
     */
    BUSY,
    /**
     * The upstream is unwell (other 5xx, no first byte in time, an api_error event): another target,
     * but never the same one again within this request (it would double the wait and rarely help).
     */
    SICK,
    /** About the request itself (400, 404, 413...): no retry can help. */
    FINAL;

    static Failures of(Attempt a) {
        if (a.failure() == null) {
            return FINAL;
        }
        return switch (a.failure()) {
            case CONNECT -> BUSY;
            case FIRST_BYTE_TIMEOUT, BROKEN_ANSWER -> SICK;
            case STATUS -> status(a.status());
            case STREAM_ERROR -> event(a.errorType());
        };
    }

    private static Failures status(int status) {
        return switch (status) {
            case 429 -> KEY;
            case 401, 403 -> CREDENTIAL;
            case 529, 503, 408 -> BUSY;
            case 501, 505 -> FINAL;
            default -> status >= 500 && status < 600 ? SICK : FINAL;
        };
    }

    private static Failures event(String type) {
        if (type == null) {
            return FINAL;
        }
        return switch (type) {
            case "rate_limit_error" -> KEY;
            case "overloaded_error" -> BUSY;
            case "api_error", "timeout_error" -> SICK;
            default -> FINAL;
        };
    }

    /** True when this kind of failure may be tried again on a target the request already used. */
    boolean repeatable() {
        return this == KEY || this == BUSY;
    }
}
