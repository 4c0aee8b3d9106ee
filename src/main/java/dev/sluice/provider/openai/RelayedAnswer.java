package dev.sluice.provider.openai;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import io.vertx.core.buffer.Buffer;

/**
 * A whole {@code chat.completion} from an OpenAI-protocol upstream, kept for an OpenAI client so its encoder can
 * send the upstream's own bytes instead of rendering the canonical message back into a chat completion. The
 * canonical message is still made (the response hooks, the cache and the audit read it); the upstream's body is
 * sent only while the body the responder holds is that very canonical message, so an answer a stage replaced, a
 * cache hit or a fallback to another provider is rendered as before.
 *
 * <p>One per exchange (the last 2xx attempt's body); confined to the exchange's event loop.
 */
public final class RelayedAnswer {
    private static final Exchange.Key<RelayedAnswer> KEY = new Exchange.Key<>("openai.relayed-answer", RelayedAnswer.class);
    private static final String CLIENT_PROTOCOL = "openai";

    private Buffer canonical;
    private byte[] upstream;

    RelayedAnswer() {
    }

    /** The exchange's holder, made on first use, when an OpenAI client asked for a chat completion; else null. */
    public static RelayedAnswer of(Exchange ex) {
        if (ex.operation() != Operation.MESSAGES || !CLIENT_PROTOCOL.equals(ex.protocol().name())) {
            return null;
        }
        RelayedAnswer r = ex.get(KEY);
        if (r == null) {
            r = new RelayedAnswer();
            ex.put(KEY, r);
        }
        return r;
    }

    /** The holder a decoder of this exchange filled, or null. */
    public static RelayedAnswer find(Exchange ex) {
        return ex.get(KEY);
    }

    /** A decoder read {@code upstream} (a 2xx chat completion) and made {@code canonical} of it. */
    void kept(byte[] upstream, Buffer canonical) {
        this.upstream = upstream;
        this.canonical = canonical;
    }

    /**
     * The upstream's body as it came, naming the model that served it (as the rendered answer does), when
     * {@code canonical} is the message made from it; otherwise null, and the caller renders.
     */
    public Buffer forClient(Buffer canonical) {
        if (canonical == null || canonical != this.canonical) {
            return null;
        }
        return Buffer.buffer(upstream);
    }
}
