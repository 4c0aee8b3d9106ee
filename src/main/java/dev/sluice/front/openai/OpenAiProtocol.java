package dev.sluice.front.openai;

import dev.sluice.front.ApiRoute;
import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.provider.openai.EmbeddingsRequest;
import dev.sluice.provider.openai.RelayedAnswer;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI front door: OpenAI clients (Codex CLI, Cursor, the SDKs) through the same pipeline as Anthropic's.
 * A chat completion is translated to a canonical Messages body at inspection ({@link ChatCompletionsRequest}) and
 * routed like any request; answers are written back as chat completions ({@link OpenAiEncoder}); errors, the
 * gateway's own and upstreams', in OpenAI's envelope ({@link OpenAiErrorBody}).
 *
 * <p>Paths: {@code POST /v1/chat/completions} and {@code POST /v1/embeddings} at the root, and everything under
 * {@code /openai/v1} (chat/completions, embeddings, models). {@code GET /v1/models} is shared with the Anthropic
 * door: requests without {@code anthropic-version} (which every Anthropic client sends and Anthropic's API
 * requires) get OpenAI's list. {@code POST /v1/responses} is the Responses API's own protocol
 * ({@link dev.sluice.front.openai.responses.ResponsesProtocol}, mounted beside these routes). Known OpenAI APIs the
 * gateway does not serve (stored responses under {@code /v1/responses/}, audio, images...) answer 501
 * {@code not_supported} in OpenAI's envelope.
 */
public final class OpenAiProtocol implements ClientProtocol {
    public static final OpenAiProtocol INSTANCE = new OpenAiProtocol();
    static final String PREFIX = "/openai";
    /**
     * OpenAI APIs a client may try that the gateway does not serve: a clear 501 instead of a 404. {@code POST /v1/responses}
     * itself is served (a route, so never looked up here); the paths below it (a stored response, its input items, cancel)
     * are not.
     */
    private static final List<String> UNSUPPORTED = List.of("/v1/responses", "/v1/completions", "/v1/audio", "/v1/images",
            "/v1/moderations", "/v1/assistants", "/v1/threads", "/v1/fine_tuning", "/v1/vector_stores", "/v1/realtime",
            "/v1/uploads", "/v1/batches", "/v1/files");
    /** Root paths that only OpenAI's API has, so an unknown path below them gets OpenAI's envelope. */
    private static final List<String> OWN_ROOTS = List.of("/v1/chat", "/v1/embeddings");

    private OpenAiProtocol() {
    }

    /** The calls this front door serves; mount them before Anthropic's (they share {@code GET /v1/models}). */
    public static List<ApiRoute> routes() {
        List<ApiRoute> routes = new ArrayList<>();
        for (String base : List.of("", PREFIX)) {
            routes.add(ApiRoute.exact(HttpMethod.POST, base + "/v1/chat/completions", Operation.MESSAGES, INSTANCE));
            routes.add(ApiRoute.exact(HttpMethod.POST, base + "/v1/embeddings", Operation.EMBEDDINGS, INSTANCE));
            ApiRoute list = ApiRoute.exact(HttpMethod.GET, base + "/v1/models", Operation.MODELS, INSTANCE);
            ApiRoute one = ApiRoute.under(HttpMethod.GET, base + "/v1/models", Operation.MODELS, INSTANCE, "GET " + base + "/v1/models/{id}");
            routes.add(base.isEmpty() ? list.onlyWhen(OpenAiProtocol::notAnthropic) : list);
            routes.add(base.isEmpty() ? one.onlyWhen(OpenAiProtocol::notAnthropic) : one);
        }
        return routes;
    }

    /** Every Anthropic client sends {@code anthropic-version}; an OpenAI client never does. */
    static boolean notAnthropic(HttpServerRequest req) {
        return req.getHeader("anthropic-version") == null;
    }

    /** The OpenAI SDKs read the request id from {@code x-request-id}. */
    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Inspected inspect(Operation op, RequestBody body) {
        if (body.length() == 0) {
            throw ApiError.invalidRequest("request body: empty (expected a JSON object)");
        }
        return switch (op) {
            case MESSAGES -> {
                ChatCompletionsRequest.Translated t = ChatCompletionsRequest.translate(body.array(), body.length());
                RequestBody canonical = RequestBody.of(t.canonical());
                yield new Inspected(canonical, BodyInspector.inspect(Operation.MESSAGES, canonical));
            }
            case EMBEDDINGS -> {
                EmbeddingsRequest.Facts f = EmbeddingsRequest.inspect(body.array(), body.length());
                yield new Inspected(body, new RequestFacts(f.model(), false, -1, -1, null, body.length(), List.of(), List.of()));
            }
            default -> throw ApiError.invalidRequest(op.label() + " takes no body");
        };
    }

    @Override
    public Buffer errorBody(ApiError error, String requestId) {
        return Buffer.buffer(OpenAiErrorBody.json(error.type(), error.getMessage()));
    }

    @Override
    public Buffer errorEvent(ApiError error, String requestId) {
        return Buffer.buffer("data: " + OpenAiErrorBody.json(error.type(), error.getMessage()) + "\n\n");
    }

    /** A chat-completions encoder with no request behind it: for tools that only render errors. */
    @Override
    public ClientEncoder encoder() {
        return new OpenAiEncoder("unknown", false, System.currentTimeMillis() / 1000);
    }

    @Override
    public ClientEncoder encoder(Exchange ex) {
        return switch (ex.operation()) {
            case MESSAGES, COUNT_TOKENS -> new OpenAiEncoder(ex.facts().model(), ex.facts().stream() && includeUsage(ex),
                    System.currentTimeMillis() / 1000, RelayedAnswer.find(ex));
            case EMBEDDINGS -> new PassThroughEncoder(PassThroughEncoder.Kind.OPENAI_BODY);
            case MODELS -> new PassThroughEncoder(PassThroughEncoder.Kind.MODEL_LIST);
        };
    }

    private static boolean includeUsage(Exchange ex) {
        RequestBody original = ex.originalBody();
        return original != null && ChatCompletionsRequest.includeUsage(original.array(), original.length());
    }

    @Override
    public ApiError unserved(String method, String path) {
        boolean prefixed = path.startsWith(PREFIX + "/");
        String p = prefixed ? path.substring(PREFIX.length()) : path;
        for (String u : UNSUPPORTED) {
            // /v1/files and /v1/batches exist on Anthropic's API too: at the root they stay Anthropic's.
            boolean shared = u.equals("/v1/files") || u.equals("/v1/batches");
            if ((p.equals(u) || p.startsWith(u + "/")) && (prefixed || !shared)) {
                return new ApiError(501, "not_supported", method + " " + u + " is not supported by this gateway"
                        + (u.equals("/v1/responses") ? " (the gateway stores no responses: POST /v1/responses with the whole "
                        + "conversation in input)" : ""), false, null);
            }
        }
        if (prefixed || OWN_ROOTS.stream().anyMatch(r -> p.equals(r) || p.startsWith(r + "/"))) {
            return ApiError.notFound("Not found: " + method + " " + dev.sluice.respond.Replies.bounded(path));
        }
        return null;
    }
}
