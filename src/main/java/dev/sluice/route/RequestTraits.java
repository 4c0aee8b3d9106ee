package dev.sluice.route;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What rules may look at in one request, each worked out only when a rule asks and then kept:
 * the model as requested and as resolved, the caller, headers, the budget's standing, the time, and
 * from the body the estimated input tokens, tools, thinking, images, and the conversation.
 *
 * <p>Input tokens are estimated as the body's bytes divided by four (JSON of English text and code
 * runs close to four bytes a token). It counts base64 image bytes as if they were text, so a request
 * with images estimates high; rules on size should leave room for that.
 */
final class RequestTraits {
    static final int BYTES_PER_TOKEN = 4;

    private final String requested;
    private final String model;
    private final Identity identity;
    private final Function<String, String> headers;
    private final RequestBody body;
    private final RequestFacts facts;
    private final Supplier<BudgetSignal.Level> budget;
    private final Supplier<String> session;
    private final long nowMillis;
    private BudgetSignal.Level level;
    private byte tools = -1;
    private byte thinking = -1;
    private byte images = -1;
    private String conversation;
    private int hash;
    private boolean conversationKnown;

    RequestTraits(String requested, String model, Identity identity, Function<String, String> headers, RequestBody body,
                  RequestFacts facts, Supplier<BudgetSignal.Level> budget, Supplier<String> session, long nowMillis) {
        this.requested = requested;
        this.model = model;
        this.identity = identity;
        this.headers = headers;
        this.body = body;
        this.facts = facts;
        this.budget = budget;
        this.session = session;
        this.nowMillis = nowMillis;
    }

    static RequestTraits of(Exchange ex, String model, BudgetSignal signal, long nowMillis) {
        return new RequestTraits(ex.facts().model(), model, ex.identity(), ex.request()::getHeader, ex.body(), ex.facts(),
                () -> signal.level(ex), ex::sessionId, nowMillis);
    }

    /** The model as the client named it (maybe an alias), or null. */
    String requested() { return requested; }

    /** The model after alias resolution, or null. */
    String model() { return model; }

    Identity identity() { return identity; }

    String header(String name) { return headers.apply(name); }

    long nowMillis() { return nowMillis; }

    BudgetSignal.Level budget() {
        if (level == null) {
            BudgetSignal.Level l = budget.get();
            level = l == null ? BudgetSignal.Level.OK : l;
        }
        return level;
    }

    long estimatedTokens() {
        return facts.bodyBytes() / BYTES_PER_TOKEN;
    }

    boolean tools() {
        if (tools < 0) {
            tools = (byte) (body != null && BodyScan.hasTools(body.array(), facts.field("tools")) ? 1 : 0);
        }
        return tools == 1;
    }

    boolean thinking() {
        if (thinking < 0) {
            thinking = (byte) (body != null && BodyScan.thinkingOn(body.array(), facts.field("thinking")) ? 1 : 0);
        }
        return thinking == 1;
    }

    boolean images() {
        if (images < 0) {
            images = (byte) (body != null && BodyScan.hasImage(body.array(), facts.field("messages")) ? 1 : 0);
        }
        return images == 1;
    }

    /**
     * The conversation this request belongs to: its session (Claude Code's header or metadata), else a
     * hash of its system prompt, tools and first message; null when the request has neither. It is the
     * caller's organisation's: a session id or a first message is easy to repeat, and another tenant's
     * failed-over request must not pin this one's conversations to its fallback.
     */
    String conversation() {
        if (!conversationKnown) {
            conversationKnown = true;
            String org = identity == null || identity.orgId() == null ? "" : identity.orgId();
            String s = session.get();
            if (s != null) {
                conversation = org + "\u0000s:" + s;
                hash = s.hashCode();
            } else if (body != null) {
                long h = BodyScan.prefixHash(body.array(), facts);
                conversation = h == 0 ? null : org + "\u0000p:" + Long.toHexString(h);
                hash = Long.hashCode(h);
            }
        }
        return conversation;
    }

    /**
     * A spread of the conversation over ints, for ties between equally loaded keys (0 without one). For a
     * session it is the session id's own hash, as {@link dev.sluice.upstream.UpstreamSpec#keyFor} uses.
     */
    int hash() {
        conversation();
        return hash;
    }
}
