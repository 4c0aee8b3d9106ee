package dev.sluice.front.anthropic;

import dev.sluice.front.ApiRoute;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.AnthropicEncoder;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.ErrorBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * The Anthropic Messages front door: the canonical protocol, so a body is inspected where it sits
 * and forwarded as it came; errors use Anthropic's envelope, which Claude Code renders.
 */
public final class AnthropicProtocol implements ClientProtocol {
    public static final AnthropicProtocol INSTANCE = new AnthropicProtocol();

    /**
     * Anthropic endpoints this gateway does not serve: a clear 501 instead of a 404. Message Batches are served beside
     * the pipeline, by {@code dev.sluice.batches}.
     */
    private static final List<String> UNSUPPORTED = List.of("/v1/files", "/v1/complete",
            "/v1/skills", "/v1/organizations");

    private AnthropicProtocol() {
    }

    /** The calls this front door serves. */
    public static List<ApiRoute> routes() {
        return List.of(
                ApiRoute.exact(HttpMethod.POST, "/v1/messages", Operation.MESSAGES, INSTANCE),
                ApiRoute.exact(HttpMethod.POST, "/v1/messages/count_tokens", Operation.COUNT_TOKENS, INSTANCE),
                ApiRoute.exact(HttpMethod.GET, "/v1/models", Operation.MODELS, INSTANCE),
                ApiRoute.under(HttpMethod.GET, "/v1/models", Operation.MODELS, INSTANCE, "GET /v1/models/{id}"));
    }

    /** True for Anthropic API paths the gateway knows but does not serve. */
    public static boolean unsupported(String path) {
        for (String p : UNSUPPORTED) {
            if (path.equals(p) || path.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public Inspected inspect(Operation op, RequestBody body) {
        return new Inspected(body, BodyInspector.inspect(op, body));
    }

    @Override
    public boolean anthropicWire() {
        return true;
    }

    @Override
    public Buffer errorBody(ApiError error, String requestId) {
        return Buffer.buffer(ErrorBody.json(error.type(), error.getMessage(), error.detailsJson(), requestId));
    }

    @Override
    public Buffer errorEvent(ApiError error, String requestId) {
        return Buffer.buffer(ErrorBody.sseFrame(error.type(), error.getMessage(), error.detailsJson(), requestId));
    }

    @Override
    public ClientEncoder encoder() {
        return AnthropicEncoder.INSTANCE;
    }
}
