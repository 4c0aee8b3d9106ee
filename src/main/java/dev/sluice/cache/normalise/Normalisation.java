package dev.sluice.cache.normalise;

import dev.sluice.cache.key.RequestKey;
import dev.sluice.pipeline.Exchange;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The pipeline's side of upstream normalisation, for the cache stage: normalise a forwarded request when its route
 * asks for it, then map the stand-ins back in its answer before the client (and the response cache's capture) see it.
 * The outcome is counted and stated on the response as {@code x-sluice-upstream-normalised}.
 */
public final class Normalisation {
    public static final String HEADER = "x-sluice-upstream-normalised";
    private static final Exchange.Key<StreamRestorer> RESTORER = new Exchange.Key<>("cache-normalise", StreamRestorer.class);

    private Normalisation() {
    }

    /** Normalises {@code ex}'s body, which the cache keyed as {@code key} (null when it could not). */
    public static Outcome apply(Exchange ex, RequestKey key, NormaliseCounters counters) {
        Outcome outcome;
        if (ex.protocol() == null || !ex.protocol().anthropicWire()) {
            outcome = Outcome.OTHER_DOOR; // an OpenAI client's body is translated, and only Claude Code carries these values
        } else {
            UpstreamNormaliser.Result r = UpstreamNormaliser.apply(ex.body(), key);
            outcome = r.outcome();
            if (r.normalised()) {
                ex.put(RESTORER, new StreamRestorer(r.standIns()));
            }
        }
        counters.count(outcome);
        ex.responseHeaders().set(HEADER, outcome.label());
        return outcome;
    }

    /** The events to send for one event of a normalised answer; the event itself otherwise. */
    public static List<SseEvent> onEvent(Exchange ex, SseEvent event) {
        StreamRestorer r = ex.get(RESTORER);
        return r == null ? List.of(event) : r.onEvent(event);
    }

    /** A normalised whole answer gets the developer's values back (before the response hooks of the other stages). */
    public static void onResponse(Exchange ex) {
        StreamRestorer r = ex.get(RESTORER);
        Buffer body = ex.responseBody();
        if (r == null || ex.streaming() || body == null) {
            return;
        }
        byte[] bytes = body.getBytes();
        byte[] restored = r.whole(bytes);
        if (restored != bytes) {
            ex.responseBody(Buffer.buffer(restored));
        }
    }
}
