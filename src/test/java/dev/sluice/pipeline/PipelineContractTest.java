package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's own contract, without HTTP: hook order, symmetry when a stage stops or answers the
 * request, asynchronous stages, attempts ending exactly once, and event rewriting.
 */
class PipelineContractTest {
    private final List<String> calls = new ArrayList<>();

    /** A stage that records every hook it sees as "name.hook". */
    private class Recorder implements Stage {
        final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Future<Void> onRequest(Exchange ex) {
            calls.add(name + ".request");
            return CONTINUE;
        }

        @Override
        public void onAttempt(Exchange ex, Attempt attempt) {
            calls.add(name + ".attempt" + attempt.number());
        }

        @Override
        public void onAttemptEnd(Exchange ex, Attempt attempt) {
            calls.add(name + ".attemptEnd" + attempt.number());
        }

        @Override
        public void onResponse(Exchange ex) {
            calls.add(name + ".response");
        }

        @Override
        public void onComplete(Exchange ex) {
            calls.add(name + ".complete");
        }
    }

    /** A forwarder that makes {@code n} attempts (all but the last fail before committing) and answers with the last. */
    private Forwarder attempts(int n) {
        return (ex, pipeline) -> {
            for (int i = 1; i <= n; i++) {
                Attempt a = ex.newAttempt(new Target("up", "anthropic", "m"));
                pipeline.attemptStarted(ex, a);
                if (i < n) {
                    a.fail(Attempt.Failure.STATUS, 529, "overloaded_error");
                }
                pipeline.attemptEnded(ex, a);
            }
            return pipeline.responder().respond(ex, pipeline, new Response.Whole(200, MultiMap.caseInsensitiveMultiMap(),
                    Buffer.buffer("{}")));
        };
    }

    /** A responder that runs the response hooks (as the real one does) and remembers failures. */
    private final Responder responder = new Responder() {
        @Override
        public Future<Void> respond(Exchange ex, Pipeline pipeline, Response response) {
            pipeline.response(ex);
            calls.add("responder.write " + response.status());
            return Future.succeededFuture();
        }

        @Override
        public void fail(Exchange ex, Throwable cause) {
            calls.add("responder.fail " + (cause instanceof ApiError a ? a.status() : cause.getClass().getSimpleName()));
        }
    };

    @Test
    void hooksRunInOrderAndTheirMirrorsInReverse() {
        Pipeline p = new Pipeline(List.of(new Recorder("a"), new Recorder("b"), new Recorder("c")), attempts(2), responder);
        p.run(exchange());
        assertThat(calls).containsExactly(
                "a.request", "b.request", "c.request",
                "a.attempt1", "b.attempt1", "c.attempt1", "c.attemptEnd1", "b.attemptEnd1", "a.attemptEnd1",
                "a.attempt2", "b.attempt2", "c.attempt2", "c.attemptEnd2", "b.attemptEnd2", "a.attemptEnd2",
                "c.response", "b.response", "a.response", "responder.write 200",
                "c.complete", "b.complete", "a.complete");
    }

    @Test
    void aStageThatAnswersStillLetsTheStagesBeforeItFinishAndSkipsTheRest() {
        Stage answering = new Recorder("b") {
            @Override
            public Future<Void> onRequest(Exchange ex) {
                calls.add("b.request");
                ex.answer(new Response.Whole(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("{\"cached\":true}")));
                return CONTINUE;
            }
        };
        Pipeline p = new Pipeline(List.of(new Recorder("a"), answering, new Recorder("c")), attempts(1), responder);
        Exchange ex = exchange();
        p.run(ex);
        assertThat(calls).containsExactly("a.request", "b.request", "b.response", "a.response", "responder.write 200",
                "b.complete", "a.complete");
        assertThat(ex.attempts()).isEmpty();
    }

    @Test
    void aStageThatFailsIsSymmetricToOneThatAnswers() {
        Stage refusing = new Recorder("b") {
            @Override
            public Future<Void> onRequest(Exchange ex) {
                calls.add("b.request");
                throw new ApiError(429, "billing_error", "over budget");
            }
        };
        Pipeline p = new Pipeline(List.of(new Recorder("a"), refusing, new Recorder("c")), attempts(1), responder);
        p.run(exchange());
        assertThat(calls).containsExactly("a.request", "b.request", "responder.fail 429", "b.complete", "a.complete");
    }

    @Test
    void anAsynchronousStageHoldsTheRestUntilItCompletes() {
        Promise<Void> later = Promise.promise();
        Stage async = new Recorder("b") {
            @Override
            public Future<Void> onRequest(Exchange ex) {
                calls.add("b.request");
                return later.future();
            }
        };
        Pipeline p = new Pipeline(List.of(new Recorder("a"), async, new Recorder("c")), attempts(1), responder);
        p.run(exchange());
        assertThat(calls).containsExactly("a.request", "b.request");
        later.complete();
        assertThat(calls).containsSubsequence("b.request", "c.request", "c.attempt1", "responder.write 200", "a.complete");
    }

    @Test
    void anAttemptLeftOpenByAFailureIsEndedOnceWhenTheExchangeEnds() {
        Forwarder forgetful = (ex, pipeline) -> {
            Attempt a = ex.newAttempt(new Target("up", "anthropic", "m"));
            pipeline.attemptStarted(ex, a);
            return Future.failedFuture(ApiError.badGateway("lost"));
        };
        Pipeline p = new Pipeline(List.of(new Recorder("a")), forgetful, responder);
        Exchange ex = exchange();
        p.run(ex);
        assertThat(calls).containsExactly("a.request", "a.attempt1", "responder.fail 502", "a.attemptEnd1", "a.complete");
        // Ending again (a late upstream callback) runs no hook twice.
        p.attemptEnded(ex, ex.attempts().getFirst());
        assertThat(calls).filteredOn(c -> c.equals("a.attemptEnd1")).hasSize(1);
        assertThat(ex.attempts().getFirst().errorType()).isEqualTo("api_error");
    }

    @Test
    void eventsPassUnchangedUnlessAStageChangesOrDropsThem() {
        Stage dropPings = new Recorder("drop") {
            @Override
            public SseEvent onEvent(Exchange ex, SseEvent e) {
                return e.type().equals("ping") ? null : e;
            }
        };
        Stage upper = new Recorder("upper") {
            @Override
            public SseEvent onEvent(Exchange ex, SseEvent e) {
                return e.type().equals("content_block_delta") ? SseEvent.of(e.type(), e.data().toUpperCase()) : e;
            }
        };
        SseEvent start = SseEvent.of("message_start", "{}");
        SseEvent ping = SseEvent.of("ping", "{}");
        SseEvent delta = SseEvent.of("content_block_delta", "{\"text\":\"hi\"}");
        Exchange ex = exchange();

        Pipeline passThrough = new Pipeline(List.of(new Recorder("a")), attempts(1), responder);
        passThrough.run(ex);
        List<SseEvent> batch = List.of(start, ping, delta);
        assertThat(passThrough.events(ex, batch)).isSameAs(batch);

        Pipeline rewriting = new Pipeline(List.of(dropPings, upper), attempts(1), responder);
        Exchange ex2 = exchange();
        rewriting.run(ex2);
        List<SseEvent> out = rewriting.events(ex2, batch);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isSameAs(start);
        assertThat(out.get(1).data()).isEqualTo("{\"TEXT\":\"HI\"}");
    }

    @Test
    void aStageThatThrowsInALaterHookCostsOnlyItsOwnWork() {
        Stage broken = new Recorder("broken") {
            @Override
            public void onAttemptEnd(Exchange ex, Attempt attempt) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void onComplete(Exchange ex) {
                throw new IllegalStateException("bug");
            }
        };
        Pipeline p = new Pipeline(List.of(new Recorder("a"), broken), attempts(1), responder);
        p.run(exchange());
        assertThat(calls).contains("a.attemptEnd1", "responder.write 200", "a.complete");
    }

    private static Exchange exchange() {
        HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(PipelineContractTest.class.getClassLoader(),
                new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> null;
                    case "toString" -> "request";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return new Exchange(RequestIds.next(), System.nanoTime(), request, Operation.MESSAGES, "POST /v1/messages",
                AnthropicProtocol.INSTANCE, Snapshot.of(SluiceConfig.defaults(), List.of()));
    }
}
