package dev.sluice.front.vertex;

import dev.sluice.authenticate.Callers;
import dev.sluice.front.ApiRoute;
import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.translate.AnthropicEncoder;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.ErrorBody;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The Vertex AI front door: clients of Claude on Vertex (Claude Code with {@code CLAUDE_CODE_USE_VERTEX=1}, the
 * Anthropic Vertex SDKs) pointed at {@code {gateway}/vertex/v1}. Their calls are Anthropic's Messages API in Vertex's
 * clothes: the model and whether to stream in the path, {@code anthropic_version} in the body. Inspection takes those
 * off ({@link RawPredictBody}) and the request goes through the one pipeline as an Anthropic client's would; answers
 * are what Vertex relays for Claude, Anthropic's own SSE and JSON, so the encoder passes the canonical bytes through.
 *
 * <p>Errors use Anthropic's envelope, as Vertex does for the model's own errors: the SDK reads {@code error.type} and
 * {@code error.message} from it (Google's platform envelope has no type) and Claude Code recognises overload and
 * prompt-too-long from them. Retries follow the status, {@code x-should-retry} and {@code retry-after}, which the
 * gateway sets as on the Anthropic door.
 */
public final class VertexClientProtocol implements ClientProtocol {
    public static final VertexClientProtocol INSTANCE = new VertexClientProtocol();
    private static final String CALL = "POST " + VertexCall.PROJECTS + "/{project}/locations/{region}/publishers/anthropic/models/";
    /** What a Vertex client is told to do instead of sending a Google credential or no key. */
    static final String USE_A_GATEWAY_KEY = "send a key of this gateway as x-api-key (Claude Code: CLAUDE_CODE_SKIP_VERTEX_AUTH=1 and"
            + " ANTHROPIC_CUSTOM_HEADERS=\"x-api-key: <gateway key>\") or as Authorization: Bearer";

    private VertexClientProtocol() {
    }

    /** The calls this front door serves; mount them after Anthropic's, whose hot path they then never touch. */
    public static List<ApiRoute> routes() {
        return List.of(
                ApiRoute.under(HttpMethod.POST, VertexCall.PROJECTS, Operation.COUNT_TOKENS, INSTANCE,
                        CALL + "count-tokens:rawPredict").onlyWhen(VertexClientProtocol::countTokens),
                ApiRoute.under(HttpMethod.POST, VertexCall.PROJECTS, Operation.MESSAGES, INSTANCE,
                        CALL + "{model}:{rawPredict|streamRawPredict}").onlyWhen(VertexClientProtocol::messages));
    }

    private static boolean countTokens(HttpServerRequest req) {
        VertexCall call = VertexCall.parse(req.path());
        return call != null && call.model().equals(VertexCall.COUNT_TOKENS);
    }

    private static boolean messages(HttpServerRequest req) {
        VertexCall call = VertexCall.parse(req.path());
        return call != null && !call.model().equals(VertexCall.COUNT_TOKENS);
    }

    @Override
    public String name() {
        return "vertex";
    }

    @Override
    public boolean anthropicWire() {
        return true; // anthropic-beta and anthropic-version are headers on Vertex, with Anthropic's meaning
    }

    @Override
    public Inspected inspect(Exchange ex, RequestBody body) {
        refuseGoogleToken(ex.request());
        VertexCall call = VertexCall.parse(ex.request().path());
        if (call == null) {
            throw ApiError.notFound(notACall(ex.request().path())); // the routes only take calls that parse
        }
        call.check();
        RawPredictBody.Canonical canonical = ex.operation() == Operation.COUNT_TOKENS ? RawPredictBody.countTokens(body)
                : RawPredictBody.messages(body, call);
        RequestFacts facts = BodyInspector.inspect(ex.operation(), canonical.body());
        statesApiVersion(ex.request().headers(), canonical.apiVersion());
        withoutGoogleHeaders(ex.request().headers());
        return new Inspected(canonical.body(), facts);
    }

    /**
     * Google's own headers ({@code x-goog-api-key}, a credential; {@code x-goog-user-project}, {@code x-goog-api-client})
     * mean nothing to the upstream, which the gateway calls with its own credentials, and would otherwise go on with the
     * client's other headers: they come off here, as the Bedrock door takes the AWS SDK's {@code x-amz-*} off.
     */
    static void withoutGoogleHeaders(MultiMap headers) {
        List<String> google = new java.util.ArrayList<>(2);
        for (var h : headers) {
            if (h.getKey().regionMatches(true, 0, "x-goog-", 0, 7)) {
                google.add(h.getKey());
            }
        }
        google.forEach(headers::remove);
    }

    /**
     * A canonical request names its API version in {@code anthropic-version}, which Anthropic's API requires. Claude
     * Code sends the header on Vertex too; the Vertex SDK 1.x moves it into the body, which this door strips, so the
     * version the body named becomes the header the upstream sees. A header the client sent stays as it is.
     */
    private static void statesApiVersion(MultiMap headers, String apiVersion) {
        if (headers.get("anthropic-version") == null) {
            headers.set("anthropic-version", apiVersion);
        }
    }

    /** Without the path there is no model: only the exchange's inspection serves this door. */
    @Override
    public Inspected inspect(Operation op, RequestBody body) {
        throw new IllegalStateException("the Vertex door reads the model from the path: inspect(Exchange, RequestBody)");
    }

    /**
     * A Google OAuth access token ({@code ya29.}...) is what the Vertex SDK sends when nobody told it to skip Google's
     * auth. It is never a key of this gateway, and where the gateway lets callers' credentials through to an upstream
     * (an open gateway without keys of its own) it must not reach a Claude upstream that is not Google's.
     */
    private static void refuseGoogleToken(HttpServerRequest req) {
        String auth = req.getHeader("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ya29.", 0, 12)) {
            throw ApiError.authentication("a Google OAuth access token is not accepted here: the gateway calls Vertex AI with"
                    + " its own credentials; " + USE_A_GATEWAY_KEY);
        }
    }

    @Override
    public Buffer errorBody(ApiError error, String requestId) {
        return Buffer.buffer(ErrorBody.json(error.type(), message(error), requestId));
    }

    @Override
    public Buffer errorEvent(ApiError error, String requestId) {
        return Buffer.buffer(ErrorBody.sseFrame(error.type(), message(error), requestId));
    }

    /**
     * The authenticate stage's refusals say what an Anthropic client needs; a Vertex client needs to hear which
     * credential to send instead of Google's (a refused Bearer is, on this door, most likely a Google token).
     */
    static String message(ApiError error) {
        if (error.status() != 401) {
            return error.getMessage();
        }
        return switch (error.getMessage()) {
            case Callers.MISSING_KEY -> "a gateway key is required: " + USE_A_GATEWAY_KEY;
            case Callers.SIGNIN_ENDED -> "the Bearer token is not a key of this gateway (a Google OAuth access token is not"
                    + " accepted here: the gateway calls Vertex AI with its own credentials); " + USE_A_GATEWAY_KEY;
            case "invalid x-api-key" -> "invalid x-api-key: not a key of this gateway";
            default -> error.getMessage();
        };
    }

    @Override
    public ClientEncoder encoder() {
        return AnthropicEncoder.INSTANCE; // Vertex relays Claude's own SSE and JSON: the canonical bytes pass through
    }

    /** Paths under {@code /vertex} that are not a call this door serves: a 404 in its envelope that says what is. */
    @Override
    public ApiError unserved(String method, String path) {
        if (!path.equals("/vertex") && !path.startsWith("/vertex/")) {
            return null;
        }
        return ApiError.notFound(notACall(path));
    }

    private static String notACall(String path) {
        String shown = VertexCall.shown(path);
        if (!path.startsWith(VertexCall.PROJECTS + "/") && path.contains("/projects/")) {
            return "Not found: " + shown + " (the Vertex door is " + VertexCall.PREFIX
                    + ": set ANTHROPIC_VERTEX_BASE_URL to http(s)://<gateway>" + VertexCall.PREFIX + ")";
        }
        return "Not found: " + shown + " (expected: POST " + VertexCall.PROJECTS + "/{project}/locations/{region}/publishers/"
                + "anthropic/models/{model}:rawPredict or :streamRawPredict, or .../models/count-tokens:rawPredict;"
                + " only Anthropic's models are served here)";
    }
}
