package dev.sluice.sim;

import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The account headers every real API response carries: request id, organization id and rate-limit
 * state. A gateway must strip them (they describe its account, not the caller's), so the simulator sends
 * them to make that testable.
 */
final class ResponseHeaders {

    static final long REQUESTS_LIMIT = 4_000;
    static final long TOKENS_LIMIT = 2_000_000;
    static final long INPUT_TOKENS_LIMIT = 2_000_000;
    static final long OUTPUT_TOKENS_LIMIT = 400_000;

    private ResponseHeaders() {
    }

    static void apply(HttpServerResponse response, String requestId, String organizationId, boolean rateLimited) {
        String reset = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        response.putHeader("request-id", requestId)
                .putHeader("anthropic-organization-id", organizationId);
        limit(response, "requests", REQUESTS_LIMIT, rateLimited, reset);
        limit(response, "tokens", TOKENS_LIMIT, rateLimited, reset);
        limit(response, "input-tokens", INPUT_TOKENS_LIMIT, rateLimited, reset);
        limit(response, "output-tokens", OUTPUT_TOKENS_LIMIT, rateLimited, reset);
    }

    private static void limit(HttpServerResponse response, String kind, long limit, boolean exhausted, String reset) {
        String prefix = "anthropic-ratelimit-" + kind;
        response.putHeader(prefix + "-limit", Long.toString(limit))
                .putHeader(prefix + "-remaining", Long.toString(exhausted ? 0 : limit - 1))
                .putHeader(prefix + "-reset", reset);
    }
}
