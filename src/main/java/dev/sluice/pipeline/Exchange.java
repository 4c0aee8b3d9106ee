package dev.sluice.pipeline;

import dev.sluice.pipeline.Cost;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request on its way through the pipeline: what came in, what the stages decided, what came
 * back, and the clocks that say how long the gateway itself took. Confined to one event loop, so
 * it needs no locking.
 */
public final class Exchange {
    private final String requestId;
    private final long arrivedNanos;
    private final long startNanos;
    private final HttpServerRequest request;
    private final Endpoint endpoint;
    private Buffer body;
    private final MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
    private final Map<Key<?>, Object> attachments = new HashMap<>(8);
    private final List<Mark> timeline = new ArrayList<>(6);

    private RequestFacts facts = RequestFacts.NONE;
    private Identity identity;
    private Target target;
    private Buffer upstreamBody;
    private String upstreamKeyAlias;
    private boolean answered;
    private boolean streaming;
    private boolean clientGone;
    private int status;
    private String errorType;
    private int attempts;
    private Buffer responseBody;
    private long upstreamSentNanos;
    private long upstreamAnsweredNanos;
    private long headersWrittenNanos;
    private long endNanos;
    private Usage usage = Usage.ZERO;
    private boolean usageEstimated;
    private Cost cost = Cost.ZERO;
    private String cacheStatus = "miss";

    public Exchange(String requestId, long arrivedNanos, HttpServerRequest request, Endpoint endpoint, Buffer body) {
        this.requestId = requestId;
        this.arrivedNanos = arrivedNanos;
        this.startNanos = System.nanoTime();
        this.request = request;
        this.endpoint = endpoint;
        this.body = body;
        this.upstreamBody = body;
    }

    public String requestId() { return requestId; }
    public HttpServerRequest request() { return request; }
    public HttpServerResponse response() { return request.response(); }
    public Endpoint endpoint() { return endpoint; }
    /** The body exactly as the client sent it (null until the inspect stage has read it). */
    public Buffer body() { return body; }
    public void body(Buffer body) { this.body = body; this.upstreamBody = body; }
    /** What the inspection found in the body ({@link RequestFacts#NONE} before it, and for bodiless calls). */
    public RequestFacts facts() { return facts; }
    public void facts(RequestFacts facts) { this.facts = facts; }

    /** Headers stages want on the client's response, applied when the response starts. */
    public MultiMap responseHeaders() { return responseHeaders; }

    public Identity identity() { return identity; }
    public void identity(Identity identity) { this.identity = identity; }
    public Target target() { return target; }
    public void target(Target target) { this.target = target; }

    /** The body to send upstream: the client's bytes unless a stage rewrote part of them. */
    public Buffer upstreamBody() { return upstreamBody; }
    public void upstreamBody(Buffer upstreamBody) { this.upstreamBody = upstreamBody; }

    /** Alias of the upstream credential used (never the credential). */
    public String upstreamKeyAlias() { return upstreamKeyAlias; }
    public void upstreamKeyAlias(String alias) { this.upstreamKeyAlias = alias; }

    /** True once a stage has answered the request itself, so nothing is forwarded. */
    public boolean answered() { return answered; }
    public void markAnswered() { this.answered = true; }

    /** True when the response to the client is a server-sent event stream. */
    public boolean streaming() { return streaming; }
    public void streaming(boolean streaming) { this.streaming = streaming; }

    /** True when the client went away before the response ended. */
    public boolean clientGone() { return clientGone; }
    public void markClientGone() { this.clientGone = true; }

    /** HTTP status the client got (0 before it was decided). */
    public int status() { return status; }
    public void status(int status) { this.status = status; }

    /** Anthropic error type when the exchange failed, else null (also set for mid-stream errors). */
    public String errorType() { return errorType; }
    public void errorType(String errorType) { this.errorType = errorType; }

    /** Upstream attempts made so far. */
    public int attempts() { return attempts; }
    public int nextAttempt() { return ++attempts; }

    /** The upstream's complete body for non-streaming replies, for the response hooks. */
    public Buffer responseBody() { return responseBody; }
    public void responseBody(Buffer responseBody) { this.responseBody = responseBody; }

    public void markUpstreamSent() { upstreamSentNanos = System.nanoTime(); }
    public void markUpstreamAnswered() { upstreamAnsweredNanos = System.nanoTime(); }
    public void markHeadersWritten() { headersWrittenNanos = System.nanoTime(); }
    public void markEnd() { if (endNanos == 0) { endNanos = System.nanoTime(); } }

    /**
     * Time the gateway itself spent before the client's response headers: from the full request
     * to the upstream send, plus from the upstream's answer to our headers. Upstream time and the
     * client's upload time are not ours.
     */
    public double gatewayMillis() {
        long now = headersWrittenNanos != 0 ? headersWrittenNanos : System.nanoTime();
        long ours = upstreamSentNanos == 0 ? now - startNanos
                : (upstreamSentNanos - startNanos) + (upstreamAnsweredNanos == 0 ? 0 : now - upstreamAnsweredNanos);
        return ours / 1e6;
    }

    /** From the first byte of the request to the end of the response (or now). */
    public long totalMillis() {
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return (end - arrivedNanos) / 1_000_000;
    }

    /** From the upstream send to the upstream's first answer, or -1 when there was none. */
    public long upstreamTtfbMillis() {
        return upstreamSentNanos == 0 || upstreamAnsweredNanos == 0 ? -1 : (upstreamAnsweredNanos - upstreamSentNanos) / 1_000_000;
    }

    /** Tokens the upstream reported for this exchange (set by the settle stage). */
    public Usage usage() { return usage; }
    public void usage(Usage usage, boolean estimated) { this.usage = usage; this.usageEstimated = estimated; }
    /** True when part of the usage had to be estimated (a cancelled stream never reported its final count). */
    public boolean usageEstimated() { return usageEstimated; }
    public Cost cost() { return cost; }
    public void cost(Cost cost) { this.cost = cost; }
    /** The gateway cache's verdict: hit, miss, semantic or bypass. */
    public String cacheStatus() { return cacheStatus; }
    public void cacheStatus(String cacheStatus) { this.cacheStatus = cacheStatus; }

    /**
     * The conversation: Claude Code's session header, else the {@code session_id} inside the JSON
     * string Claude Code puts in {@code metadata.user_id}, else that string itself, else null.
     */
    public String sessionId() {
        String header = request.getHeader("x-claude-code-session-id");
        return header != null ? header : SessionIds.fromMetadata(facts.metadataUserId());
    }

    /** The calling program, from its user agent. */
    public String client() {
        return request.getHeader("user-agent");
    }

    /** Nanosecond clock reading when the first byte of the request arrived. */
    public long arrivedNanos() { return arrivedNanos; }

    /** Named intervals (stages, upstream attempts) for traces, in the order they ended. */
    public List<Mark> timeline() { return timeline; }
    public void mark(String name, long startNanos, long endNanos, String detail) {
        timeline.add(new Mark(name, startNanos, endNanos, detail));
    }

    /** One interval of the exchange on the {@link System#nanoTime()} clock. */
    public record Mark(String name, long startNanos, long endNanos, String detail) {
    }

    /** Typed per-request state a stage keeps for its own later hooks or for stages after it. */
    public <T> T get(Key<T> key) {
        return key.type.cast(attachments.get(key));
    }

    public <T> void put(Key<T> key, T value) {
        attachments.put(key, value);
    }

    /** A typed attachment slot; declare one as a constant where its type lives. */
    public static final class Key<T> {
        private final String name;
        private final Class<T> type;

        public Key(String name, Class<T> type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
