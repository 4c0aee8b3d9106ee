package dev.sluice.front.openai.responses;

import dev.sluice.config.Part;
import dev.sluice.front.ApiRoute;
import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.front.openai.OpenAiErrorBody;
import dev.sluice.inspect.InspectStage;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * The OpenAI Responses API on the OpenAI front door ({@code POST /v1/responses}, and under {@code /openai}): the API
 * the OpenAI SDKs lead with and Codex CLI speaks. A request carries its whole conversation in {@code input}, some of
 * its items perhaps by reference to an earlier answer's, which the caller's answers kept in this process's memory
 * resolve ({@link ItemStore}, {@link ItemReferences}). It is translated to a canonical Messages body at inspection ({@link ResponsesRequest}), so every stage
 * and every upstream serve it like any request; answers are written back as a {@code response} object or its event
 * stream ({@link ResponsesEncoder}); errors in OpenAI's envelope ({@link OpenAiErrorBody}).
 *
 * <p>A protocol of its own, not the chat door's: its name ({@code openai-responses}) keeps the chat door's OpenAI-upstream
 * shortcuts ({@code provider.openai.DirectChat}, {@code RelayedAnswer}), which send and relay chat-completions bodies,
 * away from it, and tells the two apart in the audit log.
 */
public final class ResponsesProtocol implements ClientProtocol {
    public static final ResponsesProtocol INSTANCE = new ResponsesProtocol();
    /** The item store's bounds ({@code responses.item-store}), a part to register with the live configuration. */
    public static final Part<?> ITEM_STORE = ItemStore.PART;

    private ResponsesProtocol() {
    }

    /** {@code POST /v1/responses} at the root and under {@code /openai}; mount them with the OpenAI door's. */
    public static List<ApiRoute> routes() {
        return List.of(ApiRoute.exact(HttpMethod.POST, "/v1/responses", Operation.MESSAGES, INSTANCE),
                ApiRoute.exact(HttpMethod.POST, "/openai/v1/responses", Operation.MESSAGES, INSTANCE));
    }

    /** The OpenAI SDKs read the request id from {@code x-request-id}. */
    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public String name() {
        return "openai-responses";
    }

    @Override
    public Inspected inspect(Operation op, RequestBody body) {
        return inspect(op, body, ItemReferences.NONE);
    }

    /**
     * The caller is known (inspection runs after authentication): its stored items resolve its references, which count
     * against the body limit with the body.
     */
    @Override
    public Inspected inspect(Exchange ex, RequestBody body) {
        long limit = ex.snapshot() == null ? 0 : ex.snapshot().get(InspectStage.LIMITS).bodyBytes();
        return inspect(ex.operation(), body, new ItemReferences(store(ex), ItemStore.owner(ex.identity()), limit, body.length()));
    }

    /** The process's item store, under the bounds of the exchange's configuration. */
    private static ItemStore store(Exchange ex) {
        return ex.snapshot() == null ? ItemStore.SHARED : ItemStore.SHARED.bounded(ex.snapshot().get(ItemStore.PART));
    }

    private Inspected inspect(Operation op, RequestBody body, ItemReferences references) {
        if (op != Operation.MESSAGES) {
            throw ApiError.invalidRequest(op.label() + " takes no body");
        }
        if (body.length() == 0) {
            throw ApiError.invalidRequest("request body: empty (expected a JSON object)");
        }
        ResponsesRequest.Translated t = ResponsesRequest.translate(body.array(), body.length(), references);
        RequestBody canonical = RequestBody.of(t.canonical());
        return new Inspected(canonical, BodyInspector.inspect(Operation.MESSAGES, canonical));
    }

    @Override
    public Buffer errorBody(ApiError error, String requestId) {
        return Buffer.buffer(OpenAiErrorBody.json(error.type(), error.getMessage()));
    }

    /**
     * The gateway's error in a stream when no encoder renders it ({@link ResponsesEncoder#errorEvent} does, with the
     * stream's sequence numbers): the API's {@code error} event.
     */
    @Override
    public Buffer errorEvent(ApiError error, String requestId) {
        return Buffer.buffer("event: error\ndata: {\"type\":\"error\",\"code\":" + OutputItem.q(ResponseObject.errorCode(error.type()))
                + ",\"message\":" + OutputItem.q(error.getMessage()) + ",\"param\":null,\"sequence_number\":0}\n\n");
    }

    /** An encoder with no request behind it: for tools that only render errors. */
    @Override
    public ClientEncoder encoder() {
        return new ResponsesEncoder("unknown", System.currentTimeMillis() / 1000, ResponseEcho.NONE);
    }

    @Override
    public ClientEncoder encoder(Exchange ex) {
        RequestBody original = ex.originalBody();
        String caller = ItemStore.owner(ex.identity());
        ResponseEcho echo = (original == null ? ResponseEcho.NONE : ResponseEcho.of(original.array(), original.length())).forCaller(caller);
        String model = ex.facts() == null ? "unknown" : ex.facts().model();
        String owner = echo.storeAsked() ? caller : null;
        return new ResponsesEncoder(model, System.currentTimeMillis() / 1000, echo, store(ex), owner);
    }
}
