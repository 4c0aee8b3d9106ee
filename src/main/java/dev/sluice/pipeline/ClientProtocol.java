package dev.sluice.pipeline;

import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import io.vertx.core.buffer.Buffer;

/**
 * A front door: the protocol a client speaks (Anthropic Messages; OpenAI chat completions). It
 * reads a request body into the gateway's canonical form and its facts, and writes the gateway's
 * own answers (errors) in the client's envelope. Everything between the front door and the
 * provider adapter sees only the canonical form.
 */
public interface ClientProtocol {
    /** Short name for records and metrics ({@code anthropic}, {@code openai}). */
    String name();

    /**
     * Checks a request body and learns what the pipeline needs from it, in one pass; a client
     * whose protocol is not canonical gets its body translated here (the exchange's body is then the
     * canonical one, and the original stays for the audit).
     *
     * @throws ApiError 400 with a message in the client's own terms when the body is not acceptable
     */
    Inspected inspect(Operation op, RequestBody body);

    /**
     * What this door refuses of any call before its body is read, a call without a body (a model listing) included: a
     * credential of another platform, which an open gateway would otherwise pass on as the caller's own.
     *
     * @throws ApiError when the call is refused
     */
    default void admit(Exchange ex) {
    }

    /**
     * The same, for a door whose calls carry request facts outside the body: a cloud door's model and method are in
     * the path ({@code .../models/{model}:streamRawPredict}). Other doors read the body alone.
     */
    default Inspected inspect(Exchange ex, RequestBody body) {
        return inspect(ex.operation(), body);
    }

    /**
     * True when the client speaks Anthropic's Messages wire, only framed otherwise (the Anthropic door; the Bedrock and
     * Vertex doors Claude Code's cloud modes come through): its headers ({@code anthropic-beta},
     * {@code anthropic-version}) mean what they mean to a Claude upstream, so a provider may pass them on, and its body
     * is Claude Code's own, which upstream normalisation reads. Another protocol's are translated and mean neither.
     */
    default boolean anthropicWire() {
        return false;
    }

    /** An error answered by the gateway itself, as a complete response body. */
    Buffer errorBody(ApiError error, String requestId);

    /** The same error inside a stream that has already begun. */
    Buffer errorEvent(ApiError error, String requestId);

    /**
     * The header this protocol's SDKs read the request id from, which every answer carries besides {@code request-id}
     * (Anthropic's): the OpenAI SDKs read {@code x-request-id} ({@code error.requestID}, {@code withResponse()}'s
     * {@code request_id}), so a caller can quote the gateway's id for a failed call.
     */
    default String requestIdHeader() {
        return "request-id";
    }

    /**
     * The gateway's own error as this protocol's clients are told it, before {@link #errorBody} renders it: the same
     * error for most; Bedrock's names its type in {@code x-amzn-ErrorType} and tells a refused key what to use instead.
     */
    default ApiError inOwnTerms(ApiError error) {
        return error;
    }

    /**
     * The status this protocol's clients are told for an answer the upstream gave with {@code status}: the same for
     * most; Bedrock has no 529, and the AWS SDKs retry its overload as a 503 ({@code ServiceUnavailableException}).
     * The attempt's record keeps the upstream's own status.
     */
    default int status(int status) {
        return status;
    }

    /** Content type of {@link #errorBody}. */
    default String errorContentType() {
        return "application/json";
    }

    /** A new encoder for one response: canonical events and bodies in the client's wire. */
    ClientEncoder encoder();

    /**
     * The encoder for this exchange's response. A protocol whose answers depend on the request (the model
     * it named, whether it asked for usage in a stream, the operation) builds one from the exchange.
     */
    default ClientEncoder encoder(Exchange ex) {
        return encoder();
    }

    /**
     * The gateway's answer for {@code path}, which no route serves, when the path belongs to this
     * protocol's API (a 404, or a 501 for a call the gateway knows and does not serve), so it is written
     * in this protocol's envelope; null when the path is not this protocol's.
     */
    default ApiError unserved(String method, String path) {
        return null;
    }

    /**
     * What inspection gave: the canonical body (the same object when no translation was needed)
     * and the facts read from it.
     */
    record Inspected(RequestBody canonical, RequestFacts facts) {
    }
}
