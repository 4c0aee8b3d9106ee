package dev.sluice.sim;

import io.vertx.core.http.HttpMethod;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes of the other providers' wires, so the gateway's adapters meet the exact paths, auth and bytes of
 * the real services:
 * <ul>
 *   <li>Bedrock: {@code POST /model/{id}/invoke}, {@code /invoke-with-response-stream}, {@code /count-tokens},
 *       SigV4 (verified) or a Bedrock API key ({@link BedrockSim});</li>
 *   <li>Vertex AI: {@code POST /v1/projects/{p}/locations/{r}/publishers/anthropic/models/{m}:rawPredict} and
 *       {@code :streamRawPredict}, {@code count-tokens:rawPredict}, OAuth bearer tokens ({@link VertexSim}), and a
 *       Google token endpoint {@code POST /token} for service-account JWT grants ({@link GoogleTokenSim});</li>
 *   <li>OpenAI: {@code POST /v1/chat/completions}, Azure's {@code /openai/deployments/{d}/chat/completions}
 *       ({@link OpenAiSim}); {@code POST /v1/embeddings} and Azure's deployment path ({@link OpenAiEmbeddingsSim}).</li>
 * </ul>
 */
final class ProviderRoutes {
    static final Pattern BEDROCK = Pattern.compile("^/model/([^/]+)/(invoke|invoke-with-response-stream|count-tokens)$");
    static final Pattern VERTEX = Pattern.compile(
            "^/v1/projects/([^/]+)/locations/([^/]+)/publishers/anthropic/models/([^/:]+):(rawPredict|streamRawPredict)$");
    static final Pattern AZURE_CHAT = Pattern.compile("^/openai/deployments/([^/]+)/chat/completions$");
    static final Pattern AZURE_EMBEDDINGS = Pattern.compile("^/openai/deployments/([^/]+)/embeddings$");

    private ProviderRoutes() {
    }

    static Route match(HttpMethod method, String path) {
        if (method != HttpMethod.POST) {
            return null;
        }
        Matcher b = BEDROCK.matcher(path);
        if (b.matches()) {
            return switch (b.group(2)) {
                case "invoke" -> Route.BEDROCK_INVOKE;
                case "invoke-with-response-stream" -> Route.BEDROCK_STREAM;
                default -> Route.BEDROCK_COUNT;
            };
        }
        Matcher v = VERTEX.matcher(path);
        if (v.matches()) {
            if (v.group(3).equals("count-tokens")) {
                return v.group(4).equals("rawPredict") ? Route.VERTEX_COUNT : null;
            }
            return v.group(4).equals("rawPredict") ? Route.VERTEX_PREDICT : Route.VERTEX_STREAM;
        }
        if (path.equals("/v1/chat/completions") || AZURE_CHAT.matcher(path).matches()) {
            return Route.OPENAI_CHAT;
        }
        if (path.equals("/v1/embeddings") || AZURE_EMBEDDINGS.matcher(path).matches()) {
            return Route.OPENAI_EMBEDDINGS;
        }
        if (path.equals("/token")) {
            return Route.GOOGLE_TOKEN;
        }
        return null;
    }

    /** Each provider's own authentication, failing in its own error shape. */
    static void authenticate(SimExchange exchange, Route route) {
        switch (route) {
            case BEDROCK_INVOKE, BEDROCK_STREAM, BEDROCK_COUNT -> BedrockSim.authenticate(exchange);
            case VERTEX_PREDICT, VERTEX_STREAM, VERTEX_COUNT -> VertexSim.authenticate(exchange);
            case OPENAI_CHAT, OPENAI_EMBEDDINGS -> OpenAiSim.authenticate(exchange);
            case GOOGLE_TOKEN -> { } // the grant is the credential
            default -> throw new IllegalStateException("not a provider route: " + route);
        }
    }

    static void serve(SimExchange exchange, Route route, SimDirectives directives) {
        switch (route) {
            case BEDROCK_INVOKE, BEDROCK_STREAM -> BedrockSim.invoke(exchange, directives, route == Route.BEDROCK_STREAM);
            case BEDROCK_COUNT -> BedrockSim.countTokens(exchange);
            case VERTEX_PREDICT, VERTEX_STREAM -> VertexSim.predict(exchange, directives, route == Route.VERTEX_STREAM);
            case VERTEX_COUNT -> VertexSim.countTokens(exchange);
            case OPENAI_CHAT -> OpenAiSim.chat(exchange, directives);
            case OPENAI_EMBEDDINGS -> OpenAiEmbeddingsSim.embed(exchange);
            case GOOGLE_TOKEN -> GoogleTokenSim.issue(exchange);
            default -> throw new IllegalStateException("not a provider route: " + route);
        }
    }

    /** A path segment percent-decoded ({@code %3A} in Bedrock model ids). */
    static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
