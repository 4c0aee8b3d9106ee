package dev.sluice.pipeline;

import dev.sluice.config.Snapshot;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request on its way through the pipeline: what came in, the configuration it runs under,
 * what the stages decided, the upstream attempts made for it, what went back, and the clocks that
 * say how long the gateway itself took. Confined to one event loop, so it needs no locking.
 */
public final class Exchange {
    private final String requestId;
    private final long arrivedNanos;
    private final long startNanos;
    private final HttpServerRequest request;
    private final Operation operation;
    private final String route;
    private final ClientProtocol protocol;
    private final Snapshot snapshot;
    private final MultiMap responseHeaders = MultiMap.caseInsensitiveMultiMap();
    /** Attachments by their key's {@link Key#index}: a handful of static keys, so an array, not a hash map per request. */
    private Object[] attachments = new Object[Key.count()];
    private final List<Mark> timeline = new ArrayList<>(8);
    private final List<Attempt> attempts = new ArrayList<>(2);

    private RequestBody original;
    private RequestBody body;
    private RequestFacts facts = RequestFacts.NONE;
    private Identity identity;
    private AttemptPlan plan;
    private Target target;
    private Response answer;
    private boolean streaming;
    private boolean clientGone;
    private int status;
    private String errorType;
    private Buffer responseBody;
    private long waitNanos;
    private long headersWrittenNanos;
    private long endNanos;
    private String cacheStatus = "bypass";
    private long gatewaySavingsNanoUsd;
    private String sessionId;

    public Exchange(String requestId, long arrivedNanos, HttpServerRequest request, Operation operation, String route,
                    ClientProtocol protocol, Snapshot snapshot) {
        this.requestId = requestId;
        this.arrivedNanos = arrivedNanos;
        this.startNanos = System.nanoTime();
        this.request = request;
        this.operation = operation;
        this.route = route;
        this.protocol = protocol;
        this.snapshot = snapshot;
    }

    public String requestId() { return requestId; }
    public HttpServerRequest request() { return request; }
    public HttpServerResponse response() { return request.response(); }
    public Operation operation() { return operation; }
    /** Method and path template of the client's call ("POST /v1/messages"), for spans and metrics. */
    public String route() { return route; }
    public ClientProtocol protocol() { return protocol; }
    /** The configuration this exchange runs under, from arrival to its last hook. */
    public Snapshot snapshot() { return snapshot; }

    /** The canonical request body with the stages' edits (null until the inspect stage has read it). */
    public RequestBody body() { return body; }
    /** The body exactly as the client sent it, before any translation (for the audit). */
    public RequestBody originalBody() { return original; }
    public void body(RequestBody original, RequestBody canonical) { this.original = original; this.body = canonical; }

    /** What the inspection found in the body ({@link RequestFacts#NONE} before it, and for bodiless calls). */
    public RequestFacts facts() { return facts; }
    public void facts(RequestFacts facts) { this.facts = facts; }

    /** Headers stages want on the client's response, applied when the response starts. */
    public MultiMap responseHeaders() { return responseHeaders; }

    public Identity identity() { return identity; }
    public void identity(Identity identity) { this.identity = identity; }

    /** Where attempts go, decided by the route stage (and maybe changed by the budget stage). */
    public AttemptPlan plan() { return plan; }
    public void plan(AttemptPlan plan) {
        this.plan = plan;
        this.target = plan == null ? null : plan.first();
    }

    /** The target of the latest attempt, or the plan's first before any attempt. */
    public Target target() { return target; }

    /** A stage's own answer (a cache hit): set it to skip the upstream. */
    public Response answer() { return answer; }
    public void answer(Response answer) { this.answer = answer; }
    public boolean answered() { return answer != null; }

    /** Starts a new attempt to {@code target}; the attempt loop calls this. */
    public Attempt newAttempt(Target to) {
        Attempt a = new Attempt(attempts.size() + 1, to);
        attempts.add(a);
        this.target = to;
        return a;
    }

    public List<Attempt> attempts() { return attempts; }

    /** The latest attempt, or null when none was made. */
    public Attempt lastAttempt() { return attempts.isEmpty() ? null : attempts.getLast(); }

    /** True when the response to the client is a server-sent event stream. */
    public boolean streaming() { return streaming; }

    /**
     * True when the client asked for a stream (or got one): what records and reports call a streamed request. An
     * attempt that failed before the answer began (a 529 before a fallback) belongs to a streamed request all the same.
     */
    public boolean streamedRequest() { return streaming || facts.stream(); }
    public void streaming(boolean streaming) { this.streaming = streaming; }

    /** True when the client went away before the response ended. */
    public boolean clientGone() { return clientGone; }
    public void markClientGone() { this.clientGone = true; }

    /** HTTP status the client got (0 before it was decided). */
    public int status() { return status; }
    public void status(int status) { this.status = status; }

    /** Error type when the exchange failed, else null (also set for mid-stream errors). */
    public String errorType() { return errorType; }
    public void errorType(String errorType) { this.errorType = errorType; }

    /** The canonical body of a non-streamed answer, for the response hooks and the audit. */
    public Buffer responseBody() { return responseBody; }
    public void responseBody(Buffer responseBody) { this.responseBody = responseBody; }

    /** Time spent waiting on something that is not the gateway's work (upstream heads, retry delays). */
    public void addWait(long nanos) { waitNanos += nanos; }
    public void markHeadersWritten() { headersWrittenNanos = System.nanoTime(); }
    public void markEnd() { if (endNanos == 0) { endNanos = System.nanoTime(); } }

    /**
     * Time the gateway itself spent before the client's response headers: from the full request to
     * the head, less the time upstreams took to answer and deliberate retry delays.
     */
    public double gatewayMillis() {
        long now = headersWrittenNanos != 0 ? headersWrittenNanos : System.nanoTime();
        long upstream = waitNanos;
        for (Attempt a : attempts) {
            upstream += a.upstreamWaitNanos();
        }
        return Math.max(0, now - startNanos - upstream) / 1e6;
    }

    /** From the first byte of the request to the end of the response (or now). */
    public long totalMillis() {
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return (end - arrivedNanos) / 1_000_000;
    }

    /** The served attempt's time to first byte, or -1. */
    public long upstreamTtfbMillis() {
        Attempt a = lastAttempt();
        return a == null ? -1 : a.ttfbMillis();
    }

    /** Tokens of every attempt together. */
    public Usage usage() {
        if (attempts.size() == 1) {
            return attempts.getFirst().usage();
        }
        Usage total = Usage.ZERO;
        for (Attempt a : attempts) {
            total = total.plus(a.usage());
        }
        return total;
    }

    /** True when part of some attempt's usage is an estimate. */
    public boolean usageEstimated() {
        for (Attempt a : attempts) {
            if (a.usageEstimated()) {
                return true;
            }
        }
        return false;
    }

    /** What the exchange cost: every attempt together. */
    public Cost cost() {
        if (attempts.size() == 1) {
            return attempts.getFirst().cost();
        }
        Cost total = Cost.ZERO;
        for (Attempt a : attempts) {
            total = total.plus(a.cost());
        }
        return total;
    }

    /** What the gateway's own cache saved by answering (0 unless a stage answered from the cache). */
    public long gatewaySavingsNanoUsd() { return gatewaySavingsNanoUsd; }
    public void gatewaySavingsNanoUsd(long nanoUsd) { this.gatewaySavingsNanoUsd = nanoUsd; }

    /** The gateway cache's verdict: hit, semantic, miss, refresh or bypass. */
    public String cacheStatus() { return cacheStatus; }
    public void cacheStatus(String cacheStatus) { this.cacheStatus = cacheStatus; }

    /**
     * The conversation: Claude Code's session header, else the {@code session_id} inside the JSON
     * string Claude Code puts in {@code metadata.user_id}, else that string itself, else null.
     */
    public String sessionId() {
        if (sessionId == null) {
            String header = request.getHeader("x-claude-code-session-id");
            String id = Bounded.text(header != null ? header : SessionIds.fromMetadata(facts.metadataUserId()), Bounded.ID);
            if (facts != RequestFacts.NONE || header != null) {
                // Known for good once the body is read (or the header says it): read the metadata once, not per record.
                sessionId = id == null ? "" : id;
            }
            return id;
        }
        return sessionId.isEmpty() ? null : sessionId;
    }

    /** The calling program, from its user agent (cut to a bounded length). */
    public String client() {
        return Bounded.text(request.getHeader("user-agent"), Bounded.CLIENT);
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
        int i = key.index;
        return i < attachments.length ? key.type.cast(attachments[i]) : null;
    }

    public <T> void put(Key<T> key, T value) {
        int i = key.index;
        if (i >= attachments.length) {
            // A key made after this exchange began (a class loaded late): grow to every key known now.
            attachments = Arrays.copyOf(attachments, Math.max(i + 1, Key.count()));
        }
        attachments[i] = value;
    }

    /**
     * A typed attachment slot; declare one as a constant where its type lives (each key takes a slot in every
     * exchange for the life of the process, so never one per request).
     */
    public static final class Key<T> {
        private static final AtomicInteger COUNT = new AtomicInteger();

        private final String name;
        private final Class<T> type;
        private final int index;

        public Key(String name, Class<T> type) {
            this.name = name;
            this.type = type;
            this.index = COUNT.getAndIncrement();
        }

        /** How many keys exist so far: the size of a new exchange's attachment array. */
        static int count() {
            return COUNT.get();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
