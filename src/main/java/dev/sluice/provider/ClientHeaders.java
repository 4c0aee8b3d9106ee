package dev.sluice.provider;

import dev.sluice.pipeline.Exchange;
import io.vertx.core.MultiMap;

/**
 * Which of the client's request headers a provider adapter may look at. An Anthropic client's headers
 * carry Anthropic's meaning ({@code anthropic-beta}, {@code anthropic-version}) and go on as adapters
 * decide; another protocol's client (an OpenAI SDK) sends headers that mean nothing to a Claude upstream
 * and may name its own account ({@code OpenAI-Organization}), so none of them go on.
 */
public final class ClientHeaders {
    private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();

    private ClientHeaders() {
    }

    /** The Anthropic door itself: its request line is Anthropic's too, so the query ({@code ?beta=true}) goes along. */
    public static boolean canonicalClient(Exchange ex) {
        return "anthropic".equals(ex.protocol().name());
    }

    /**
     * The client's headers for a client whose headers are Anthropic's (the Anthropic door; the Vertex door, where
     * {@code anthropic-beta} is a header too), else none. Read-only by convention.
     */
    public static MultiMap of(Exchange ex) {
        return anthropicHeaders(ex) ? ex.request().headers() : NONE;
    }

    /**
     * True when this call's headers may go on to a Claude upstream: the protocol says its headers are Anthropic's
     * ({@link dev.sluice.pipeline.ClientProtocol#anthropicWire}), and the call is the Anthropic door's or has a body,
     * whose inspection made them so (Bedrock's door moves the body's betas into {@code anthropic-beta}, adds an
     * {@code anthropic-version}, drops the AWS SDK's own); a Bedrock listing has no body to inspect.
     */
    public static boolean anthropicHeaders(Exchange ex) {
        return ex.protocol().anthropicWire() && (canonicalClient(ex) || ex.operation().hasBody());
    }
}
