package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.catalog.ClaudeModelIds;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The simulated Bedrock runtime. Requests are authenticated as AWS does: a SigV4 signature checked by
 * {@link SigV4Verifier} against {@link #ACCESS_KEY_ID}/{@link #SECRET_ACCESS_KEY} (anything else is refused
 * with AWS's exception names), or a Bedrock API key ({@code Authorization: Bearer ABSK...}). Bodies are held to
 * Bedrock's Claude schema: {@code anthropic_version} must be {@code bedrock-2023-05-31}; {@code model},
 * {@code stream} and {@code tags} are refused as extraneous keys; betas come from {@code anthropic_beta}.
 * Answers: the binary event stream ({@link BedrockWire}) or Anthropic JSON; count-tokens answers
 * {@code {"inputTokens":N}} and, like Bedrock, refuses inference-profile ids.
 */
public final class BedrockSim {
    /** The simulator's IAM credentials; point the gateway's Bedrock upstream at them. */
    public static final String ACCESS_KEY_ID = "AKIASLUICESIM0000001";
    public static final String SECRET_ACCESS_KEY = "sluice/sim+secret/access/key/000000000000";
    /** Bedrock API keys start with this; any such bearer is accepted (except the revoked prefix). */
    static final String API_KEY_PREFIX = "ABSK";
    static final String VERSION = "bedrock-2023-05-31";

    private BedrockSim() {
    }

    static void authenticate(SimExchange exchange) {
        exchange.useWire(new BedrockWire(false));
        String authorization = exchange.request().getHeader("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorization.substring(7).strip();
            if (!key.startsWith(API_KEY_PREFIX) || key.startsWith(API_KEY_PREFIX + "revoked")) {
                throw new ApiException(403, "UnrecognizedClientException", "Invalid API Key format: Must start with pre-defined prefix");
            }
            return;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.request().headers().forEach(h -> headers.add(Map.entry(h.getKey(), h.getValue())));
        SigV4Verifier.Failure failure = SigV4Verifier.verify(exchange.request().method().name(), exchange.request().path(),
                exchange.request().query(), headers, exchange.body(), "bedrock",
                id -> id.equals(ACCESS_KEY_ID) ? SECRET_ACCESS_KEY : null, Instant.now());
        if (failure != null) {
            throw new ApiException(403, failure.errorType(), failure.message());
        }
    }

    static void invoke(SimExchange exchange, SimDirectives directives, boolean stream) {
        String modelId = modelId(exchange);
        JsonNode body = json(exchange.body());
        ObjectNode request = anthropicRequest(body, modelId, stream);
        MessagesHandler.serve(exchange, directives, MessagesRequest.parse(SimJson.bytes(request), true, betas(body)),
                new BedrockWire(stream), cache -> cache);
    }

    static void countTokens(SimExchange exchange) {
        String modelId = modelId(exchange);
        if (!modelId.startsWith("anthropic.")) {
            throw new ApiException(400, "invalid_request_error", "The provided model doesn't support counting tokens.");
        }
        JsonNode wrapper = json(exchange.body());
        JsonNode inner = wrapper.path("input").path("invokeModel").path("body");
        if (!inner.isTextual()) {
            throw new ApiException(400, "invalid_request_error", "1 validation error detected: Value at 'input' failed to satisfy constraint");
        }
        JsonNode body;
        try {
            body = json(Base64.getDecoder().decode(inner.asText()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_request_error", "input.invokeModel.body: not valid base64");
        }
        ObjectNode request = anthropicRequest(body, modelId, false);
        int tokens = PromptLayout.of(MessagesRequest.parse(SimJson.bytes(request), false, betas(body))).totalTokens();
        exchange.response().putHeader("content-type", "application/json").putHeader("x-amzn-RequestId", exchange.requestId())
                .setStatusCode(200).end(Buffer.buffer("{\"inputTokens\":" + tokens + "}"));
    }

    private static String modelId(SimExchange exchange) {
        Matcher m = ProviderRoutes.BEDROCK.matcher(exchange.request().path());
        if (!m.matches()) {
            throw new IllegalStateException("routed without a model id");
        }
        return ProviderRoutes.decode(m.group(1));
    }

    private static JsonNode json(byte[] bytes) {
        try {
            JsonNode node = SimJson.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiException(400, "invalid_request_error", "Malformed input request, please reformat your input and try again.");
            }
            return node;
        } catch (IOException e) {
            throw new ApiException(400, "invalid_request_error", "Malformed input request, please reformat your input and try again.");
        }
    }

    /** Bedrock's schema checks, then the body as the Anthropic request the planner reads. */
    private static ObjectNode anthropicRequest(JsonNode body, String modelId, boolean stream) {
        if (!VERSION.equals(body.path("anthropic_version").asText(null))) {
            throw new ApiException(400, "invalid_request_error", "Malformed input request: #: required key [anthropic_version]"
                    + " not found or not " + VERSION + ", please reformat your input and try again.");
        }
        for (String extraneous : List.of("model", "stream", "tags")) {
            if (body.has(extraneous)) {
                throw new ApiException(400, "invalid_request_error", "Malformed input request: #: extraneous key ["
                        + extraneous + "] is not permitted, please reformat your input and try again.");
            }
        }
        ObjectNode request = ((ObjectNode) body).deepCopy();
        request.remove("anthropic_version");
        request.remove("anthropic_beta");
        request.put("model", ClaudeModelIds.builtIn().fromProvider(modelId));
        request.put("stream", stream);
        return request;
    }

    private static String betas(JsonNode body) {
        List<String> betas = new ArrayList<>();
        body.path("anthropic_beta").forEach(b -> betas.add(b.asText()));
        return betas.isEmpty() ? null : String.join(",", betas);
    }
}
