package dev.sluice.provider.openai;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.EditedBody;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * Builds the request for an OpenAI-protocol upstream (OpenAI, Azure OpenAI, vLLM, Ollama, OpenRouter):
 * <ul>
 *   <li>messages: {@code POST /v1/chat/completions} (Azure: {@code /openai/deployments/{d}/chat/completions?api-version=})
 *       with the body translated by {@link ChatRequestWriter}, or, for the OpenAI front door's own chat completions,
 *       the client's body with the upstream's edits ({@link DirectChat});</li>
 *   <li>count_tokens: OpenAI has no such endpoint, so a clean 501 {@code not_supported};</li>
 *   <li>models: {@code GET /v1/models};</li>
 *   <li>embeddings (for the OpenAI front door): the client's body with only {@code model} replaced.</li>
 * </ul>
 * None of the client's headers go along (they are Anthropic's, or carry its credential); the target's key goes
 * as {@code Authorization: Bearer} or, on Azure, {@code api-key}.
 */
public final class OpenAiRequests {
    private OpenAiRequests() {
    }

    /** @throws ApiError 501 for count_tokens, 400 for a body that is not a Messages request */
    public static UpstreamCall build(OpenAiTarget target, Operation op, RequestBody body, boolean stream) {
        return build(target, op, body, stream, false);
    }

    /**
     * @param effort the request came through an OpenAI front door: its {@code thinking} goes as {@code reasoning_effort}
     *               ({@link ChatRequestWriter#effort})
     * @throws ApiError 501 for count_tokens, 400 for a body that is not a Messages request
     */
    public static UpstreamCall build(OpenAiTarget target, Operation op, RequestBody body, boolean stream, boolean effort) {
        return build(target, op, body, stream, ChatReasoning.of(effort));
    }

    /**
     * @param reasoning what becomes of the canonical body's thinking ({@link ChatReasoning})
     * @throws ApiError 501 for count_tokens, 400 for a body that is not a Messages request
     */
    public static UpstreamCall build(OpenAiTarget target, Operation op, RequestBody body, boolean stream, ChatReasoning reasoning) {
        return switch (op) {
            case MESSAGES -> {
                RequestBody sent = EditedBody.flatten(body);
                yield new UpstreamCall(HttpMethod.POST, target.path("chat/completions"), headers(target, stream),
                        ChatRequestWriter.writeBuffer(sent.array(), sent.length(), target, target.model(), stream, reasoning));
            }
            case MODELS -> new UpstreamCall(HttpMethod.GET, target.path("models"), headers(target, false), null);
            case COUNT_TOKENS -> throw ApiError.notSupported("count_tokens is not offered by this model's provider");
            case EMBEDDINGS -> embeddings(target, body);
        };
    }

    /**
     * A chat completion from the OpenAI front door, sent as the client wrote it with the upstream's edits
     * ({@link DirectChat}) instead of being translated back from the {@code canonical} body; translated from it
     * still when the client's messages say something the canonical form leaves out.
     */
    public static UpstreamCall directChat(OpenAiTarget target, RequestBody chat, RequestBody canonical, long maxTokens,
                                          boolean stream) {
        RequestBody sent = DirectChat.body(chat, target, maxTokens, stream);
        if (sent == null) {
            return build(target, Operation.MESSAGES, canonical, stream, true);
        }
        return new UpstreamCall(HttpMethod.POST, target.path("chat/completions"), headers(target, stream), DirectChat.parts(sent));
    }

    /** An embeddings request as the client sent it, with {@code model} set to the target's (the client's bytes otherwise). */
    public static UpstreamCall embeddings(OpenAiTarget target, RequestBody body) {
        RequestBody renamed = EmbeddingsRequest.withModel(body, target.model());
        return new UpstreamCall(HttpMethod.POST, target.path("embeddings"), headers(target, false), renamed.bytes());
    }

    static MultiMap headers(OpenAiTarget target, boolean stream) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        h.set("content-type", "application/json");
        h.set("accept", stream ? "text/event-stream" : "application/json");
        if (target.apiKey() != null && !target.apiKey().isBlank()) {
            if (target.flavor() == OpenAiTarget.Flavor.AZURE) {
                h.set("api-key", target.apiKey());
            } else {
                h.set("authorization", "Bearer " + target.apiKey());
            }
        }
        target.extraHeaders().forEach(h::set);
        return h;
    }
}
