package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.embed.Embedder;
import dev.sluice.cache.semantic.embed.StaticEmbedder;
import dev.sluice.cache.semantic.embed.Tokens;
import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.Candidate;
import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.IndexRegistry;
import dev.sluice.cache.semantic.index.ScopeIndex;
import dev.sluice.cache.semantic.index.StoredEntry;
import dev.sluice.cache.semantic.learn.ShadowLog;
import dev.sluice.cache.semantic.learn.ThresholdLearner;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Semantic matching behind the exact cache. A lookup, in order of cost:
 * <ol>
 *   <li>tool-result turn, mode off, or no index for (scope, anchor): no match, nothing computed;</li>
 *   <li>on the lookup executor: the static embedding of the newest text (microseconds) and the
 *       nearest entries at or above the retrieval floor (brute force or HNSW);</li>
 *   <li>the code-identity guard: the candidate must name the same code and negate alike;</li>
 *   <li>verification: the transformer's similarity against the entry's stored transformer vector
 *       must reach the entry's (learned) threshold. Only lookups with a guarded candidate pay it.
 *       With the {@link WindowedVerifier} a long text's vector is composed of window vectors (cached
 *       per scope, so a near-duplicate embeds only the windows it changed), and the window rule
 *       below must hold too.</li>
 * </ol>
 * <p>The window rule ({@link WindowRule}). A mean over ten windows moves little when one of them changes
 * meaning (a negated or re-targeted sentence in a 200-word turn). So when either text has more than one
 * window, the windows left unchanged (equal hashes, in order) anchor the two texts, and each changed span
 * between two anchors must itself reach the threshold against the stored span it replaces (a deleted
 * sentence counts like a changed one). For two one-window texts the rule is the whole-text comparison,
 * so short questions are decided exactly as before.</p>
 * Futures complete on the lookup executor or the embedder's workers, never an event loop; Vert.x
 * callers hop back to their context. Every failure (queue full, model error) is a plain miss.
 */
public final class SemanticMatcher {
    private static final CompletableFuture<Optional<Match>> NO_MATCH = CompletableFuture.completedFuture(Optional.empty());

    private final SemanticSettings settings;
    private final Embedder retrieval;
    private final Embedder verifier;
    private final IndexRegistry registry;
    private final ThresholdLearner learner;
    private final ShadowLog shadow;
    private final Executor executor;
    private final LongSupplier clock;
    private final IndexLoader loader;
    private final StoreListener listener;
    /** The static retrieval embedder when the windowed verifier shares its tokenizer, else null. */
    private final StaticEmbedder sharedTokens;
    /** The model of the latest request each entry matched: verdicts arrive after a match on this replica. */
    private final Cache<String, String> matchedFor = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1)).executor(Runnable::run).build();

    public SemanticMatcher(SemanticSettings settings, Embedder retrieval, Embedder verifier, IndexRegistry registry,
                           ThresholdLearner learner, ShadowLog shadow, Executor executor, LongSupplier clock,
                           IndexLoader loader, StoreListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.retrieval = Objects.requireNonNull(retrieval, "retrieval");
        this.verifier = verifier;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.learner = Objects.requireNonNull(learner, "learner");
        this.shadow = Objects.requireNonNull(shadow, "shadow");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.sharedTokens = retrieval instanceof StaticEmbedder s && verifier instanceof WindowedVerifier w
                && s.tokenizer() == w.tokenizer() && s.maxTokens() >= w.maxTokens() ? s : null;
    }

    /**
     * Largest brute-force index searched on the calling thread ({@link #missesHere}): the default {@code hnswAbove}, so
     * only an operator's larger brute-force setting hops (8,000 entries: miss p50 77 µs, p99 138 µs, int8 rows). An HNSW
     * index is searched there at any size, unless a store holds it (its graph is built and grown under the write lock).
     */
    static final int INLINE_ENTRIES = 8_192;
    /** Longest newest text searched on the calling thread: the guard's identity scan grows with it. */
    static final int INLINE_CHARS = 4_096;

    public SemanticSettings settings() {
        return settings;
    }

    public IndexKey key(String scope, Anchor anchor) {
        return new IndexKey(scope, anchor, retrieval.id());
    }

    public CompletionStage<Optional<Match>> lookup(LookupRequest q) {
        if (settings.mode() == SemanticMode.OFF || q.toolResult() || !comparable(q.text())) {
            return NO_MATCH;
        }
        IndexKey key = key(q.scope(), q.anchor());
        String model = q.model();
        // An anchor without entries (most requests) costs a map lookup; a small index is searched where the request
        // is, and only what may need more (a large index, a long text, candidates to verify) hops threads.
        return loader.ensureLoaded(key)
                .thenCompose(ignored -> registry.find(key).filter(i -> i.size() > 0)
                        .map(index -> missesHere(index, q.text()) ? NO_MATCH
                                : CompletableFuture.supplyAsync(() -> match(index, q.scope(), q.text(), q.baseThreshold()), executor)
                                .thenApply(m -> remember(m, q.scope(), model))
                                .thenCompose(f -> f))
                        .orElse(NO_MATCH))
                .exceptionally(e -> Optional.empty());
    }

    /**
     * Whether a small index's search, on the calling thread (an event loop), already says miss: no candidate passes the
     * retrieval floor, the TTL and the code-identity guard. Why here: the hop to a lookup thread and back is two
     * wake-ups, and on a busy host each can wait for the running thread's slice and the next scheduler tick; in the
     * gateway a searched miss added +0.2 ms at the median but +3.7–4.1 ms at p99, one tick (h-sem15), against +0.15 /
     * +0.19–0.24 ms searched here (`SemanticMissBench`, docs/bench/semantic.md). Bounded so the event loop never does
     * more than a small search: a brute-force index of at most {@link #INLINE_ENTRIES} entries or an HNSW one, and at
     * most {@link #INLINE_CHARS} characters of text (a miss's p99 0.12–0.16 ms over 8,000 or 100,000 entries in
     * SemanticLatencyBench; no I/O, no model inference: the static embedding only, with the in-process pair).
     * False sends the lookup to the pool as before, which searches again (a candidate is the rare case).
     */
    private boolean missesHere(ScopeIndex index, String text) {
        if (sharedTokens == null || (!index.usesHnsw() && index.size() > INLINE_ENTRIES) || text.length() > INLINE_CHARS) {
            return false;
        }
        Tokens tokens = Tokens.scratch(sharedTokens.tokenizer(), text, sharedTokens.maxTokens());
        float[] query = query();
        if (tokens == null || !sharedTokens.embedInto(tokens, query)) {
            return true;
        }
        // Never waits for a store's write lock here: when one holds the index, the pool searches instead.
        List<Candidate> near = index.searchIfFree(query, settings.candidates(), (float) settings.retrievalFloor());
        return near != null && guarded(near, text, clock.getAsLong()).isEmpty();
    }

    /** Files the model a match was made for, so the verdict that follows it is counted under that model. */
    private CompletionStage<Optional<Match>> remember(CompletionStage<Optional<Match>> found, String scope, String model) {
        return model == null ? found : found.thenApply(m -> {
            m.ifPresent(match -> matchedFor.put(LearnedKey.of(LearnedKey.tag(scope), match.entryId()), model));
            return m;
        });
    }

    private CompletionStage<Optional<Match>> match(ScopeIndex index, String scope, String text, double base) {
        if (sharedTokens == null) {
            return retrieval.embed(text).thenCompose(vector -> vector.isEmpty() ? NO_MATCH
                    : matchNear(index, scope, text, base, vector.get(), null));
        }
        // The default pair shares the model's tokenizer: tokenise the newest text once for both (~15 µs of CPU a
        // 200-word turn, h-sem11), into this lookup thread's buffers, and embed into its query vector: a miss, the
        // usual end, then leaves no token array or vector behind (h-sem15). Both are used before this method returns.
        Tokens tokens = Tokens.scratch(sharedTokens.tokenizer(), text, sharedTokens.maxTokens());
        float[] query = query();
        return tokens == null || !sharedTokens.embedInto(tokens, query) ? NO_MATCH
                : matchNear(index, scope, text, base, query, tokens);
    }

    /** This lookup thread's query vector: it lives only as long as the search it is passed to. */
    private static final ThreadLocal<float[]> QUERY = ThreadLocal.withInitial(() -> new float[0]);

    private float[] query() {
        float[] query = QUERY.get();
        if (query.length != sharedTokens.dimensions()) {
            query = new float[sharedTokens.dimensions()];
            QUERY.set(query);
        }
        return query;
    }

    /**
     * The candidates near {@code vector}, guarded, then verified. {@code tokens}: the text's tokens in this thread's
     * buffers ({@link Tokens#scratch}), copied before anything outlives this call; null without a shared tokenizer.
     */
    private CompletionStage<Optional<Match>> matchNear(ScopeIndex index, String scope, String text, double base,
                                                       float[] vector, Tokens tokens) {
        long now = clock.getAsLong();
        List<Candidate> found = guarded(index.search(vector, settings.candidates(), (float) settings.retrievalFloor()), text, now);
        if (found.isEmpty()) {
            return NO_MATCH;
        }
        if (verifier == null) {
            return CompletableFuture.completedFuture(best(scope, found, null, now, base));
        }
        // On the lookup executor (the static retrieval completes at once), so an idle model may run on this
        // thread: no hand-off to the embedder's worker and back. sumsHere never runs inline on an event loop.
        CompletionStage<Optional<WindowedVector>> verified = tokens == null ? verify(scope, text, found, true)
                : WindowPlan.verify((WindowedVerifier) verifier, scope, ((WindowedVerifier) verifier).cut(tokens.owned()),
                        windows(found), true);
        return verified.thenApply(v -> v.flatMap(vv -> best(scope, found, vv, now, base)));
    }

    /** The searched neighbours (above the retrieval floor) within the TTL whose code identity is the text's; empty: a miss. */
    private List<Candidate> guarded(List<Candidate> searched, String text, long now) {
        long ttl = settings.entryTtl().toMillis();
        List<Candidate> near = new ArrayList<>(searched.size());
        for (Candidate c : searched) {
            if (now - c.entry().storedAtMillis() <= ttl) {
                near.add(c);
            }
        }
        if (near.isEmpty()) {
            return List.of(); // the usual miss: the text's code identity (a scan of all of it) is never needed
        }
        List<CodeIdentity> identities = new ArrayList<>(near.size());
        for (Candidate c : near) {
            identities.add(c.entry().identity());
        }
        // Stops at the text's first name (or negation) no candidate shares: the usual end of a miss with neighbours.
        Optional<CodeIdentity> identity = CodeIdentity.ofUnlessForeign(text, identities);
        if (identity.isEmpty()) {
            return List.of();
        }
        List<Candidate> found = new ArrayList<>(near.size());
        for (Candidate c : near) {
            if (c.entry().identity().sameAs(identity.get())) {
                found.add(c);
            }
        }
        return found;
    }

    /** The candidate with the highest verified similarity that reaches its own threshold (from the route's base). */
    private Optional<Match> best(String scope, List<Candidate> found, WindowedVector verified, long now, double base) {
        String tag = LearnedKey.tag(scope);
        Match best = null;
        for (Candidate c : found) {
            double sim;
            if (verified == null) {
                sim = c.score();
            } else if (c.entry().verifyVector() == null) {
                continue;
            } else {
                sim = Vectors.dot(verified.vector(), c.entry().verifyVector());
            }
            double t = learner.threshold(LearnedKey.of(tag, c.entry().entryId()), base);
            if (sim >= t && (verified == null || windowsAgree(verified, c.entry(), t))
                    && (best == null || sim > best.similarity())) {
                best = new Match(c.entry().entryId(), sim, t, now - c.entry().storedAtMillis(),
                        settings.mode() == SemanticMode.ON);
            }
        }
        if (best != null && !best.serve()) {
            shadow.wouldBeHit();
        }
        return Optional.ofNullable(best);
    }

    /** The window rule ({@link WindowRule}): every changed span reaches the threshold against the span it replaces. */
    static boolean windowsAgree(WindowedVector text, StoredEntry entry, double t) {
        return WindowRule.agree(text, entry, t);
    }

    /**
     * The text's verification vector; windowed, its rows planned against the candidates' windows ({@link WindowPlan}).
     * {@code here}: the caller is a thread that may block for an inference (never an event loop).
     */
    private CompletionStage<Optional<WindowedVector>> verify(String scope, String text, List<Candidate> candidates, boolean here) {
        if (verifier instanceof WindowedVerifier w) {
            return WindowPlan.verify(w, scope, text, windows(candidates), here);
        }
        return verifier.embed(text).thenApply(v -> v.map(WindowedVector::single));
    }

    private static List<EntryWindows> windows(List<Candidate> candidates) {
        return candidates.stream().map(c -> c.entry().windows()).toList();
    }

    /**
     * Indexes a question whose answer the exact cache stored under {@code entryId}. Completes with
     * false when the text cannot be compared by meaning (tool result, over the input cap, mode off)
     * or the embedders are saturated or failed; never exceptionally.
     */
    public CompletionStage<Boolean> store(String scope, Anchor anchor, String text, boolean toolResult, String entryId) {
        Objects.requireNonNull(entryId, "entryId");
        if (settings.mode() == SemanticMode.OFF || toolResult || !comparable(text)) {
            return CompletableFuture.completedFuture(false);
        }
        IndexKey key = key(scope, anchor);
        CodeIdentity identity = CodeIdentity.of(text);
        CompletableFuture<Optional<float[]>> r;
        try {
            r = CompletableFuture.supplyAsync(() -> retrieval.embed(text), executor).thenCompose(s -> s).toCompletableFuture();
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(false); // the pool is saturated: skip this entry
        }
        CompletableFuture<Optional<WindowedVector>> v = verifier == null ? CompletableFuture.completedFuture(Optional.empty())
                : verify(scope, text, List.of(), false).toCompletableFuture();
        return r.thenCombine(v, (rv, vv) -> {
            if (rv.isEmpty() || (verifier != null && vv.isEmpty())) {
                return false;
            }
            StoredEntry entry = new StoredEntry(entryId, identity, vv.map(WindowedVector::vector).orElse(null),
                    clock.getAsLong(), vv.map(EntryWindows::of).orElse(null));
            registry.add(key, rv.get(), entry);
            listener.stored(key, rv.get(), entry);
            return true;
        }).exceptionally(e -> false);
    }

    /** Drops an entry whose answer the exact cache no longer has (evicted, busted); local index only. */
    public boolean forget(String scope, Anchor anchor, String entryId) {
        return registry.remove(key(scope, anchor), entryId);
    }

    /** An entry stored by another replica (or loaded from shared storage); one this index already holds as new is kept. */
    public void applyRemote(IndexKey key, float[] retrievalVector, StoredEntry entry) {
        long held = registry.find(key).map(i -> i.storedAt(entry.entryId())).orElse(-1L);
        if (held >= entry.storedAtMillis()) {
            return; // loading an anchor again after a reconnect re-sends what is here: no churn
        }
        registry.add(key, retrievalVector, entry);
    }

    /**
     * A verdict reached by another replica, on the learned key it published ({@link LearnedKey}): it moves this
     * replica's threshold for the entry, not its shadow log.
     */
    public void applyRemoteVerdict(String learnedKey, double similarity, boolean correct) {
        learner.observe(learnedKey, similarity, correct);
    }

    /**
     * The verdict on a hit or would-be hit in {@code scope} (the index's: org, scope, namespace): was the stored answer
     * the right one for that question? Learned per scope, so one org's verdicts never move another org's bar for the
     * same question (entries of two orgs asked the same thing share a request key).
     */
    public void observe(String scope, String entryId, double similarity, boolean correct) {
        String key = LearnedKey.of(LearnedKey.tag(scope), entryId);
        double threshold = learner.threshold(key);
        learner.observe(key, similarity, correct);
        String model = matchedFor.getIfPresent(key);
        shadow.verdict(new ShadowLog.Verdict(entryId, model == null ? "" : model, similarity, threshold, correct, clock.getAsLong()));
        listener.verdict(key, similarity, correct);
    }

    /** The threshold a hit on {@code entryId} in {@code scope} must reach now, from the matcher's base (what it learned included). */
    public double threshold(String scope, String entryId) {
        return learner.threshold(LearnedKey.of(LearnedKey.tag(scope), entryId));
    }

    public ShadowLog shadowLog() {
        return shadow;
    }

    public IndexRegistry registry() {
        return registry;
    }

    private boolean comparable(String text) {
        // WordPiece never makes fewer pieces than a quarter of the characters of ordinary text; this
        // bounds the work before tokenizing (the embedder enforces the exact token cap).
        return !text.isBlank() && text.length() <= Math.min(CodeIdentity.MAX_CHARS, 16L * retrieval.maxTokens());
    }
}
