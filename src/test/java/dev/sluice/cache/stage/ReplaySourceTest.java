package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.EventSink;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A replay behaves like a live source towards the responder: batches, back-pressure, cancel, one end. */
class ReplaySourceTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private static List<SseEvent> events(int n) {
        List<SseEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SseEvent.of("content_block_delta", "{\"i\":" + i + "}"));
        }
        return out;
    }

    /** Records what it gets; pauses the source after {@code pauseAfter} events if set. */
    private static final class Sink implements EventSink {
        final List<Integer> batches = new ArrayList<>();
        final CompletableFuture<Integer> ended = new CompletableFuture<>();
        final List<Thread> threads = new ArrayList<>();
        int events;
        int ends;
        ReplaySource source;
        int pauseAt = -1;

        @Override
        public void events(List<SseEvent> batch) {
            threads.add(Thread.currentThread());
            batches.add(batch.size());
            events += batch.size();
            if (pauseAt >= 0 && events >= pauseAt) {
                pauseAt = -1;
                source.pause();
            }
        }

        @Override
        public void end() {
            ends++;
            ended.complete(events);
        }

        @Override
        public void fail(ApiError error) {
            ended.completeExceptionally(error);
        }
    }

    /**
     * Reads a value on the exchange's loop two turns from now: after everything already queued there has run,
     * and whatever that queued in turn (a resumed replay's next batch), so a read sees any late delivery.
     */
    private static <T> T onLoop(Context ctx, Callable<T> read) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        ctx.runOnContext(v -> ctx.runOnContext(w -> {
            try {
                out.complete(read.call());
            } catch (Exception e) {
                out.completeExceptionally(e);
            }
        }));
        return out.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLongAnswerGoesOutInBatchesOverSeveralTurnsOfTheLoopAndEndsOnce() throws Exception {
        Sink sink = new Sink();
        ReplaySource source = new ReplaySource(events(2000));
        sink.source = source;
        Context ctx = vertx.getOrCreateContext();
        CompletableFuture<Integer> seenByOtherWork = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            source.start(sink);
            // queued behind the replay's first turn: runs before the answer is done only if the replay yields
            ctx.runOnContext(w -> seenByOtherWork.complete(sink.events));
        });
        assertThat(sink.ended.get(5, TimeUnit.SECONDS)).isEqualTo(2000);
        assertThat(seenByOtherWork.get(5, TimeUnit.SECONDS)).as("other work ran between turns").isBetween(1, 1999);
        assertThat(sink.batches).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(ReplaySource.BATCH));
        assertThat(sink.batches).hasSize((2000 + ReplaySource.BATCH - 1) / ReplaySource.BATCH);
        assertThat(sink.threads).as("always on the exchange's event loop").allSatisfy(t -> assertThat(t).isSameAs(sink.threads.getFirst()));
        assertThat(onLoop(ctx, () -> sink.ends)).as("no second end from a late turn").isEqualTo(1);
    }

    @Test
    void aPausedReplayWaitsForResumeAndACancelledOneNeverEnds() throws Exception {
        Sink sink = new Sink();
        ReplaySource source = new ReplaySource(events(300));
        sink.source = source;
        sink.pauseAt = 100;
        Context ctx = vertx.getOrCreateContext();
        ctx.runOnContext(v -> source.start(sink));
        assertThat(onLoop(ctx, () -> sink.events)).as("stopped at the batch that filled the socket").isEqualTo(128);
        assertThat(onLoop(ctx, () -> sink.events)).as("and stays stopped").isEqualTo(128);
        assertThat(sink.ended).isNotDone();
        ctx.runOnContext(v -> source.resume());
        assertThat(sink.ended.get(5, TimeUnit.SECONDS)).isEqualTo(300);

        Sink cancelled = new Sink();
        ReplaySource other = new ReplaySource(events(300));
        cancelled.source = other;
        cancelled.pauseAt = 1;
        ctx.runOnContext(v -> {
            other.start(cancelled);
            other.cancel();
            other.resume();
        });
        assertThat(onLoop(ctx, () -> cancelled.events)).as("nothing after the cancel").isEqualTo(ReplaySource.BATCH);
        assertThat(cancelled.ended).isNotDone();
        assertThat(other.live()).as("a replay is never idle: no pings, no idle timeout").isFalse();
    }
}
