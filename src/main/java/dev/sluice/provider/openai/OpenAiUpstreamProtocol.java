package dev.sluice.provider.openai;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.provider.Outbound;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.translate.UsageReport;
import dev.sluice.upstream.OutboundRequest;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamProtocol;
import dev.sluice.upstream.UpstreamSpec;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * OpenAI-protocol upstreams in the attempt loop, one instance per dialect ({@code openai}, {@code azure-openai},
 * {@code openai-compatible}): messages translated to chat completions and back ({@link OpenAiUpstream},
 * {@link OpenAiDecoder}), the OpenAI front door's chat completions sent as the client wrote them
 * ({@link DirectChat}) with whole answers relayed back ({@link RelayedAnswer}), count_tokens a clean 501, the model
 * list and embeddings passed through with their own decoders.
 */
public final class OpenAiUpstreamProtocol implements UpstreamProtocol {
    public static final OpenAiUpstreamProtocol OPENAI = new OpenAiUpstreamProtocol("openai", OpenAiTarget.Flavor.OPENAI);
    public static final OpenAiUpstreamProtocol AZURE = new OpenAiUpstreamProtocol("azure-openai", OpenAiTarget.Flavor.AZURE);
    public static final OpenAiUpstreamProtocol COMPATIBLE =
            new OpenAiUpstreamProtocol("openai-compatible", OpenAiTarget.Flavor.COMPATIBLE);
    /** A stand-in model for the model list, whose path names none (the target wants one to be valid). */
    private static final String LISTING = "models";

    private final String name;
    private final OpenAiTarget.Flavor flavor;

    private OpenAiUpstreamProtocol(String name, OpenAiTarget.Flavor flavor) {
        this.name = name;
        this.flavor = flavor;
    }

    @Override
    public String name() {
        return name;
    }

    public OpenAiTarget.Flavor flavor() {
        return flavor;
    }

    @Override
    public Future<OutboundRequest> prepare(Exchange ex, Attempt attempt, UpstreamSpec upstream, UpstreamKey key) {
        OpenAiSettings s = ProviderSettings.of(ex).get(upstream.name(), OpenAiSettings.class);
        OpenAiUpstream openai = s.upstream(apiKey(key));
        String model = attempt.target().servedModel();
        Future<UpstreamCall> call = switch (ex.operation()) {
            case EMBEDDINGS -> openai.embeddings(ex.body(), model);
            case MODELS -> openai.call(Operation.MODELS, null, false, LISTING);
            case MESSAGES, COUNT_TOKENS -> DirectChat.applies(ex)
                    ? openai.directChat(ex.originalBody(), ex.body(), ex.facts().maxTokens(), ex.facts().stream(), model)
                    : openai.call(ex.operation(), ex.body(), ex.facts().stream(), model, fromOpenAiDoor(ex));
        };
        return call.map(c -> Outbound.of(c, upstream));
    }

    /** The chat or Responses door: a canonical {@code thinking} is the effort an OpenAI client set ({@link ChatRequestWriter}). */
    private static boolean fromOpenAiDoor(Exchange ex) {
        return ex.protocol() != null && ex.protocol().name().startsWith("openai");
    }

    /**
     * The request turned thinking on ({@code enabled} or {@code adaptive}): only then does Claude answer with thinking
     * blocks, so only then does an Anthropic client get the upstream's reasoning as one. An OpenAI client gets it in any
     * case, as {@code reasoning_content}, an extra field that breaks no reader.
     */
    static boolean thinkingOn(Exchange ex) {
        RequestFacts.Field f = ex.facts().field("thinking");
        if (f == null || ex.body() == null) {
            return false;
        }
        try {
            String type = Json.MAPPER.readTree(ex.body().array(), f.valueStart(), f.valueEnd() - f.valueStart())
                    .path("type").asText("");
            return type.equals("enabled") || type.equals("adaptive");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The upstream's own key. A caller's credential never goes to an OpenAI-protocol upstream, even in open local
     * mode: it is an Anthropic key or token (or the caller's own OpenAI key) and this server belongs to someone else;
     * the upstreams that take no key of their own are local servers that want none.
     */
    private static String apiKey(UpstreamKey key) {
        return key == null || key.isCaller() ? null : key.value();
    }

    @Override
    public UpstreamDecoder decoder(Exchange ex, Attempt attempt) {
        return switch (ex.operation()) {
            case EMBEDDINGS -> new EmbeddingsDecoder();
            case MODELS -> new ModelListDecoder(modelId(ex.request().path()));
            case MESSAGES, COUNT_TOKENS -> new OpenAiDecoder(RelayedAnswer.of(ex), fromOpenAiDoor(ex) || thinkingOn(ex),
                    promptEstimate(ex));
        };
    }

    /**
     * The prompt's tokens as a stream cut before OpenAI's closing usage chunk is billed for: the request's bytes, four
     * to a token, as its output is counted (an Anthropic stream names its input in its first event; this wire only last).
     */
    static long promptEstimate(Exchange ex) {
        return ex.body() == null ? 0 : UsageReport.promptTokens(ex.body().length());
    }

    /** The {@code {id}} of {@code .../v1/models/{id}}, or null for the list. */
    static String modelId(String path) {
        int at = path.indexOf("/models/");
        if (at < 0) {
            return null;
        }
        String id = path.substring(at + "/models/".length());
        id = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        return id.isEmpty() ? null : dev.sluice.pipeline.Bounded.text(id, dev.sluice.pipeline.Bounded.MODEL);
    }

    @Override
    public boolean isStream(int status, MultiMap headers) {
        String type = headers.get("content-type");
        return status == 200 && type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }
}
