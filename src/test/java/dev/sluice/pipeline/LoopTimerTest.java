package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A loop timer's action runs on the context that set it, dispatched on it, and never once cancelled. */
class LoopTimerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void firesOnTheContextThatSetIt() throws Exception {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Boolean> onContext = new CompletableFuture<>();
        long[] started = new long[1];
        context.runOnContext(v -> {
            started[0] = System.nanoTime();
            LoopTimer.start(context, 50, () -> onContext.complete(Vertx.currentContext() == context));
        });
        assertThat(onContext.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aCancelledTimerNeverRuns() throws Exception {
        Context context = vertx.getOrCreateContext();
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<Void> later = new CompletableFuture<>();
        context.runOnContext(v -> {
            LoopTimer t = LoopTimer.start(context, 30, ran::incrementAndGet);
            t.cancel();
            LoopTimer.start(context, 200, () -> later.complete(null)); // long after the cancelled one was due
        });
        later.get(5, TimeUnit.SECONDS);
        assertThat(ran.get()).isZero();
    }
}
