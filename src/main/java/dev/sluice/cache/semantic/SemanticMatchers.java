package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.embed.Embedder;
import dev.sluice.cache.semantic.embed.MiniLmModel;
import dev.sluice.cache.semantic.embed.StaticEmbedder;
import dev.sluice.cache.semantic.embed.StaticTable;
import dev.sluice.cache.semantic.embed.TokenWeights;
import dev.sluice.cache.semantic.embed.TransformerEmbedder;
import dev.sluice.cache.semantic.embed.WindowCache;
import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.index.IndexRegistry;
import dev.sluice.cache.semantic.learn.ShadowLog;
import dev.sluice.cache.semantic.learn.ThresholdLearner;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Builds the default matcher from the shipped model: static MiniLM vectors for retrieval, the
 * MiniLM transformer for verification (the combination that met both the zero-wrong-answer and the
 * recall targets on the labelled set), a two-thread lookup pool, and the learner.
 */
public final class SemanticMatchers implements AutoCloseable {
    /** Transformer input cap: the sentence model was trained on up to 256 pieces. */
    public static final int TRANSFORMER_MAX_TOKENS = 256;
    /**
     * Heap for cached transformer window vectors (about 1.7 KB a window: at 64 MB some 38,000 windows, the windows
     * of roughly 4,800 200-word questions). Every new question fills it, so it is always full on a busy gateway: a
     * sixteenth of the heap, from 4 MB to 64 MB (24 MB at the 384 MB heap the semantic cache is run with, where a fixed
     * 64 MB beside the model, the indexes and the response cache left the heap full). Not a setting yet (cache.stage
     * owns the configuration).
     */
    public static final long WINDOW_CACHE_BYTES = windowCacheBytes(Runtime.getRuntime().maxMemory());

    static long windowCacheBytes(long maxHeapBytes) {
        return Math.clamp(maxHeapBytes / 16, 4L << 20, 64L << 20);
    }

    private final MiniLmModel model;
    private final Embedder retrieval;
    private final Embedder verifier;
    private final WindowedVerifier windowed;
    private final ExecutorService executor;

    private SemanticMatchers(MiniLmModel model, Embedder retrieval, TransformerEmbedder verifier, ExecutorService executor) {
        this.model = model;
        this.retrieval = retrieval;
        this.verifier = verifier;
        this.windowed = new WindowedVerifier(verifier, new WindowCache(WINDOW_CACHE_BYTES));
        this.executor = executor;
    }

    /**
     * Opens the model and the static table (built into {@code cacheDir} on first start, a few seconds
     * on 2 cores; blocking: call it from a worker thread at startup). Nothing is downloaded; ONNX
     * Runtime extracts its native library into {@code java.io.tmpdir}, which must be writable.
     */
    public static SemanticMatchers open(Path cacheDir, int modelThreads) {
        return open(cacheDir, modelThreads, 4096);
    }

    /**
     * As {@link #open(Path, int)}, with at most {@code queue} lookups and stores waiting for the two lookup
     * threads: past that a lookup is refused at once (a miss), so a burst never builds an unbounded backlog.
     */
    public static SemanticMatchers open(Path cacheDir, int modelThreads, int queue) {
        MiniLmModel model = MiniLmModel.load(modelThreads);
        StaticTable table = StaticTable.loadOrBuild(cacheDir, model);
        Embedder retrieval = new StaticEmbedder(model.tokenizer(), table,
                TokenWeights.zipf(model.tokenizer(), 100f, Set.of()), StaticEmbedder.DEFAULT_MAX_TOKENS);
        TransformerEmbedder verifier = new TransformerEmbedder(model, TRANSFORMER_MAX_TOKENS, 1, 16, 256);
        ExecutorService executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                Thread.ofPlatform().daemon().name("sluice-semantic-", 0).factory(), new ThreadPoolExecutor.AbortPolicy());
        return new SemanticMatchers(model, retrieval, verifier, executor);
    }

    public Embedder retrieval() {
        return retrieval;
    }

    /** The transformer on the whole text (answer comparisons, and the benchmarks' reference). */
    public Embedder verifier() {
        return verifier;
    }

    /** The windowed transformer the default (hybrid) matcher verifies with; shares the transformer's worker. */
    public WindowedVerifier windowed() {
        return windowed;
    }

    public ExecutorService executor() {
        return executor;
    }

    /** The default (hybrid) matcher, local only (pass a Redis loader/listener for several replicas). */
    public SemanticMatcher matcher(SemanticSettings settings, IndexLoader loader, StoreListener listener) {
        return matcher(EmbeddingChoice.HYBRID, settings, loader, listener);
    }

    /** A matcher on the chosen embeddings; {@code settings} should start from {@link EmbeddingChoice#defaults()}. */
    public SemanticMatcher matcher(EmbeddingChoice choice, SemanticSettings settings, IndexLoader loader, StoreListener listener) {
        Embedder search = choice == EmbeddingChoice.TRANSFORMER ? verifier : retrieval;
        Embedder verify = choice == EmbeddingChoice.HYBRID ? windowed : null;
        return matcher(search, verify, settings, loader, listener);
    }

    /**
     * A matcher on any embedders, e.g. a {@link dev.sluice.cache.semantic.embed.RemoteEmbedder} as
     * {@code search} with no verifier. Its thresholds must be chosen for that model (run
     * SemanticEvalBench against it): similarities are not comparable across models.
     */
    public SemanticMatcher matcher(Embedder search, Embedder verify, SemanticSettings settings, IndexLoader loader,
                                   StoreListener listener) {
        IndexRegistry registry = new IndexRegistry(search.dimensions(), settings.hnswAbove(),
                settings.maxEntriesPerIndex(), settings.maxIndexBytes());
        ThresholdLearner learner = new ThresholdLearner(settings.threshold(), settings.thresholdFloor(),
                settings.errorBound(), 1_000_000);
        return new SemanticMatcher(settings, search, verify, registry, learner, new ShadowLog(10_000), executor,
                System::currentTimeMillis, loader, listener);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        verifier.close();
        // Closing the native session under an inference still running crashes the JVM: leak it instead.
        if (!(verifier instanceof TransformerEmbedder t) || t.stopped()) {
            model.close();
        }
    }
}
