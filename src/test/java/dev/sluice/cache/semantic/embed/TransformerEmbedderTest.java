package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Where the transformer runs: the worker for queued jobs, the caller for {@code sumsHere} on an idle model. */
class TransformerEmbedderTest {
    private static MiniLmModel model;

    @BeforeAll
    static void load() {
        model = MiniLmModel.load(1);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[][] rows(String text) {
        int[] ids = new int[64];
        int n = model.tokenizer().encode(text, ids, 62);
        int[] row = new int[n + 2];
        row[0] = WordPiece.CLS;
        System.arraycopy(ids, 0, row, 1, n);
        row[n + 1] = WordPiece.SEP;
        return new int[][] {row};
    }

    @Test
    void sumsHereRunsOnAnIdleModelOnTheCallingThread_withTheWorkersResult() {
        TransformerEmbedder t = new TransformerEmbedder(model, 256, 1, 16, 64);
        try {
            int[][] rows = rows("Where is the session cookie signed before it goes back to the browser?");
            CompletableFuture<float[][]> here = t.sumsHere(rows).toCompletableFuture();
            assertThat(here).as("complete on return: it ran on this thread").isDone();
            assertThat(t.inlineRuns()).isEqualTo(1);
            float[][] queued = t.sums(rows).toCompletableFuture().join();
            assertThat(here.join()[0]).containsExactly(queued[0]);
            assertThat(t.inlineRuns()).isEqualTo(1);
        } finally {
            t.close();
        }
    }

    @Test
    void sumsHereOnAnEventLoopQueuesForTheWorker() {
        TransformerEmbedder t = new TransformerEmbedder(model, 256, 1, 16, 64);
        Vertx vertx = Vertx.vertx();
        try {
            int[][] rows = rows("How are sessions expired?");
            Promise<float[][]> result = Promise.promise();
            vertx.runOnContext(v -> {
                assertThat(Context.isOnEventLoopThread()).isTrue();
                t.sumsHere(rows).whenComplete((s, e) -> result.complete(s));
            });
            float[][] sums = result.future().await();
            // The counter moves only when the caller's own thread ran the model; the worker computed these.
            assertThat(t.inlineRuns()).isZero();
            assertThat(sums[0]).containsExactly(t.sums(rows).toCompletableFuture().join()[0]);
        } finally {
            vertx.close().await();
            t.close();
        }
    }

    @Test
    void afterCloseSumsHereRefuses_andTheModelMayBeClosed() {
        TransformerEmbedder t = new TransformerEmbedder(model, 256, 1, 16, 64);
        t.close();
        assertThat(t.stopped()).isTrue();
        CompletableFuture<float[][]> refused = t.sumsHere(rows("Why does the login page loop?")).toCompletableFuture();
        assertThatThrownBy(refused::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(t.inlineRuns()).isZero();
    }
}
