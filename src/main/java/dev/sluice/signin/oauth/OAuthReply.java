package dev.sluice.signin.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import io.vertx.core.http.HttpServerResponse;

/** JSON answers of the OAuth endpoints: {@code no-store} always, errors as {@code {"error","error_description"}}. */
public final class OAuthReply {
    private OAuthReply() {
    }

    public static void json(HttpServerResponse resp, int status, ObjectNode body) {
        if (resp.ended() || resp.closed()) {
            return;
        }
        resp.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .putHeader("pragma", "no-cache")
                .end(body.toString());
    }

    /** An RFC 6749 §5.2 error. */
    public static void error(HttpServerResponse resp, int status, String error, String description) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", error);
        if (description != null) {
            body.put("error_description", description);
        }
        json(resp, status, body);
    }

    /** A 405 naming the methods the endpoint takes, in {@code Allow} (RFC 9110 §15.5.6) and in the description. */
    public static void notAllowed(HttpServerResponse resp, String allowed) {
        if (!resp.ended() && !resp.closed()) {
            resp.putHeader("allow", allowed);
        }
        error(resp, 405, "invalid_request", "use " + allowed.replace(", ", " or "));
    }

    /** Why a form body could not be read ({@link Forms#read}): too large (413), or a field given twice or too many fields (400). */
    public static void unreadableForm(HttpServerResponse resp, Throwable cause) {
        if (cause instanceof Forms.Refused refused) {
            error(resp, 400, "invalid_request", refused.getMessage());
        } else if (cause instanceof Forms.TooLarge) {
            error(resp, 413, "invalid_request", "request body too large");
        } else {
            error(resp, 400, "invalid_request", "the request body could not be read");
        }
    }

    public static void tooManyRequests(HttpServerResponse resp, long retryAfterSeconds) {
        if (!resp.ended() && !resp.closed()) {
            resp.putHeader("retry-after", Long.toString(Math.max(1, retryAfterSeconds)));
        }
        error(resp, 429, "slow_down", "too many requests from this address");
    }
}
