package dev.sluice.provider.openai;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.UpstreamCall;
import io.vertx.core.Future;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One configured OpenAI-protocol upstream as the attempt loop uses it: per attempt, the requested model mapped by
 * the operator's table (a Claude name to {@code gpt-4.1}, an Azure deployment, an Ollama tag; unmapped names pass
 * as they are), the request translated to chat completions, and a decoder for the answer. Immutable; shared.
 *
 * @param models    requested model to the name this upstream knows (may be empty)
 * @param reasoning which of those names take {@code reasoning_effort}, and whether reasoning goes back
 */
public record OpenAiUpstream(URI baseUrl, OpenAiTarget.Flavor flavor, String apiKey, String apiVersion,
                             Map<String, String> extraHeaders, Map<String, String> models, OpenAiReasoning reasoning) {
    public OpenAiUpstream {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(flavor, "flavor");
        reasoning = reasoning == null ? OpenAiReasoning.NONE : reasoning;
        models = models == null ? Map.of() : Map.copyOf(models);
        extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    }

    public OpenAiUpstream(URI baseUrl, OpenAiTarget.Flavor flavor, String apiKey, String apiVersion,
                          Map<String, String> extraHeaders, Map<String, String> models) {
        this(baseUrl, flavor, apiKey, apiVersion, extraHeaders, models, OpenAiReasoning.NONE);
    }

    public Future<UpstreamCall> call(Operation op, RequestBody body, boolean stream, String model) {
        return call(op, body, stream, model, false);
    }

    /**
     * @param openAiDoor the request came through an OpenAI front door, whose client set the effort its canonical
     *                   {@code thinking} holds: it goes as {@code reasoning_effort} whatever the model; an Anthropic
     *                   client's only to a model {@link #reasoning} lists
     */
    public Future<UpstreamCall> call(Operation op, RequestBody body, boolean stream, String model, boolean openAiDoor) {
        try {
            OpenAiTarget target = target(model);
            boolean reasons = reasoning.reasons(target.model());
            ChatReasoning how = new ChatReasoning(openAiDoor || reasons, reasoning.sendBack(),
                    reasons && flavor != OpenAiTarget.Flavor.COMPATIBLE);
            return Future.succeededFuture(OpenAiRequests.build(target, op, body, stream, how));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** A chat completion from the OpenAI front door, sent as the client wrote it ({@link DirectChat}). */
    public Future<UpstreamCall> directChat(RequestBody chat, RequestBody canonical, long maxTokens, boolean stream, String model) {
        try {
            return Future.succeededFuture(OpenAiRequests.directChat(target(model), chat, canonical, maxTokens, stream));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** An embeddings call (the OpenAI front door's {@code /v1/embeddings}), body passed through with the model set. */
    public Future<UpstreamCall> embeddings(RequestBody body, String model) {
        try {
            return Future.succeededFuture(OpenAiRequests.embeddings(target(model), body));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    public OpenAiDecoder decoder() {
        return new OpenAiDecoder();
    }

    private OpenAiTarget target(String model) {
        try {
            return new OpenAiTarget(baseUrl, flavor, models.getOrDefault(model, model), apiKey, apiVersion, extraHeaders);
        } catch (IllegalArgumentException e) {
            throw dev.sluice.wire.ApiError.invalidRequest(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "OpenAiUpstream[" + baseUrl + ", " + flavor + ", key=" + (apiKey == null ? "none" : "<redacted>") + "]";
    }
}
