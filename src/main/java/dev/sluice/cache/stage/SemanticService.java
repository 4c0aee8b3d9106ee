package dev.sluice.cache.stage;

import dev.sluice.cache.semantic.IndexLoader;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.SemanticMatchers;
import dev.sluice.cache.semantic.SemanticMode;
import dev.sluice.cache.semantic.SemanticSettings;
import dev.sluice.cache.semantic.StoreListener;
import dev.sluice.cache.semantic.redis.RedisVectorShare;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semantic cache's long-lived side: the model and matcher (opened on a worker thread the first time a
 * configuration turns {@code cache.semantic.mode} on or to shadow, so a gateway that never uses it never loads
 * it), the lookup plugged in behind the exact cache, shadow checks, the answers recently served (for feedback)
 * and the counters. Until the model is open, lookups are misses.
 *
 * <p>The mode is read from the live snapshot on every lookup, so a reload switches off, shadow and on at once;
 * thresholds, sizes and the pool are the ones the matcher was opened with, until the next start.
 */
public final class SemanticService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SemanticService.class);

    private final CacheService cache;
    private final Supplier<CacheRules> rules;
    private final Path dataDir;
    private final SemanticStats stats = new SemanticStats();
    private final AnswerSignals signals;
    private final AtomicBoolean opening = new AtomicBoolean();
    private volatile SemanticMatchers matchers;
    private volatile SemanticMatcher matcher;
    private volatile ShadowChecks shadow;
    private volatile RedisVectorShare share;
    private volatile boolean closed;
    private Vertx vertx;
    private SemanticRollback rollback;

    /**
     * @param cache   the exact cache this one sits behind
     * @param rules   the live snapshot's cache rules
     * @param dataDir the gateway's data directory (the static token table is kept under it unless configured)
     */
    public SemanticService(CacheService cache, Supplier<CacheRules> rules, Path dataDir) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.signals = new AnswerSignals(this);
        cache.semantic(this);
    }

    /**
     * Puts every configuration version that changes this section on trial and rolls back one that makes answers
     * worse ({@link SemanticRollback}); call before {@link #start}.
     */
    public void watch(dev.sluice.config.LiveConfig live) {
        SemanticRollback r = new SemanticRollback(live, stats, System::currentTimeMillis);
        live.onApplied(r::applied);
        this.rollback = r;
    }

    /** Opens the model now if the configuration wants it; call once the Vert.x exists. */
    public void start(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        applied();
        if (rollback != null) {
            judgeLater();
        }
    }

    /** The trial check reads counters and may apply a version (database writes): on a worker, one at a time. */
    private void judgeLater() {
        vertx.setTimer(rollback.checkEveryMillis(), id -> {
            if (closed) {
                return;
            }
            vertx.executeBlocking(rollback::check, false).onComplete(ar -> {
                if (ar.failed()) {
                    LOG.warn("semantic rollback check failed: {}", ar.cause().toString());
                }
                if (!closed) {
                    judgeLater();
                }
            });
        });
    }

    /** Below this heap the semantic cache's model and tables crowd the rest (h-sem15: ~85 MB stay live with it on). */
    static final long MIN_HEAP_BYTES = 384L << 20;

    /**
     * What to tell the operator when the heap is too small for the semantic cache, or null. Measured with the launcher's
     * default 192 MB: ~85 MB live (47 MB of it the static table), G1 running concurrent cycles back to back, remark
     * pauses of 6–17 ms and once 161 ms, which every request waits behind.
     */
    static String heapAdvice(long maxHeapBytes) {
        if (maxHeapBytes >= MIN_HEAP_BYTES) {
            return null;
        }
        return "semantic cache: the heap is " + (maxHeapBytes >> 20) + " MB and the semantic model and tables keep about 85 MB"
                + " of it live, so collections run back to back and pause every request; give the gateway at least "
                + (MIN_HEAP_BYTES >> 20) + " MB (SLUICE_HEAP=384m with ./sluice, or -Xmx)";
    }

    /**
     * The heap the indexes may take: what is configured, at most an eighth of the heap. Each new conversation adds an
     * index, so the budget is always reached in time, by anyone who sends new conversations; past the heap it ends in
     * an {@code OutOfMemoryError} (measured: the default 256 MB at a 384 MB heap, after ~9,000 conversations). An
     * eighth of 384 MB holds ~10,700 one-question conversations at ~4.5 KB, about what 256 MB held at ~27 KB before.
     */
    static long indexBudget(long configured, long maxHeapBytes) {
        return Math.min(configured, Math.max(1L << 20, maxHeapBytes / 8));
    }

    /** Called after every configuration change: opens the model the first time a mode other than off appears. */
    public void applied() {
        SemanticRules r = rules.get().semantic();
        if (vertx == null || closed || r.mode() == SemanticMode.OFF || !opening.compareAndSet(false, true)) {
            return;
        }
        Path dir = r.tableDir() != null ? Path.of(r.tableDir()) : dataDir.resolve("semantic");
        vertx.executeBlocking(() -> SemanticMatchers.open(dir, r.modelThreads(), r.queue()), false)
                .onSuccess(m -> {
                    if (closed) {
                        m.close();
                        return;
                    }
                    RedisVectorShare share = shareFor(m, r);
                    long heap = Runtime.getRuntime().maxMemory();
                    SemanticSettings settings = r.settings().withSize(r.settings().maxEntriesPerIndex(),
                            indexBudget(r.settings().maxIndexBytes(), heap));
                    if (settings.maxIndexBytes() < r.settings().maxIndexBytes() && r.settings().maxIndexBytes() == 256L << 20) {
                        LOG.info("semantic cache: its indexes get {} MB, an eighth of the {} MB heap (cache.semantic.max-bytes"
                                + " unset or 256 MB)", settings.maxIndexBytes() >> 20, heap >> 20);
                    } else if (settings.maxIndexBytes() < r.settings().maxIndexBytes()) {
                        LOG.warn("semantic cache: cache.semantic.max-bytes is {} MB, more than an eighth of the {} MB heap;"
                                + " every new conversation adds an index, so it would fill and crowd out the rest: its indexes"
                                + " get {} MB (lower max-bytes, or give the gateway more heap)",
                                r.settings().maxIndexBytes() >> 20, heap >> 20, settings.maxIndexBytes() >> 20);
                    }
                    SemanticMatcher built = share == null ? m.matcher(settings, IndexLoader.NONE, StoreListener.NONE)
                            : m.matcher(settings, share, share);
                    if (share != null) {
                        share.start(built);
                        this.share = share;
                    }
                    this.matchers = m;
                    this.shadow = new ShadowChecks(this, built);
                    this.matcher = built;
                    cache.secondary(new SemanticLookup(this));
                    LOG.info("semantic cache ready ({}): threshold {}, queue {}", r.mode().name().toLowerCase(java.util.Locale.ROOT),
                            r.settings().threshold(), r.queue());
                    String advice = heapAdvice(Runtime.getRuntime().maxMemory());
                    if (advice != null) {
                        LOG.warn(advice);
                    }
                })
                .onFailure(e -> {
                    opening.set(false);
                    LOG.warn("semantic cache could not open its model ({}); requests use the exact cache only", e.toString());
                });
    }

    /**
     * With a Redis store the replicas share their semantic entries through the same Redis (the exact entries they
     * name are shared there already); otherwise each gateway indexes its own. Redis away: local only, never an error.
     */
    private RedisVectorShare shareFor(SemanticMatchers m, SemanticRules r) {
        dev.sluice.config.CacheConfig.Store store = cache.storeSettings();
        if (!store.kind().equals("redis")) {
            return null;
        }
        // The first load of a large anchor may take longer than a store read; a lookup never waits for it past max-wait.
        java.time.Duration loadTimeout = store.timeout().compareTo(java.time.Duration.ofSeconds(2)) > 0
                ? store.timeout() : java.time.Duration.ofSeconds(2);
        return new RedisVectorShare(vertx, store.url(), m.executor(), r.settings().entryTtl(), loadTimeout);
    }

    /** How this gateway shares semantic entries with other replicas, or null when it does not (no Redis store). */
    public RedisVectorShare share() {
        return share;
    }

    /** The mode for a request asking for {@code model} under the current snapshot. */
    SemanticMode modeFor(String model) {
        return rules.get().semantic().modeFor(model);
    }

    /** The base threshold the current snapshot sets for {@code model}, or NaN for the matcher's own. */
    double thresholdFor(String model) {
        return rules.get().semantic().thresholdFor(model);
    }

    /** How long a request waits for its lookup under the current snapshot. */
    long maxWaitMillis() {
        return rules.get().semantic().maxWait().toMillis();
    }

    /** The matcher, or null until the model is open. */
    public SemanticMatcher matcher() {
        return matcher;
    }

    /** True when the lookup pool's queue has no room: the lookup is skipped (a miss) rather than queued. */
    boolean busy() {
        SemanticMatchers m = matchers;
        return m != null && m.executor() instanceof ThreadPoolExecutor t && t.getQueue().remainingCapacity() == 0;
    }

    /** The verifying embedder (the transformer), or null until the model is open. */
    dev.sluice.cache.semantic.embed.Embedder verifier() {
        SemanticMatchers m = matchers;
        return m == null ? null : m.verifier();
    }

    /** The semantic pool (tests fill it to see a full queue skip the lookup). */
    java.util.concurrent.ExecutorService executor() {
        SemanticMatchers m = matchers;
        return m == null ? null : m.executor();
    }

    ShadowChecks shadow() {
        return shadow;
    }

    CacheService cache() {
        return cache;
    }

    Vertx vertx() {
        return vertx;
    }

    public SemanticStats stats() {
        return stats;
    }

    /** Answers recently served, refresh signals and feedback. */
    public AnswerSignals signals() {
        return signals;
    }

    /** Whether the model is open (lookups can match). */
    public boolean ready() {
        return matcher != null;
    }

    /** The configured mode (the section's, before per-model globs). */
    public SemanticMode mode() {
        return rules.get().semantic().mode();
    }

    @Override
    public void close() {
        closed = true;
        RedisVectorShare s = share;
        if (s != null) {
            s.close();
        }
        SemanticMatchers m = matchers;
        if (m != null) {
            m.close();
        }
    }
}
