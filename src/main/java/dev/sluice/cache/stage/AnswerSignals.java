package dev.sluice.cache.stage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.cache.CacheDecision;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.cache.store.StoreKey;
import dev.sluice.pipeline.Exchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Wrong-answer signals on cached answers, and what they change.
 *
 * <p>The cache stage tells it about every request it decided ({@link #decided}): an answer from the cache is
 * remembered by request id (for feedback, bounded, an hour) and by caller and question (for a re-ask, two
 * minutes). Two signals say a cached answer was wrong:
 * <ul>
 *   <li>a thumbs-down through {@code POST /sluice/v1/feedback} naming the request id;</li>
 *   <li>the same caller asking the same question again at once (two minutes) with the cache's refresh control:
 *       the answer it bypasses is the one it did not trust.</li>
 * </ul>
 * A wrong semantic answer raises that entry's learned threshold above the similarity it was served at (the same
 * question is not matched to it again; the entry stays, it answers its own question). A wrong exact answer is
 * expired in the store and its question dropped from the semantic index. A thumbs-up on a semantic answer is a
 * right verdict for the learner. Every signal is kept in a bounded log shown at {@code GET /admin/cache/semantic}.
 */
public final class AnswerSignals {
    /** A request the cache decided, as feedback needs it. */
    record Decided(String requestId, String keyId, String status, StoreKey source, byte[] anchor, double similarity) {
        boolean servedFromCache() {
            return source != null && (status.equals("hit") || status.equals("semantic"));
        }
    }

    /** One signal, for the admin view. */
    public record Signal(String requestId, String kind, String status, String note, long atMillis) {
    }

    /** What feedback found. */
    public enum Outcome { UNKNOWN, RECORDED, ALREADY_RATED }

    private static final int LOG_SIZE = 1000;

    /**
     * Requests remembered (each map): every cacheable request adds one for an hour, ~185 bytes with its key and
     * Caffeine's nodes (class histogram), so the bound is always reached on a busy gateway; 100,000 was ~37 MB for the
     * two, a fifth of the launcher's 192 MB heap. A 6,144th of the heap each, from 8,192 to 100,000 (32,768 at 192 MB).
     */
    static final int MAX_REMEMBERED = remembered(Runtime.getRuntime().maxMemory());

    private final SemanticService service;
    private final Cache<String, Decided> byRequest = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(Duration.ofHours(1)).executor(Runnable::run).build();
    /**
     * Requests already rated: one verdict per answer. Each verdict moves shared state (the learner, the threshold
     * proposals an operator applies), so a developer who rated one answer a thousand times outvoted the team.
     */
    private final Cache<String, Boolean> rated = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(Duration.ofHours(1)).executor(Runnable::run).build();
    private final Cache<String, String> byQuestion = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(Duration.ofMinutes(2)).executor(Runnable::run).build();
    private final Signal[] log = new Signal[LOG_SIZE];
    private int next;
    private int size;

    AnswerSignals(SemanticService service) {
        this.service = service;
    }

    static int remembered(long maxHeapBytes) {
        return (int) Math.clamp(maxHeapBytes / 6144, 8_192, 100_000);
    }

    /** Called on the event loop for every request the cache looked up. */
    void decided(Exchange ex, CacheDecision d) {
        if (d.key() == null || ex.identity() == null) {
            return;
        }
        String keyId = ex.identity().keyId();
        switch (d) {
            case CacheDecision.Hit hit -> {
                Decided r = new Decided(ex.requestId(), keyId, hit.status(), hit.source(), d.key().anchor(), hit.similarity());
                byRequest.put(r.requestId(), r);
                byQuestion.put(question(keyId, d.key()), r.requestId());
            }
            case CacheDecision.Miss miss when miss.key().cacheable() -> {
                byRequest.put(ex.requestId(), new Decided(ex.requestId(), keyId, miss.status(), null, null, 0));
                if (miss.refresh()) {
                    refreshed(ex, question(keyId, d.key()));
                }
            }
            default -> {
            }
        }
    }

    private void refreshed(Exchange ex, String question) {
        String earlier = byQuestion.asMap().remove(question);
        Decided served = earlier == null ? null : byRequest.getIfPresent(earlier);
        if (served == null || !served.servedFromCache() || rated.asMap().putIfAbsent(served.requestId(), Boolean.TRUE) != null) {
            return; // a re-ask is the caller's verdict on that answer: one per answer, as with feedback
        }
        service.stats().refreshSignal();
        wrong(served);
        record(new Signal(served.requestId(), "refresh", served.status(), "re-asked with refresh as " + ex.requestId(),
                System.currentTimeMillis()));
    }

    /**
     * Feedback on request {@code requestId} from caller {@code keyId} (null: an admin, who may rate any request).
     * Unknown ids, and ids of another caller, are {@link Outcome#UNKNOWN}; an answer is rated once (by its caller or
     * an admin), later verdicts are {@link Outcome#ALREADY_RATED} and change nothing.
     */
    public Outcome feedback(String requestId, String keyId, boolean down, String note) {
        Decided d = byRequest.getIfPresent(requestId);
        if (d == null || (keyId != null && !keyId.equals(d.keyId()))) {
            return Outcome.UNKNOWN;
        }
        if (rated.asMap().putIfAbsent(requestId, Boolean.TRUE) != null) {
            return Outcome.ALREADY_RATED;
        }
        service.stats().feedback(down);
        if (d.servedFromCache()) {
            if (down) {
                wrong(d);
            } else if (d.status().equals("semantic") && service.matcher() != null) {
                service.matcher().observe(SemanticLookup.scope(d.source()), d.source().keyHex(), d.similarity(), true);
            }
        }
        record(new Signal(requestId, down ? "down" : "up", d.status(), note, System.currentTimeMillis()));
        return Outcome.RECORDED;
    }

    /** A cached answer was wrong for the question it was served to. */
    private void wrong(Decided d) {
        SemanticMatcher matcher = service.matcher();
        if (d.status().equals("semantic")) {
            if (matcher != null) {
                matcher.observe(SemanticLookup.scope(d.source()), d.source().keyHex(), d.similarity(), false);
            }
            return;
        }
        if (matcher != null && d.anchor() != null) {
            matcher.forget(SemanticLookup.scope(d.source()), Anchor.of(d.anchor()), d.source().keyHex());
        }
        expire(d.source());
    }

    /** Rewrites the entry with an expiry a millisecond away: the store interface has no delete, and this is one. */
    private void expire(StoreKey source) {
        var cache = service.cache().cache();
        if (cache == null) {
            return;
        }
        CacheStore store = cache.store();
        store.get(source).onSuccess(f -> {
            CacheEntry e = f.entry();
            if (e != null) {
                long now = System.currentTimeMillis();
                store.put(source, new CacheEntry(e.form(), e.payload(), e.eventEnds(), e.model(), e.stopReason(), e.usage(),
                        e.pins(), e.createdAt(), now + 1), f.generation()).onSuccess(v -> service.stats().evicted());
            }
        });
    }

    private static String question(String keyId, dev.sluice.cache.key.RequestKey key) {
        return keyId + '\n' + key.keyHex(); // a re-ask is the same question: the same exact key
    }

    private synchronized void record(Signal s) {
        log[next] = s;
        next = (next + 1) % LOG_SIZE;
        size = Math.min(size + 1, LOG_SIZE);
    }

    /** The most recent signals, newest first. */
    public synchronized List<Signal> recent(int max) {
        List<Signal> out = new ArrayList<>();
        for (int i = 1; i <= Math.min(size, max); i++) {
            out.add(log[(next - i + LOG_SIZE) % LOG_SIZE]);
        }
        return out;
    }
}
