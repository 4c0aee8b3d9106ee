package dev.sluice.cache.semantic.embed;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The full MiniLM transformer (mean-pooled last hidden state, as sentence-transformers does it),
 * run by a few daemon worker threads that each take whatever requests are queued, up to
 * {@code maxBatch}, and embed them in one ONNX call. The queue is bounded: when it is full the
 * request fails at once (the cache counts it as a miss) instead of piling up latency.
 * Futures complete on a worker thread; a Vert.x caller hops back to its context.
 * {@link #sumsHere} lets a caller that is already off the event loop run an idle model itself.
 * One inference runs at a time either way ({@code running}): two at once on two cores only slow
 * each other down, and what waits meanwhile is batched by the worker.
 */
public final class TransformerEmbedder implements Embedder {
    public static final String ID = "minilm-l6-v2-q";

    private final MiniLmModel model;
    private final int maxTokens;
    private final int maxBatch;
    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    /** Held by whoever runs the model (a worker or a {@link #sumsHere} caller); held for good once closed. */
    private final ReentrantLock running = new ReentrantLock();
    private final LongAdder inlineRuns = new LongAdder();
    private volatile boolean closed;
    private volatile boolean drained;

    /** Rows of token ids ([CLS] .. [SEP]) and the future of their pooled sums, in order. */
    private record Job(int[][] rows, CompletableFuture<float[][]> result) {
    }

    public TransformerEmbedder(MiniLmModel model, int maxTokens, int workerThreads, int maxBatch, int queueCapacity) {
        this.model = Objects.requireNonNull(model, "model");
        if (maxTokens < 1 || maxTokens > MiniLmModel.MAX_POSITIONS - 2) {
            throw new IllegalArgumentException("maxTokens: " + maxTokens + " (expected: 1.." + (MiniLmModel.MAX_POSITIONS - 2) + ")");
        }
        if (workerThreads < 1 || maxBatch < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workerThreads, maxBatch, queueCapacity must be >= 1");
        }
        this.maxTokens = maxTokens;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        for (int i = 0; i < workerThreads; i++) {
            Thread t = Thread.ofPlatform().daemon().name("sluice-embed-" + i).start(this::work);
            workers.add(t);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimensions() {
        return MiniLmModel.DIMENSIONS;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public CompletionStage<Optional<float[]>> embed(String text) {
        Objects.requireNonNull(text, "text");
        int[] buffer = new int[maxTokens + 2];
        int n = model.tokenizer().encode(text, buffer, maxTokens);
        if (n < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        int[] row = new int[n + 2];
        row[0] = WordPiece.CLS;
        System.arraycopy(buffer, 0, row, 1, n);
        row[n + 1] = WordPiece.SEP;
        return sums(new int[][] {row}).thenApply(s -> Optional.of(Vectors.normalize(s[0])));
    }

    /**
     * The sums of the last hidden state over each row's positions (not normalised: a caller composes
     * windows by adding them), all rows in one ONNX run with whatever else is queued. Each row holds
     * [CLS] and [SEP] and at most {@link MiniLmModel#MAX_POSITIONS} ids. Fails at once when the queue is full.
     */
    public CompletionStage<float[][]> sums(int[][] rows) {
        CompletableFuture<float[][]> result = new CompletableFuture<>();
        if (closed || !queue.offer(new Job(rows, result))) {
            result.completeExceptionally(new RejectedExecutionException("embedding queue full or closed"));
        }
        return result;
    }

    /**
     * As {@link #sums}, but when nothing is queued and the model is idle the rows run on the calling
     * thread and the result is complete on return. A lookup already on a thread of its own (the
     * matcher's executor) so saves the hand-off to the worker and back: two wake-ups, each of which
     * waits for a time slice when the cores are busy. Never inline on a Vert.x event loop (there it
     * queues, as {@link #sums}); callers must otherwise be threads that may block for an inference.
     */
    public CompletionStage<float[][]> sumsHere(int[][] rows) {
        if (closed || Context.isOnEventLoopThread() || !queue.isEmpty() || !running.tryLock()) {
            return sums(rows);
        }
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new RejectedExecutionException("embedder closed"));
            }
            inlineRuns.increment();
            return CompletableFuture.completedFuture(pooledSums(rows));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            running.unlock();
        }
    }

    /** How many {@link #sumsHere} calls ran on their caller's thread since start. */
    public long inlineRuns() {
        return inlineRuns.sum();
    }

    public WordPiece tokenizer() {
        return model.tokenizer();
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Job> batch) {
        int total = 0;
        for (Job job : batch) {
            total += job.rows().length;
        }
        int[][] rows = new int[total][];
        int at = 0;
        for (Job job : batch) {
            for (int[] row : job.rows()) {
                rows[at++] = row;
            }
        }
        float[][] sums;
        running.lock();
        try {
            sums = pooledSums(rows);
        } catch (RuntimeException e) {
            batch.forEach(job -> job.result().completeExceptionally(e));
            return;
        } finally {
            running.unlock();
        }
        // Completed after unlocking: the callers' continuations run here, and the model is free for them meanwhile.
        at = 0;
        for (Job job : batch) {
            job.result().complete(java.util.Arrays.copyOfRange(sums, at, at + job.rows().length));
            at += job.rows().length;
        }
    }

    /**
     * Each row's pooled sum; the caller holds {@code running}. Runs the rows in groups of similar length:
     * ONNX pads a run to its longest row, and windows of uneven length padded to the longest cost about twice
     * their tokens (measured with windows of 16 to 79 tokens: a 200-word text as eight windows in one padded
     * run was slower than the whole text). Rows sorted by length are cut into runs whose padding adds at most
     * a quarter.
     */
    private float[][] pooledSums(int[][] rows) {
        if (rows.length == 1) {
            return model.pooledSums(rows);
        }
        Integer[] order = new Integer[rows.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> rows[i].length));
        float[][] out = new float[rows.length][];
        int from = 0;
        long sum = 0;
        for (int k = 0; k <= order.length; k++) {
            boolean end = k == order.length;
            if (!end) {
                int len = rows[order[k]].length;
                if (k == from || (long) (k - from + 1) * len * 4 <= (sum + len) * 5) {
                    sum += len;
                    continue;
                }
            }
            int[][] group = new int[k - from][];
            for (int g = 0; g < group.length; g++) {
                group[g] = rows[order[from + g]];
            }
            float[][] sums = model.pooledSums(group);
            for (int g = 0; g < group.length; g++) {
                out[order[from + g]] = sums[g];
            }
            if (!end) {
                from = k;
                sum = rows[order[k]].length;
            }
        }
        return out;
    }

    /** Mean over the row's real positions ([CLS] and [SEP] included, as the sentence model was trained). */
    static float[] meanPool(float[][] states, int length) {
        return Vectors.normalize(sum(states, length));
    }

    /** The sum over the row's real positions: mean pooling before the (scale-free) normalisation. */
    static float[] sum(float[][] states, int length) {
        float[] v = new float[states[0].length];
        for (int p = 0; p < length; p++) {
            float[] s = states[p];
            for (int d = 0; d < v.length; d++) {
                v[d] += s[d];
            }
        }
        return v;
    }

    /**
     * Stops the workers and waits (up to five seconds) for a batch or an inline run in flight to end: the model's
     * native session must not be closed under a running inference (that crashes the process). See {@link #stopped()}.
     */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        Job job;
        while ((job = queue.poll()) != null) {
            job.result().completeExceptionally(new RejectedExecutionException("embedder closed"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (Thread t : workers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            // Taken and never released: an inline caller that won the lock before us has finished, and any
            // later one sees the lock held (or, having won it, sees closed) and does not touch the model.
            drained = running.tryLock(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once every worker has ended and no inline run is in flight, so the model under it may be closed. */
    public boolean stopped() {
        return drained && workers.stream().noneMatch(Thread::isAlive);
    }
}
