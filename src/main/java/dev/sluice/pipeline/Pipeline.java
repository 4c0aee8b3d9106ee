package dev.sluice.pipeline;

import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an exchange through the stages and the forwarder. The stage list is fixed at start; the
 * number of stages whose request hook ran is kept per exchange, so that the completion hooks run,
 * in reverse, for exactly those stages.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Exchange.Key<Integer> ENTERED = new Exchange.Key<>("stages-entered", Integer.class);

    private final List<Stage> stages;
    private final Forwarder forwarder;
    private final Replies replies;

    public Pipeline(List<Stage> stages, Forwarder forwarder, Replies replies) {
        this.stages = List.copyOf(stages);
        this.forwarder = forwarder;
        this.replies = replies;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Takes the exchange from authentication to its last byte and its completion hooks. */
    public void run(Exchange ex) {
        Future<Void> done;
        try {
            done = before(ex, 0).compose(v -> ex.answered() ? Stage.CONTINUE : forwarder.forward(ex, this));
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        done.onComplete(ar -> {
            if (ar.failed()) {
                replies.fail(ex, ar.cause());
            }
            ex.markEnd();
            complete(ex);
        });
    }

    private Future<Void> before(Exchange ex, int from) {
        for (int i = from; i < stages.size(); i++) {
            ex.put(ENTERED, i + 1);
            Stage stage = stages.get(i);
            long t0 = System.nanoTime();
            Future<Void> f;
            try {
                f = stage.onRequest(ex);
            } catch (RuntimeException e) {
                ex.mark(stage.name(), t0, System.nanoTime(), e.getMessage());
                return Future.failedFuture(e);
            }
            if (!f.isComplete()) {
                int next = i + 1;
                return f.andThen(ar -> ex.mark(stage.name(), t0, System.nanoTime(), ar.failed() ? ar.cause().getMessage() : null))
                        .compose(v -> ex.answered() ? Stage.CONTINUE : before(ex, next));
            }
            ex.mark(stage.name(), t0, System.nanoTime(), f.failed() ? f.cause().getMessage() : null);
            if (f.failed() || ex.answered()) {
                return f;
            }
        }
        return Stage.CONTINUE;
    }

    /** Response hooks, in reverse order, before the client sees the status line. */
    public void response(Exchange ex) {
        for (int i = entered(ex) - 1; i >= 0; i--) {
            Stage s = stages.get(i);
            try {
                s.onResponse(ex);
            } catch (RuntimeException e) {
                // A stage's bug costs its own header, never the client's answer.
                LOG.error("stage {} failed on the response of request {}", s.name(), ex.requestId(), e);
            }
        }
    }

    /** Stream hooks, in order, for one upstream event. */
    public void event(Exchange ex, SseEvent event) {
        int n = entered(ex);
        for (int i = 0; i < n; i++) {
            Stage s = stages.get(i);
            try {
                s.onEvent(ex, event);
            } catch (RuntimeException e) {
                LOG.error("stage {} failed on an event of request {}", s.name(), ex.requestId(), e);
            }
        }
    }

    private void complete(Exchange ex) {
        for (int i = entered(ex) - 1; i >= 0; i--) {
            Stage s = stages.get(i);
            try {
                s.onComplete(ex);
            } catch (RuntimeException e) {
                // One stage's bug must not stop the others from settling (the ledger is among them).
                LOG.error("stage {} failed to complete request {}", s.name(), ex.requestId(), e);
            }
        }
    }

    private static int entered(Exchange ex) {
        Integer n = ex.get(ENTERED);
        return n == null ? 0 : n;
    }
}
