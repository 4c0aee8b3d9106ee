package dev.sluice.pipeline;

import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an exchange through the stages, then either answers it from a stage's own response or
 * hands it to the forwarder, which makes the upstream attempts. The stage list is fixed at start;
 * how many stages were entered is kept per exchange, so every later hook runs for exactly those.
 *
 * <p>A stage's failure inside a response, event, attempt or completion hook is logged and costs
 * that stage's own work, never the client's answer nor another stage's hook (the ledger is one).
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Exchange.Key<Integer> ENTERED = new Exchange.Key<>("stages-entered", Integer.class);

    private final Stage[] stages;
    /** For each stage, whether it looks at events at all: most do not, and a stream has many events. */
    private final boolean[] seesEvents;
    private final Forwarder forwarder;
    private final Responder responder;

    public Pipeline(List<Stage> stages, Forwarder forwarder, Responder responder) {
        this.stages = stages.toArray(Stage[]::new);
        this.seesEvents = new boolean[this.stages.length];
        for (int i = 0; i < this.stages.length; i++) {
            seesEvents[i] = overrides(this.stages[i], "onEvent", Exchange.class, SseEvent.class);
        }
        this.forwarder = forwarder;
        this.responder = responder;
    }

    private static boolean overrides(Stage stage, String method, Class<?>... params) {
        try {
            return stage.getClass().getMethod(method, params).getDeclaringClass() != Stage.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    public List<Stage> stages() {
        return List.of(stages);
    }

    public Responder responder() {
        return responder;
    }

    /**
     * Takes the exchange from its first stage to its last byte and its completion hooks; the future completes after
     * those hooks (a graceful stop waits for it, so every ledger record is in before the ledger closes).
     */
    public Future<Void> run(Exchange ex) {
        Future<Void> done;
        try {
            done = before(ex, 0).compose(v -> ex.answered()
                    ? responder.respond(ex, this, ex.answer())
                    : forwarder.forward(ex, this));
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        return done.transform(ar -> {
            if (ar.failed()) {
                responder.fail(ex, ar.cause());
                if (ex.errorType() == null) {
                    ex.errorType(ar.cause() instanceof dev.sluice.wire.ApiError a ? a.type() : "api_error");
                }
            }
            endAttempts(ex);
            ex.markEnd();
            complete(ex);
            return Future.<Void>succeededFuture();
        });
    }

    private Future<Void> before(Exchange ex, int from) {
        for (int i = from; i < stages.length; i++) {
            ex.put(ENTERED, i + 1);
            Stage stage = stages[i];
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

    /** Attempt hooks, in order, before the attempt is sent. */
    public void attemptStarted(Exchange ex, Attempt a) {
        int n = entered(ex);
        for (int i = 0; i < n; i++) {
            try {
                stages[i].onAttempt(ex, a);
            } catch (RuntimeException e) {
                LOG.error("stage {} failed on attempt {} of request {}", stages[i].name(), a.number(), ex.requestId(), e);
            }
        }
    }

    /** Attempt end hooks, in reverse order, exactly once per attempt. */
    public void attemptEnded(Exchange ex, Attempt a) {
        if (!a.end()) {
            return;
        }
        ex.mark("upstream attempt " + a.number(), a.startNanos(), System.nanoTime(), a.target().upstream() + " status "
                + a.status() + (a.errorType() == null ? "" : " " + a.errorType()));
        for (int i = entered(ex) - 1; i >= 0; i--) {
            try {
                stages[i].onAttemptEnd(ex, a);
            } catch (RuntimeException e) {
                LOG.error("stage {} failed to end attempt {} of request {}", stages[i].name(), a.number(), ex.requestId(), e);
            }
        }
    }

    /** Response hooks, in reverse order, before the client sees the status line. */
    public void response(Exchange ex) {
        for (int i = entered(ex) - 1; i >= 0; i--) {
            try {
                stages[i].onResponse(ex);
            } catch (RuntimeException e) {
                LOG.error("stage {} failed on the response of request {}", stages[i].name(), ex.requestId(), e);
            }
        }
    }

    /**
     * Event hooks, in order, for a batch of canonical events. Returns the batch itself when no stage
     * changed anything, so unchanged events go out as the source's exact bytes.
     */
    public List<SseEvent> events(Exchange ex, List<SseEvent> batch) {
        int n = entered(ex);
        List<SseEvent> out = batch;
        for (int k = 0; k < batch.size(); k++) {
            SseEvent original = batch.get(k);
            SseEvent e = original;
            for (int i = 0; i < n && e != null; i++) {
                if (seesEvents[i]) {
                    e = event(ex, stages[i], e);
                }
            }
            if (e != original && out == batch) {
                out = new ArrayList<>(batch.subList(0, k));
            }
            if (out != batch && e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private SseEvent event(Exchange ex, Stage stage, SseEvent e) {
        try {
            return stage.onEvent(ex, e);
        } catch (RuntimeException failure) {
            LOG.error("stage {} failed on an event of request {}", stage.name(), ex.requestId(), failure);
            return e;
        }
    }

    /** Any attempt still open when the exchange ends (the client left in cancel mode, a failure) is ended now. */
    private void endAttempts(Exchange ex) {
        for (Attempt a : ex.attempts()) {
            if (!a.ended()) {
                if (a.errorType() == null && ex.errorType() != null) {
                    a.errorType(ex.errorType());
                }
                attemptEnded(ex, a);
            }
        }
    }

    private void complete(Exchange ex) {
        for (int i = entered(ex) - 1; i >= 0; i--) {
            try {
                stages[i].onComplete(ex);
            } catch (RuntimeException e) {
                // One stage's bug must not stop the others from settling.
                LOG.error("stage {} failed to complete request {}", stages[i].name(), ex.requestId(), e);
            }
        }
    }

    private static int entered(Exchange ex) {
        Integer n = ex.get(ENTERED);
        return n == null ? 0 : n;
    }
}
