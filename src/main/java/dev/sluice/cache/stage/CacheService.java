package dev.sluice.cache.stage;

import dev.sluice.cache.CacheCounters;
import dev.sluice.cache.ResponseCache;
import dev.sluice.cache.SecondaryLookup;
import dev.sluice.cache.learn.capture.ShapeCapture;
import dev.sluice.cache.normalise.NormaliseCounters;
import dev.sluice.cache.prompt.ForkBreakpoint;
import dev.sluice.cache.prompt.PrefixStats;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.cache.store.MemoryStore;
import dev.sluice.cache.store.RedisStore;
import dev.sluice.config.CacheConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache's long-lived side, outliving configuration reloads: the store and the
 * {@link ResponseCache} on it, the write guard, prompt-prefix statistics and near misses. Made when the
 * gateway is assembled, {@link #start started} once its Vert.x exists.
 *
 * <p>A store that cannot be reached at start (Redis down) does not stop the gateway: requests bypass the
 * cache, and the connection is retried every few seconds until it works.
 */
public final class CacheService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheService.class);
    private static final long RETRY_MILLIS = 5_000;
    /**
     * Conversation prefixes remembered for fork breakpoints: about 100 bytes of heap each with the cache's own entry,
     * so at most ~5 MB. A request notes at most 64; a team's new first questions note about a dozen each.
     */
    private static final long FORK_PREFIXES = 50_000;

    private final CacheConfig config;
    private final WriteGuards guards = new WriteGuards();
    private final PrefixStats prefixStats;
    private final NearMisses nearMisses;
    private final NormaliseCounters normalised = new NormaliseCounters();
    private final ForkBreakpoint forks = new ForkBreakpoint(FORK_PREFIXES);
    private final AtomicInteger storing = new AtomicInteger();
    private volatile LongSupplier clock = System::currentTimeMillis;
    private volatile ResponseCache cache;
    private volatile SecondaryLookup secondary;
    private volatile SemanticService semantic;
    private volatile ShapeCapture shapes = ShapeCapture.OFF;
    private volatile boolean closed;
    private Vertx vertx;
    private CacheStore store;
    private long retryTimer = -1;

    /** @param config the {@code cache:} section the gateway starts with (its store settings hold until a restart) */
    public CacheService(CacheConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        int tracked = config.promptCache().prefixStats();
        this.prefixStats = tracked > 0 ? new PrefixStats(tracked) : null;
        this.nearMisses = new NearMisses(Math.max(1, tracked / 4));
    }

    /** Opens the store and the cache on {@code vertx}; always succeeds (see the class comment). */
    public Future<Void> start(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        CacheConfig.Store s = config.store();
        this.store = s.kind().equals("redis") ? RedisStore.create(vertx, s.url()) : new MemoryStore(memoryBudget(s.budget().bytes()));
        open();
        return Future.succeededFuture();
    }

    /**
     * The in-process store's bytes: as configured, at most a quarter of the heap. The store fills with whatever callers
     * ask (each new question is an entry), so its budget is always reached; the default 64 MB is a third of the
     * launcher's 192 MB heap and, with the other tables a busy gateway fills, ran it out of memory.
     */
    static long memoryBudget(long configured, long maxHeapBytes) {
        return Math.min(configured, Math.max(1L << 20, maxHeapBytes / 4));
    }

    private static long memoryBudget(long configured) {
        long heap = Runtime.getRuntime().maxMemory();
        long budget = memoryBudget(configured, heap);
        if (budget < configured) {
            // the default (64 MB, config.CacheConfig) is cut at every start below a 256 MB heap: said, not warned
            String text = "response cache: cache.store.budget is {} MB, more than a quarter of the {} MB heap;"
                    + " the store holds {} MB (give the gateway more heap to keep more)";
            if (configured == 64L << 20) {
                LOG.info(text, configured >> 20, heap >> 20, budget >> 20);
            } else {
                LOG.warn(text, configured >> 20, heap >> 20, budget >> 20);
            }
        }
        return budget;
    }

    private void open() {
        ResponseCache.create(vertx, store, guards, config.keyHash().equals("sha256"), config.store().timeout())
                .timeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .onSuccess(c -> {
                    SecondaryLookup s = secondary;
                    if (s != null) {
                        c.secondary(s);
                    }
                    cache = c;
                    LOG.info("response cache ready: {} store{}", config.store().kind(),
                            config.store().kind().equals("memory") ? " of " + config.store().budget().bytes() + " bytes" : "");
                })
                .onFailure(e -> {
                    if (closed) {
                        return;
                    }
                    LOG.warn("response cache store ({}) not reachable: {}; requests bypass the cache, retrying in {} s",
                            config.store().kind(), e.getMessage(), RETRY_MILLIS / 1000);
                    retryTimer = vertx.setTimer(RETRY_MILLIS, id -> open());
                });
    }

    /** Upstream normalisation's outcomes ({@code normalise-upstream} routes). */
    public NormaliseCounters normalised() {
        return normalised;
    }

    /** The cache, or null while its store is not ready (requests then bypass it). */
    public ResponseCache cache() {
        return cache;
    }

    /** Where another feature plugs its answer scanner in (the basic secret check always runs first). */
    public WriteGuards writeGuards() {
        return guards;
    }

    /** Plugs in the semantic cache (or another second lookup) behind the exact one. */
    public void secondary(SecondaryLookup lookup) {
        this.secondary = lookup;
        ResponseCache c = cache;
        if (c != null) {
            c.secondary(lookup);
        }
    }

    /** The semantic cache behind this one, or null when the gateway has none. */
    public SemanticService semantic() {
        return semantic;
    }

    void semantic(SemanticService service) {
        this.semantic = service;
    }

    /** Request shapes for miss analysis and replay ({@code cache.capture}); {@link ShapeCapture#OFF} by default. */
    public ShapeCapture shapes() {
        return shapes;
    }

    /** Turns the capture of request shapes on (the gateway does this at start when configured). */
    public void shapes(ShapeCapture capture) {
        this.shapes = java.util.Objects.requireNonNull(capture, "capture");
    }

    /** Prompt-prefix statistics, or null when {@code cache.prompt-cache.prefix-stats} is 0. */
    public PrefixStats prefixStats() {
        return prefixStats;
    }

    /** Where conversations fork from prompts forwarded before ({@code fork-breakpoint} routes). */
    ForkBreakpoint forks() {
        return forks;
    }

    NearMisses nearMisses() {
        return nearMisses;
    }

    /** The top near misses (see {@link NearMisses}), for reports. */
    public List<NearMiss> nearMisses(int top) {
        return nearMisses.top(top).stream().map(r -> new NearMiss(r.org(), r.prefix(), r.model(), r.misses(),
                r.prefixTokens(), r.requestTokens(), r.coverage())).toList();
    }

    /**
     * Misses grouped by the longest prompt prefix they shared with earlier traffic.
     *
     * @param coverage share of the missed requests' tokens the prefix covered
     */
    public record NearMiss(String org, String prefix, String model, long misses, long prefixTokens, long requestTokens,
                           double coverage) {
    }

    /** Makes a scope's entries (or one namespace's) unreachable; fails when the store is not ready. */
    public Future<Long> bust(String org, String scope, String namespace) {
        ResponseCache c = cache;
        if (c == null) {
            return Future.failedFuture(new IllegalStateException("the cache store is not ready"));
        }
        return c.bust(org, scope, namespace).onSuccess(g -> shapes.busted(org, scope, namespace));
    }

    /** What the cache decided and stored so far (zeros before it is ready). */
    public CacheCounters.Counts counts() {
        ResponseCache c = cache;
        return c == null ? new CacheCounters.Counts(0, 0, 0, 0, 0, 0, 0, 0, 0) : c.counts();
    }

    /** Entries and bytes held (zeros before the store is ready). */
    public CacheStore.StoreStats storeStats() {
        CacheStore s = store;
        return s == null || cache == null ? new CacheStore.StoreStats(0, 0, 0, 0) : s.stats();
    }

    /** Answers being checked and stored right now. */
    public int storing() {
        return storing.get();
    }

    void storeStarted() {
        storing.incrementAndGet();
    }

    void storeEnded() {
        storing.decrementAndGet();
    }

    long now() {
        return clock.getAsLong();
    }

    /** Replaces the clock of prompt-prefix statistics (tests). */
    void clock(LongSupplier clock) {
        this.clock = clock;
    }

    public String storeKind() {
        return config.store().kind();
    }

    /** The store settings the gateway started with (the semantic cache shares its entries through the same Redis). */
    public CacheConfig.Store storeSettings() {
        return config.store();
    }

    @Override
    public void close() {
        closed = true;
        shapes.close();
        if (vertx != null && retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        CacheStore s = store;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the cache store: {}", e.getMessage());
            }
        }
    }
}
