package dev.sluice.provider.anthropic;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.ClientHeaders;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.translate.AnthropicDecoder;
import dev.sluice.translate.ForeignThinking;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.upstream.Bodies;
import dev.sluice.upstream.OutboundRequest;
import dev.sluice.upstream.UpstreamHeaders;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamProtocol;
import dev.sluice.upstream.UpstreamSpec;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * The Anthropic API as an upstream: the canonical wire, so the body goes as the client sent it (with the
 * stages' edits and the target's model name), an Anthropic client's headers pass less transport and
 * credentials, and the upstream's own key is added. {@link #FOUNDRY} is Claude on Microsoft Foundry: the same
 * wire under another base path, its key as {@code x-api-key} or an Entra ID token as a bearer.
 *
 * <p>A client of another protocol (the OpenAI front door) sends headers that mean nothing here; the
 * request then carries only what Anthropic's API needs ({@code content-type}, {@code anthropic-version}).
 */
public final class AnthropicUpstream implements UpstreamProtocol {
    public static final AnthropicUpstream INSTANCE = new AnthropicUpstream("anthropic");
    public static final AnthropicUpstream FOUNDRY = new AnthropicUpstream("foundry");
    /** The API version the gateway speaks for clients that name none (an OpenAI client's request, translated). */
    static final String API_VERSION = "2023-06-01";

    private final String name;

    private AnthropicUpstream(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Future<OutboundRequest> prepare(Exchange ex, Attempt attempt, UpstreamSpec upstream, UpstreamKey key) {
        AnthropicSettings settings = ProviderSettings.of(ex).get(upstream.name(), AnthropicSettings.class);
        MultiMap headers = headers(ex);
        settings.headers().forEach(headers::set);
        if (key != null && key.isCaller()) {
            // Open local mode with no upstream key: the caller's own credential goes through.
            copy(ex.request().headers(), headers, "x-api-key");
            copy(ex.request().headers(), headers, "authorization");
        } else if (key != null && settings.bearer()) {
            headers.set("authorization", "Bearer " + key.value());
        } else if (key != null) {
            headers.set("x-api-key", key.value());
        }
        String query = ClientHeaders.canonicalClient(ex) ? ex.request().query() : null;
        String path = switch (ex.operation()) {
            case MESSAGES -> "/v1/messages";
            case COUNT_TOKENS -> "/v1/messages/count_tokens";
            case MODELS -> modelsPath(ex.request().path());
            case EMBEDDINGS -> throw ApiError.notSupported("embeddings: upstream '" + upstream.name()
                    + "' speaks Anthropic's API, which has no embeddings (route the model to an OpenAI-compatible upstream)");
        };
        String uri = query == null || query.isEmpty() ? path : path + "?" + query;
        if (!ex.operation().hasBody()) {
            return Future.succeededFuture(new OutboundRequest(HttpMethod.GET, uri, headers, null));
        }
        RequestBody body = ForeignThinking.forClaude(Bodies.withModel(ex, settings.model(attempt.target().servedModel())));
        return Future.succeededFuture(new OutboundRequest(HttpMethod.POST, uri, headers, body.bytes()));
    }

    private static MultiMap headers(Exchange ex) {
        if (ClientHeaders.anthropicHeaders(ex)) {
            return UpstreamHeaders.fromClient(ex.request().headers());
        }
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        h.set("content-type", "application/json");
        h.set("anthropic-version", API_VERSION);
        return h;
    }

    /** {@code /v1/models} or {@code /v1/models/{id}}, wherever the front door mounted it ({@code /openai/v1/models}). */
    private static String modelsPath(String requested) {
        String path = dev.sluice.wire.Paths.withoutTrailingSlash(requested);
        int at = path.indexOf("/v1/models");
        return at >= 0 ? path.substring(at) : "/v1/models";
    }

    private static void copy(MultiMap in, MultiMap out, String name) {
        String v = in.get(name);
        if (v != null) {
            out.set(name, v);
        }
    }

    @Override
    public UpstreamDecoder decoder(Exchange ex, Attempt attempt) {
        return new AnthropicDecoder();
    }

    @Override
    public boolean isStream(int status, MultiMap headers) {
        String type = headers.get("content-type");
        return status == 200 && type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }
}
