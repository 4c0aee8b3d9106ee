package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.provider.catalog.ClaudeModelIds;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.regex.Matcher;

/**
 * The simulated Vertex AI partner-model endpoint for Claude. Every call needs {@code Authorization: Bearer} with a
 * token the simulator's {@code /token} endpoint issued, or {@link #STATIC_TOKEN}; anything else is Google's 401.
 * Bodies must carry {@code anthropic_version: vertex-2023-10-16} and no {@code model} (it is in the path);
 * {@code :streamRawPredict} requires {@code stream: true}; betas come in the {@code anthropic-beta} header. Answers
 * are Anthropic's own SSE and JSON; count-tokens takes the model in the body.
 */
public final class VertexSim {
    /** A token always accepted, for gateways configured with a given token instead of a service account. */
    public static final String STATIC_TOKEN = "ya29.sluice-sim-static-token";
    static final String VERSION = "vertex-2023-10-16";

    private VertexSim() {
    }

    /**
     * A service-account key file (fresh RSA key) whose {@code token_uri} is this simulator's {@code /token}: write it
     * to a file and point the gateway's Vertex upstream (or {@code GOOGLE_APPLICATION_CREDENTIALS}) at it.
     */
    public static String serviceAccountJson(String simBaseUrl, String projectId) {
        try {
            java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .encodeToString(gen.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
            ObjectNode key = SimJson.object().put("type", "service_account").put("project_id", projectId)
                    .put("private_key_id", "sim-key-1").put("private_key", pem)
                    .put("client_email", "sluice-sim@" + projectId + ".iam.gserviceaccount.com").put("client_id", "1")
                    .put("token_uri", simBaseUrl + "/token");
            return key.toString();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("every JVM can make an RSA key", e);
        }
    }

    static void authenticate(SimExchange exchange) {
        exchange.useWire(new VertexWire());
        String authorization = exchange.request().getHeader("authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        if (!exchange.sim().providers().validToken(token)) {
            throw new ApiException(401, "authentication_error", "Request had invalid authentication credentials. Expected OAuth 2"
                    + " access token, login cookie or other valid authentication credential.");
        }
    }

    static void predict(SimExchange exchange, SimDirectives directives, boolean streamPath) {
        Matcher m = path(exchange);
        JsonNode body = json(exchange.body());
        checkVersion(body);
        if (body.has("model")) {
            throw ApiException.invalidRequest("model: Extra inputs are not permitted (the model is named in the URL)");
        }
        boolean stream = body.path("stream").asBoolean(false);
        if (streamPath && !stream) {
            throw ApiException.invalidRequest("stream: streamRawPredict requires \"stream\": true");
        }
        ObjectNode request = ((ObjectNode) body).deepCopy();
        request.remove("anthropic_version");
        request.put("model", ClaudeModelIds.builtIn().fromProvider(m.group(3)));
        MessagesHandler.serve(exchange, directives, MessagesRequest.parse(SimJson.bytes(request), true,
                exchange.request().getHeader("anthropic-beta")), new VertexWire(), cache -> cache);
    }

    static void countTokens(SimExchange exchange) {
        JsonNode body = json(exchange.body());
        checkVersion(body);
        if (!body.path("model").isTextual()) {
            throw ApiException.invalidRequest("model: Field required");
        }
        ObjectNode request = ((ObjectNode) body).deepCopy();
        request.remove("anthropic_version");
        int tokens = PromptLayout.of(MessagesRequest.parse(SimJson.bytes(request), false,
                exchange.request().getHeader("anthropic-beta"))).totalTokens();
        exchange.response().putHeader("content-type", "application/json").setStatusCode(200)
                .end(Buffer.buffer("{\"input_tokens\":" + tokens + "}"));
    }

    private static void checkVersion(JsonNode body) {
        if (!VERSION.equals(body.path("anthropic_version").asText(null))) {
            throw ApiException.invalidRequest("anthropic_version: Input should be '" + VERSION + "'");
        }
    }

    private static Matcher path(SimExchange exchange) {
        Matcher m = ProviderRoutes.VERTEX.matcher(exchange.request().path());
        if (!m.matches()) {
            throw new IllegalStateException("routed without a model");
        }
        return m;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            JsonNode node = SimJson.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.invalidRequest("request body: expected a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.invalidRequest("request body is not valid JSON");
        }
    }
}
