package dev.sluice.front.bedrock;

import dev.sluice.front.ApiRoute;
import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Betas;
import dev.sluice.wire.Paths;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Bedrock front door: Bedrock's runtime API under {@value #PREFIX}, for Claude Code in its Bedrock mode
 * ({@code CLAUDE_CODE_USE_BEDROCK=1}, {@code ANTHROPIC_BEDROCK_BASE_URL=http://gateway/bedrock}, a gateway key as
 * {@code AWS_BEARER_TOKEN_BEDROCK}) and the AWS and Anthropic Bedrock SDKs. InvokeModel, InvokeModelWithResponseStream
 * and CountTokens become canonical Messages and count_tokens requests ({@link InvokeRequest}, the model from the
 * path by {@link ModelPath}), and feed the same pipeline as the Anthropic door; answers and errors go back in
 * Bedrock's wire ({@link BedrockEncoder}). Keys are the Anthropic door's: a bearer token or {@code x-api-key}.
 */
public final class BedrockDoor implements ClientProtocol {
    public static final BedrockDoor INSTANCE = new BedrockDoor();
    public static final String PREFIX = "/bedrock";
    static final String MODELS = PREFIX + "/model";
    static final String INVOKE = "invoke";
    static final String STREAM = "invoke-with-response-stream";
    static final String COUNT = "count-tokens";
    /** The Messages API version a Bedrock body's {@code bedrock-2023-05-31} stands for. */
    static final String API_VERSION = "2023-06-01";

    private BedrockDoor() {
    }

    /** The calls this front door serves. */
    public static List<ApiRoute> routes() {
        return List.of(
                call(STREAM, Operation.MESSAGES),
                call(INVOKE, Operation.MESSAGES),
                call(COUNT, Operation.COUNT_TOKENS),
                ApiRoute.exact(HttpMethod.GET, PREFIX + "/inference-profiles", Operation.MODELS, INSTANCE),
                ApiRoute.exact(HttpMethod.GET, PREFIX + "/foundation-models", Operation.MODELS, INSTANCE));
    }

    private static ApiRoute call(String action, Operation op) {
        String suffix = "/" + action;
        return ApiRoute.under(HttpMethod.POST, MODELS, op, INSTANCE, "POST " + MODELS + "/{modelId}" + suffix)
                .onlyWhen(r -> Paths.withoutTrailingSlash(r.path()).endsWith(suffix));
    }

    @Override
    public String name() {
        return "bedrock";
    }

    /**
     * The AWS SDKs and boto3 read a call's id from {@code x-amzn-RequestId} (an error's {@code $metadata.requestId},
     * {@code ResponseMetadata.RequestId}); without it a caller quoting a failed call had an empty id to give.
     */
    @Override
    public String requestIdHeader() {
        return "x-amzn-RequestId";
    }

    /** Claude Code in Bedrock mode sends Anthropic's headers; on a call with a body, inspection made the rest so. */
    @Override
    public boolean anthropicWire() {
        return true;
    }

    @Override
    public Inspected inspect(Operation op, RequestBody body) {
        throw new IllegalStateException("the Bedrock door reads the model from the path: inspect(Exchange, RequestBody)");
    }

    /** Every call, a listing too: AWS credentials are refused before anything is read or sent. */
    @Override
    public void admit(Exchange ex) {
        refuseSigV4(ex.request().headers());
        if (ex.identity() == null || ex.identity().isOpen()) {
            refuseBedrockKey(ex.request().headers());
        }
    }

    @Override
    public Inspected inspect(Exchange ex, RequestBody body) {
        refuseGuardrail(ex.request().headers());
        String path = Paths.withoutTrailingSlash(ex.request().path());
        String prefix = MODELS + "/";
        InvokeRequest.Canonical c = switch (ex.operation()) {
            case MESSAGES -> {
                boolean stream = path.endsWith("/" + STREAM);
                yield InvokeRequest.invoke(body, ModelPath.model(path, prefix, stream ? STREAM : INVOKE), stream);
            }
            case COUNT_TOKENS -> InvokeRequest.countTokens(body, ModelPath.model(path, prefix, COUNT));
            default -> throw ApiError.notFound("Not found: " + ex.operation());
        };
        anthropicHeaders(ex.request().headers(), c.betas());
        return new Inspected(c.body(), BodyInspector.inspect(ex.operation(), c.body()));
    }

    /**
     * A client holding AWS credentials signs with SigV4, which proves nothing to this gateway: say what does. A refused
     * credential (a 401, {@code UnrecognizedClientException}) even when a good key came with it in {@code x-api-key}:
     * Claude Code with AWS credentials and the key as a custom header signs every call, and a 403 it takes for a model
     * it may not use, trying every other model it knows for as long as it runs; a 401 it reports at once.
     */
    static void refuseSigV4(MultiMap headers) {
        String auth = headers.get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "AWS4-HMAC-SHA256", 0, 16)) {
            throw ApiError.authentication("an AWS SigV4 signature is not a credential of this gateway: send no Authorization"
                    + " header with the x-api-key, or the key as the bearer token");
        }
    }

    /**
     * An open gateway passes the caller's own credential to an upstream without one, which on this door is most likely
     * the Amazon Bedrock API key of {@code AWS_BEARER_TOKEN_BEDROCK} (long-term keys start {@code ABSK}, short-term ones
     * {@code bedrock-api-key-}): it must not reach a Claude upstream that is not Amazon's, so it is refused here. (A gateway
     * with keys refuses it as a key it does not know, before inspection.)
     */
    static void refuseBedrockKey(MultiMap headers) {
        String auth = headers.get("authorization");
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
        if (isBedrockKey(bearer) || isBedrockKey(headers.get("x-api-key"))) {
            throw ApiError.authentication("an Amazon Bedrock API key is not accepted here: the gateway calls its upstreams"
                    + " with their own credentials, and an Amazon key is never sent to one that is not Amazon's");
        }
    }

    private static boolean isBedrockKey(String credential) {
        return credential != null && (credential.startsWith("ABSK") || credential.startsWith("bedrock-api-key-"));
    }

    /**
     * A Bedrock guardrail ({@code guardrailIdentifier} in the AWS SDK's InvokeModel) is applied by Bedrock in the
     * caller's account; no upstream of this gateway applies the caller's (an Anthropic upstream ignores the header, a
     * Bedrock upstream is sent the gateway's own request). Answering anyway would pass an unguarded answer off as one
     * the guardrail let through, so the call is refused and says why.
     */
    static void refuseGuardrail(MultiMap headers) {
        String guardrail = headers.get("x-amzn-bedrock-guardrailidentifier");
        if (guardrail != null) {
            throw ApiError.invalidRequest("X-Amzn-Bedrock-GuardrailIdentifier: guardrail '"
                    + dev.sluice.pipeline.Bounded.text(guardrail, 128) + "' is not applied by this gateway (its upstreams"
                    + " do not run the caller's Bedrock guardrails): call without a guardrail, or ask the gateway's operator"
                    + " for its content guard");
        }
    }

    /**
     * The request's headers as the rest of the gateway reads an Anthropic client's: the body's betas joined to any
     * {@code anthropic-beta} header, {@code anthropic-version} when the client sent none, and the AWS SDK's own
     * headers ({@code x-amz-*}, its Bedrock options {@code x-amzn-*}, {@code amz-sdk-*}) removed, since they mean
     * nothing to the upstream (a SigV4-signing Bedrock upstream signs its own; a guardrail was refused before this).
     */
    static void anthropicHeaders(MultiMap headers, List<String> bodyBetas) {
        if (!bodyBetas.isEmpty()) {
            List<String> all = new ArrayList<>(headers.getAll("anthropic-beta"));
            all.addAll(bodyBetas);
            headers.set("anthropic-beta", String.join(",", Betas.parse(all)));
        }
        if (headers.get("anthropic-version") == null) {
            headers.set("anthropic-version", API_VERSION);
        }
        List<String> aws = new ArrayList<>(4);
        for (var h : headers) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (n.startsWith("x-amz-") || n.startsWith("x-amzn-") || n.startsWith("amz-sdk-")) {
                aws.add(h.getKey());
            }
        }
        aws.forEach(headers::remove);
    }

    /** Bedrock's terms: the exception's name in {@code x-amzn-ErrorType}, and for a refused key what to use instead. */
    @Override
    public ApiError inOwnTerms(ApiError error) {
        Map<String, String> headers = new HashMap<>(error.headers());
        headers.put("x-amzn-ErrorType", AwsErrors.exception(error.type()));
        String message = "authentication_error".equals(error.type()) ? error.getMessage() + AwsErrors.KEY_HINT : error.getMessage();
        return new ApiError(status(error.status()), error.type(), message, error.shouldRetry(), headers);
    }

    /** Bedrock's overload is a 503 {@code ServiceUnavailableException}, which boto3 and the AWS SDKs retry; a 529 they do not. */
    @Override
    public int status(int status) {
        return status == 529 ? 503 : status;
    }

    @Override
    public Buffer errorBody(ApiError error, String requestId) {
        return Buffer.buffer(AwsErrors.body(error.getMessage()));
    }

    @Override
    public Buffer errorEvent(ApiError error, String requestId) {
        Buffer out = Buffer.buffer(160);
        EventStreamFrames.exception(out, AwsErrors.streamException(error.type()), AwsErrors.body(error.getMessage()));
        return out;
    }

    @Override
    public ClientEncoder encoder() {
        throw new IllegalStateException("the Bedrock door's answers depend on the call: encoder(Exchange)");
    }

    @Override
    public ClientEncoder encoder(Exchange ex) {
        return new BedrockEncoder(ex);
    }

    @Override
    public ApiError unserved(String method, String path) {
        if (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) {
            return new ApiError(404, "not_found_error", "This gateway's Bedrock endpoint does not serve " + method + " "
                    + dev.sluice.pipeline.Bounded.text(path, 200) + " (it serves POST " + MODELS
                    + "/{modelId}/invoke, /invoke-with-response-stream and /count-tokens, GET " + PREFIX
                    + "/inference-profiles and " + PREFIX + "/foundation-models)");
        }
        return null;
    }
}
