package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/**
 * Vertex's bytes: Anthropic's SSE and JSON from the model, without Anthropic's account headers; the platform's
 * own refusals (authentication, permission, quota, unknown model) in Google's error shape
 * {@code {"error":{"code","message","status"}}}, the model's in Anthropic's envelope.
 */
final class VertexWire implements SimWire {
    @Override
    public void successHeaders(SimExchange exchange, boolean stream) {
        exchange.response().putHeader("content-type", stream ? "text/event-stream; charset=utf-8" : "application/json")
                .putHeader("x-vertex-ai-llm-request-type", "shared");
    }

    /** Google's permission error names the project; the model's own size error is Anthropic's. */
    @Override
    public ApiException fault(ApiException anthropic) {
        if (anthropic.status() == 403) {
            return new ApiException(403, "permission_error", "Permission 'aiplatform.endpoints.predict' denied on resource"
                    + " '//aiplatform.googleapis.com/projects/sluice-sim-project/locations/us-east5/publishers/anthropic/models/"
                    + "claude-sonnet-4-5@20250929' (or it may not exist).");
        }
        return anthropic;
    }

    @Override
    public boolean reject(SimExchange exchange, ApiException error) {
        String status = switch (error.status()) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            default -> null;
        };
        if (status == null) {
            return false; // the model's own error: Anthropic's envelope
        }
        ObjectNode body = SimJson.object();
        body.putObject("error").put("code", error.status()).put("message", error.getMessage()).put("status", status);
        exchange.response().setStatusCode(error.status()).putHeader("content-type", "application/json; charset=UTF-8")
                .end(Buffer.buffer(SimJson.bytes(body)));
        return true;
    }
}
