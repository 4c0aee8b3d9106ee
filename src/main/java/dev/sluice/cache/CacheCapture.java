package dev.sluice.cache;

import dev.sluice.cache.entry.AnswerTemplater;
import dev.sluice.cache.entry.AnswerText;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.entry.CaptureCheck;
import dev.sluice.cache.entry.LeftOutValues;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.store.StoreKey;
import dev.sluice.wire.Json;
import dev.sluice.wire.MessageUsage;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one upstream answer as it passes to the client and stores it at the end if it may be.
 *
 * <p>On the relay's path it only keeps references to the events (their bytes are immutable once
 * framed) and counts their size: nothing is parsed or copied, so the client is never delayed. Past
 * the policy's entry size it drops what it holds. {@link #finish} does the checks, the templating,
 * the write guard and the encoding (on a worker thread for an answer over {@link #INLINE_BUILD_BYTES}), then
 * writes to the store.
 *
 * <p>Not thread-safe: feed it from the exchange's event loop.
 */
public final class CacheCapture {
    /** How a capture ended: stored, or why not. */
    public record Outcome(boolean stored, String reason, boolean shared) {
        static Outcome skipped(String reason) {
            return new Outcome(false, reason, false);
        }
    }

    /** Largest answer whose entry is built on the event loop (see {@link #built}). */
    static final int INLINE_BUILD_BYTES = 8 * 1024;

    private final ResponseCache cache;
    private final CacheRequest request;
    private final StoreKey storeKey;
    private final long generation;
    private final RequestKey key;
    private final CachePolicy policy;
    private final long ttlMillis;
    private final List<SseEvent> events = new ArrayList<>();
    private byte[] body;
    private int bodyStatus;
    private long bytes;
    private String abandoned;
    private boolean finished;

    CacheCapture(ResponseCache cache, CacheRequest request, StoreKey storeKey, long generation, RequestKey key, long ttlMillis) {
        this.cache = cache;
        this.request = request;
        this.storeKey = storeKey;
        this.generation = generation;
        this.key = key;
        this.policy = request.policy();
        this.ttlMillis = ttlMillis;
    }

    /** One event of a streamed answer, as relayed (call for every event, pings included). */
    public void onEvent(SseEvent event) {
        if (abandoned != null) {
            return;
        }
        bytes += event.raw().length;
        if (bytes > policy.maxEntryBytes()) {
            abandon("answer larger than " + policy.maxEntryBytes() + " bytes");
            return;
        }
        events.add(event);
    }

    /** The whole body of a non-streamed answer, with its status. */
    public void onBody(int status, byte[] answer) {
        if (abandoned != null) {
            return;
        }
        if (answer.length > policy.maxEntryBytes()) {
            abandon("answer larger than " + policy.maxEntryBytes() + " bytes");
            return;
        }
        this.bodyStatus = status;
        this.body = answer;
    }

    /** Stops collecting (the client went away and the relay cancelled, an attempt failed, ...). */
    public void abandon(String reason) {
        if (abandoned == null) {
            abandoned = reason;
            events.clear();
            body = null;
        }
    }

    /**
     * Ends the capture: {@code status} is the HTTP status the upstream answered with. Stores the answer
     * if it is complete, allowed and unflagged; the future says what happened (it never fails).
     */
    public Future<Outcome> finish(int status) {
        if (finished) {
            return Future.succeededFuture(Outcome.skipped("already finished"));
        }
        finished = true;
        if (abandoned != null) {
            return done(Outcome.skipped(abandoned));
        }
        if (status != 200) {
            return done(Outcome.skipped("status " + status));
        }
        List<SseEvent> captured = List.copyOf(events);
        byte[] answer = body;
        return built(captured, answer)
                .compose(built -> built.entry == null ? Future.succeededFuture(Outcome.skipped(built.reason))
                        : cache.write(storeKey, built.entry, generation).onFailure(e -> cache.counters().storeWriteError()).map(v -> {
                            cache.stored(request, key, storeKey, built.entry);
                            return new Outcome(true, built.reason, built.entry.pins().isEmpty());
                        }))
                .otherwise(e -> Outcome.skipped("store failed: " + e.getMessage()))
                .compose(this::done);
    }

    /**
     * Builds the entry here for a small answer, on a worker for a large one. A coding agent's typical answer (a tool
     * call, a short reply) is a few kilobytes: parsing and scanning it costs less than the hop to a worker and back
     * (two wake-ups, measured at ~1.3% of the gateway's CPU with every feature on), while a long one would hold the
     * event loop for as long as its scan takes.
     */
    private Future<Built> built(List<SseEvent> captured, byte[] answer) {
        long size = answer != null ? answer.length : bytes;
        if (size > INLINE_BUILD_BYTES) {
            return cache.vertx().executeBlocking(() -> build(captured, answer), false);
        }
        try {
            return Future.succeededFuture(build(captured, answer));
        } catch (java.io.IOException | RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Outcome> done(Outcome o) {
        cache.counters().captured(o);
        return Future.succeededFuture(o);
    }

    private record Built(CacheEntry entry, String reason) {
    }

    private Built build(List<SseEvent> captured, byte[] answer) throws java.io.IOException {
        long now = cache.now();
        if (answer == null && captured.isEmpty()) {
            return new Built(null, "nothing captured");
        }
        String values = LeftOutValues.text(key.bindings());
        String steered = values == null ? null : cache.guard().flag(values, request.identity());
        if (steered != null) {
            return new Built(null, "write guard, on a value the key leaves out: " + steered);
        }
        if (answer != null) {
            var tree = Json.MAPPER.readTree(answer);
            String why = CaptureCheck.message(bodyStatus, tree, policy.store());
            String flagged = why == null ? cache.guard().flag(AnswerText.of(tree), request.identity()) : null;
            if (why != null || flagged != null) {
                return new Built(null, why != null ? why : "write guard: " + flagged);
            }
            AnswerTemplater.Templated t = AnswerTemplater.message(answer, key.bindings());
            return new Built(new CacheEntry(CacheEntry.Form.MESSAGE, t.payload(), new int[0], tree.path("model").asText(),
                    tree.path("stop_reason").asText(), MessageUsage.read(answer), t.pins(), now, now + ttlMillis), t.pinReason());
        }
        StreamUsage usage = new StreamUsage();
        for (SseEvent e : captured) {
            usage.onEvent(e.type(), e.raw(), e.dataStart(), e.dataLength());
        }
        String why = CaptureCheck.stream(captured, usage, policy.store());
        String flagged = why == null ? cache.guard().flag(AnswerText.scanned(captured), request.identity()) : null;
        if (why != null || flagged != null) {
            return new Built(null, why != null ? why : "write guard: " + flagged);
        }
        for (SseEvent e : captured) {
            for (byte b : e.raw()) {
                if (b == CacheEntry.MARK) {
                    return new Built(null, "answer is not valid UTF-8");
                }
            }
        }
        AnswerTemplater.Templated t = AnswerTemplater.stream(captured, key.bindings());
        return new Built(new CacheEntry(CacheEntry.Form.STREAM, t.payload(), t.eventEnds(), usage.servedModel(),
                lastStopReason(captured), usage.usage(), t.pins(), now, now + ttlMillis), t.pinReason());
    }

    private static String lastStopReason(List<SseEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).type().equals("message_delta")) {
                try {
                    return Json.MAPPER.readTree(events.get(i).data()).path("delta").path("stop_reason").asText();
                } catch (java.io.IOException e) {
                    return "";
                }
            }
        }
        return "";
    }
}
