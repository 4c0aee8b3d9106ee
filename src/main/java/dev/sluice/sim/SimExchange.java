package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One request/response pair being served, with the helpers every handler needs. */
final class SimExchange {

    private final Vertx vertx;
    private final HttpServerRequest request;
    private final SimContext sim;
    private final byte[] body;
    private final String requestId = Ids.requestId();
    private final boolean billable;
    private final String upstreamKey;
    private SimWire wire = SimWire.ANTHROPIC;

    SimExchange(Vertx vertx, HttpServerRequest request, SimContext sim, byte[] body, boolean billable) {
        this.vertx = vertx;
        this.request = request;
        this.sim = sim;
        this.body = body;
        this.billable = billable;
        this.upstreamKey = credential(request);
    }

    Vertx vertx() {
        return vertx;
    }

    HttpServerRequest request() {
        return request;
    }

    HttpServerResponse response() {
        return request.response();
    }

    SimContext sim() {
        return sim;
    }

    byte[] body() {
        return body;
    }

    String requestId() {
        return requestId;
    }

    String upstreamKey() {
        return upstreamKey;
    }

    /** Errors from here on go out in this wire's shape (Bedrock, Google, OpenAI routes). */
    void useWire(SimWire wire) {
        this.wire = wire;
    }

    /** The request as the recorder keeps it. */
    ReceivedRequest received() {
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size());
        request.headers().forEach(header -> headers.add(Map.entry(header.getKey(), header.getValue())));
        return new ReceivedRequest(Instant.now(), request.method().name(), request.uri(), headers, body, upstreamKey);
    }

    /** Keys with this prefix are refused, as a revoked or mistyped key is by the real API. */
    static final String REVOKED_KEY_PREFIX = "sk-sim-revoked";

    /** Checks the credential and {@code anthropic-version}, as the real API does before anything else. */
    void authenticate() {
        if (upstreamKey == null || upstreamKey.startsWith(REVOKED_KEY_PREFIX)) {
            throw new ApiException(401, "authentication_error", "invalid x-api-key");
        }
        String version = request.getHeader("anthropic-version");
        if (version == null || version.isBlank()) {
            throw ApiException.invalidRequest("anthropic-version: header is required");
        }
    }

    /** Adds the content type and account headers a successful API response carries. */
    void putApiHeaders(String contentType) {
        response().putHeader("content-type", contentType);
        ResponseHeaders.apply(response(), requestId, sim.organizationId(), false);
    }

    void sendJson(JsonNode json) {
        if (response().closed()) {
            return;
        }
        putApiHeaders("application/json");
        response().setStatusCode(200).end(Buffer.buffer(SimJson.bytes(json)));
    }

    /** Sends the error envelope; a billable request is recorded as rejected, billing zero. */
    void reject(ApiException error, String model) {
        if (billable) {
            bill(null, model, false, error.status(), BilledUsage.Outcome.REJECTED, CacheUsage.NONE, 0);
        }
        if (response().closed() || wire.reject(this, error)) {
            return;
        }
        HttpServerResponse response = response();
        response.putHeader("content-type", "application/json");
        ResponseHeaders.apply(response, requestId, sim.organizationId(), error.status() == 429);
        if (error.status() == 429) {
            response.putHeader("retry-after", "1");
        }
        if (error.status() == 401) {
            response.putHeader("x-should-retry", "false"); // otherwise Claude Code retries for minutes
        }
        com.fasterxml.jackson.databind.node.ObjectNode envelope = MessageJson.error(error.errorType(), error.getMessage(), requestId);
        if (error.errorCode() != null) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) envelope.get("error")).putObject("details").put("error_code", error.errorCode());
        }
        response.setStatusCode(error.status()).end(Buffer.buffer(SimJson.bytes(envelope)));
    }

    /** Closes the TCP connection before any response header. */
    void reset(String model) {
        if (billable) {
            bill(null, model, false, 0, BilledUsage.Outcome.RESET, CacheUsage.NONE, 0);
        }
        request.connection().close();
    }

    void bill(String messageId, String model, boolean stream, int status, BilledUsage.Outcome outcome,
              CacheUsage cache, int outputTokens) {
        sim.recorder().recordBilled(new BilledUsage(messageId, requestId, upstreamKey, model, stream, status,
                outcome, cache.inputTokens(), outputTokens, cache.cacheCreationInputTokens(),
                cache.cacheReadInputTokens(), cache.ephemeral5mInputTokens(), cache.ephemeral1hInputTokens()));
    }

    /**
     * Bearer token if present, else {@code x-api-key}; null when neither carries a value. For the provider routes
     * also a SigV4 signature's access key id and Azure's {@code api-key} header (the prompt cache and billing scope).
     */
    private static String credential(HttpServerRequest request) {
        String authorization = request.getHeader("authorization");
        String accessKeyId = SigV4Verifier.accessKeyId(authorization);
        if (accessKeyId != null) {
            return accessKeyId;
        }
        String azureKey = request.getHeader("api-key");
        if (azureKey != null && !azureKey.isBlank() && authorization == null) {
            return azureKey.strip();
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank()) {
            return authorization.substring(7).strip();
        }
        String apiKey = request.getHeader("x-api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }
}
