package dev.sluice.cache.stage;

import dev.sluice.cache.CacheRequest;
import dev.sluice.cache.SecondaryLookup;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.semantic.LookupRequest;
import dev.sluice.cache.semantic.Match;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.SemanticMode;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.cache.store.StoreKey;
import dev.sluice.cache.stage.SemanticStats.Lookup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The semantic cache behind the exact one ({@link SecondaryLookup}). On an exact miss, in order of cost:
 * <ol>
 *   <li>mode off for the model, a tool-result turn, no newest user text, the model not open yet, or the lookup
 *       pool's queue full: a miss, decided on the event loop without computing anything;</li>
 *   <li>the matcher searches the index of (org, scope, namespace, conversation anchor) on its own threads and the
 *       answer hops back to the request's event loop;</li>
 *   <li>a match names an exact entry (its key); it is read from the store like an exact hit. In shadow mode it is
 *       not served: the would-be hit is kept until this request's own answer is stored, then the two are compared
 *       ({@link ShadowChecks}).</li>
 * </ol>
 * Every question whose answer the exact cache stores is indexed under its entry's key.
 */
final class SemanticLookup implements SecondaryLookup {
    /** Newest texts longer than this (raw JSON bytes) are not compared by meaning and not decoded. */
    static final int MAX_TEXT_BYTES = CodeIdentity.MAX_CHARS;
    private static final long STORE_TIMEOUT_MILLIS = 100;

    private final SemanticService service;

    SemanticLookup(SemanticService service) {
        this.service = service;
    }

    @Override
    public Future<Found> find(CacheRequest request, RequestKey key, StoreKey exactKey) {
        SemanticMode mode = service.modeFor(key.model());
        Question q = question(mode, request, key, exactKey, true);
        if (q == null) {
            return Future.succeededFuture();
        }
        SemanticMatcher matcher = service.matcher();
        if (service.busy()) {
            service.stats().lookup(Lookup.BUSY);
            return Future.succeededFuture();
        }
        Context context = Vertx.currentContext();
        var stage = matcher.lookup(new LookupRequest(q.scope, q.anchor, q.text, false, service.thresholdFor(key.model()), key.model()));
        Future<Optional<Match>> found = context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
        // A candidate that passes the guard is verified by the transformer: tens of milliseconds on a quiet machine,
        // hundreds under load. The request waits at most max-wait for it, then goes upstream as a miss.
        long wait = service.maxWaitMillis();
        found = found.timeout(wait, TimeUnit.MILLISECONDS).recover(e -> {
            service.stats().lookup(Lookup.TIMED_OUT);
            return Future.succeededFuture(null); // a miss, counted as timed out only
        });
        return found.compose(m -> {
            if (m == null || m.isEmpty()) {
                if (m != null) {
                    service.stats().lookup(Lookup.MISS);
                }
                return Future.succeededFuture();
            }
            return entry(q, m.get(), mode, exactKey);
        });
    }

    /** Reads the matched entry; a missing or expired one is dropped from the index (its answer is gone). */
    private Future<Found> entry(Question q, Match match, SemanticMode mode, StoreKey exactKey) {
        CacheStore store = service.cache().cache().store();
        StoreKey source = entryKey(exactKey, match.entryId());
        Future<CacheStore.Found> read = store.get(source);
        if (!read.isComplete()) {
            read = read.timeout(STORE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        return read.map(f -> {
            CacheEntry e = f.entry();
            if (e == null || e.expiresAt() <= System.currentTimeMillis()) {
                service.matcher().forget(q.scope, q.anchor, match.entryId());
                service.stats().lookup(Lookup.STALE);
                return null;
            }
            if (mode == SemanticMode.SHADOW) {
                service.stats().lookup(Lookup.WOULD_BE_HIT);
                service.matcher().shadowLog().wouldBeHit();
                service.shadow().wouldBe(exactKey, new ShadowChecks.WouldBe(source, match, q.scope, q.anchor, q.bindings));
                return null;
            }
            service.stats().lookup(Lookup.HIT);
            return new Found(e, "semantic", match.similarity(), source);
        });
    }

    @Override
    public void stored(CacheRequest request, RequestKey key, StoreKey exactKey, CacheEntry entry) {
        ShadowChecks shadow = service.shadow();
        if (shadow != null) {
            shadow.answered(exactKey, entry);
        }
        Question q = question(service.modeFor(key.model()), request, key, exactKey, false);
        if (q != null) {
            service.matcher().store(q.scope, q.anchor, q.text, false, exactKey.keyHex()).thenAccept(indexed -> {
                if (indexed) {
                    service.stats().indexed();
                }
            });
        }
    }

    /** A question that may be compared by meaning, or null (counted by why not). */
    private Question question(SemanticMode mode, CacheRequest request, RequestKey key, StoreKey exactKey, boolean count) {
        if (mode == SemanticMode.OFF) {
            return null;
        }
        if (key.newestIsToolResult()) {
            if (count) {
                service.stats().lookup(Lookup.TOOL_RESULT);
            }
            return null;
        }
        String text = key.anchor() == null ? null : NewestText.of(request.body(), key.newestText(), MAX_TEXT_BYTES);
        if (text == null || text.isBlank()) {
            if (count) {
                service.stats().lookup(Lookup.NO_TEXT);
            }
            return null;
        }
        if (service.matcher() == null) {
            if (count) {
                service.stats().lookup(Lookup.NOT_READY);
            }
            return null;
        }
        return new Question(scope(exactKey), Anchor.of(key.anchor()), text, key.bindings());
    }

    private record Question(String scope, Anchor anchor, String text, dev.sluice.cache.key.Bindings bindings) {
    }

    /** One index per org, scope and namespace (a bust of a namespace leaves its questions naming entries that are gone). */
    static String scope(StoreKey k) {
        return k.org() + '\n' + k.scope() + '\n' + k.namespace();
    }

    /** The exact entry a match names: same org, scope and namespace as the request, the entry's request key. */
    static StoreKey entryKey(StoreKey request, String entryId) {
        byte[] key = HexFormat.of().parseHex(entryId);
        return StoreKey.of(request.org(), request.scope(), request.namespace(), key);
    }
}
