package dev.sluice.upstream;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.LoopTimer;
import dev.sluice.pipeline.Forwarder;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Response;
import dev.sluice.pipeline.Target;
import dev.sluice.respond.StreamSettings;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.UpstreamErrors;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an exchange's upstream attempts, one per event loop. For each attempt: pick the target (the
 * plan) and a credential, run the attempt hooks, have the provider build the request, send it, and
 * wait for the head with the body not yet consumed. Then decide, before any byte reaches the client:
 *
 * <ul>
 *   <li>a connection failure, a first-byte timeout, a retryable status (the plan decides which), a
 *       stream whose first event is an error, or a 2xx in the other shape than the client asked for (a
 *       stream for a whole answer, or the reverse): end this attempt and ask the plan for the next;</li>
 *   <li>anything else is committed: a stream is handed to the responder as a {@link LiveSource}; a
 *       whole body is read (bounded), the attempt ended (priced and recorded), then the responder
 *       writes it.</li>
 * </ul>
 * When the plan gives up, the last failure is the answer: the upstream's own error if it sent one,
 * else the gateway's 502/504.
 */
public final class AttemptLoop implements Forwarder {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptLoop.class);

    private final Vertx vertx;
    private final UpstreamClients clients;
    private final Map<String, UpstreamProtocol> protocols;

    public AttemptLoop(Vertx vertx, Map<String, UpstreamProtocol> protocols) {
        this.vertx = vertx;
        this.clients = new UpstreamClients(vertx);
        this.protocols = Map.copyOf(protocols);
    }

    @Override
    public Future<Void> forward(Exchange ex, Pipeline pipeline) {
        Run run = new Run(ex, pipeline);
        ex.response().closeHandler(v -> run.clientLeft());
        run.attempt(ex.plan().first());
        return run.done.future();
    }

    /** One exchange's attempts. */
    private final class Run {
        final Exchange ex;
        final Pipeline pipeline;
        final Upstreams upstreams;
        final Promise<Void> done = Promise.promise();
        HttpClientRequest current;
        /** The credential values the current attempt sent, kept out of the error body relayed to the client. */
        List<byte[]> sentSecrets = List.of();

        Run(Exchange ex, Pipeline pipeline) {
            this.ex = ex;
            this.pipeline = pipeline;
            this.upstreams = ex.snapshot().get(Upstreams.PART);
        }

        /** The plan's first-byte limit for this attempt, never above the configured timeout. */
        long firstByteMillis(Attempt a) {
            long plan = ex.plan().firstByteMillis(a);
            return plan > 0 ? Math.min(plan, upstreams.firstByteMillis()) : upstreams.firstByteMillis();
        }

        void clientLeft() {
            if (ex.response().ended()) {
                return;
            }
            ex.markClientGone();
            if (!ex.snapshot().get(StreamSettings.PART).drainOnDisconnect() && current != null) {
                current.reset();
            }
        }

        void attempt(Target target) {
            UpstreamSpec spec = upstreams.get(target.upstream());
            UpstreamProtocol protocol = spec == null ? null : protocols.get(spec.provider());
            if (protocol == null) {
                done.fail(ApiError.internal("No upstream '" + target.upstream() + "' with a known provider on this gateway"));
                return;
            }
            Attempt a = ex.newAttempt(target);
            UpstreamKey key = key(spec, a);
            a.upstreamKeyAlias(key == null ? null : key.alias());
            pipeline.attemptStarted(ex, a);
            Future<OutboundRequest> prepared;
            ApiError refused = ThreadHolders.refusal(ex, spec);
            try {
                prepared = refused != null ? Future.failedFuture(refused) : protocol.prepare(ex, a, spec, key);
            } catch (RuntimeException e) {
                prepared = Future.failedFuture(e);
            }
            prepared.onComplete(ar -> {
                if (ar.failed()) {
                    ApiError error = ar.cause() instanceof ApiError e ? e : ApiError.internal("Could not prepare the upstream request");
                    if (!(ar.cause() instanceof ApiError)) {
                        LOG.error("request {}: preparing attempt {} for '{}' failed", ex.requestId(), a.number(), spec.name(), ar.cause());
                    }
                    a.errorType(error.type());
                    a.neverSent(true);
                    pipeline.attemptEnded(ex, a);
                    done.fail(error);
                    return;
                }
                send(a, spec, protocol, ar.result());
            });
        }

        /** The plan's choice when it is a {@link KeyPolicy} (routing's balancing), else the conversation's key in turn. */
        private UpstreamKey key(UpstreamSpec spec, Attempt a) {
            if (spec.hasKeys()) {
                KeyPolicy policy = ex.plan().as(KeyPolicy.class);
                UpstreamKey chosen = policy != null ? policy.key(ex, spec, a) : null;
                return chosen != null ? chosen : spec.keyFor(stickyKey(), a.number());
            }
            return ex.identity() != null && ex.identity().isOpen() ? UpstreamKey.CALLER : null;
        }

        /** A conversation's identity: its session (header or metadata), else the caller's key. */
        private String stickyKey() {
            String session = ex.sessionId();
            return session != null ? session : ex.identity() == null ? null : ex.identity().keyId();
        }

        void send(Attempt a, UpstreamSpec spec, UpstreamProtocol protocol, OutboundRequest out) {
            HttpClient client = clients.client(spec, upstreams.connectMillis());
            sentSecrets = CredentialEcho.sent(out.headers());
            RequestOptions options = new RequestOptions().setMethod(out.method()).setHost(spec.host()).setPort(spec.port())
                    .setSsl(spec.ssl()).setURI(spec.pathPrefix() + out.uri()).setHeaders(out.headers());
            boolean[] timedOut = {false};
            long firstByte = firstByteMillis(a);
            LoopTimer timer = LoopTimer.start(vertx.getOrCreateContext(), firstByte, () -> {
                timedOut[0] = true;
                if (current != null) {
                    current.reset();
                }
            });
            client.request(options).onComplete(ar -> {
                if (ar.failed()) {
                    timer.cancel();
                    connectFailed(a, spec, ar.cause(), timedOut[0]);
                    return;
                }
                HttpClientRequest req = ar.result();
                current = req;
                if (timedOut[0]) {
                    // The first-byte limit passed while the request waited for a pooled connection (the timer had nothing
                    // to reset). Sent now, it would wait on with no timer at all: behind a full pool of a black-holed
                    // upstream it hung until that upstream closed. Slots free as the holders' own timers reset them.
                    req.reset();
                    connectFailed(a, spec, new java.util.concurrent.TimeoutException("no connection within the first-byte limit"), true);
                    return;
                }
                if (ex.clientGone() && !ex.snapshot().get(StreamSettings.PART).drainOnDisconnect()) {
                    timer.cancel();
                    req.reset();
                    a.errorType("client_closed");
                    pipeline.attemptEnded(ex, a);
                    done.complete();
                    return;
                }
                long receivedBefore = ReceivedBytes.of(req.connection());
                a.markSent();
                Future<HttpClientResponse> answer = out.body() == null ? req.send() : req.send(out.body());
                answer.onComplete(guarded(a, spec, head -> {
                    if (head.failed()) {
                        timer.cancel();
                        noHead(a, spec, head.cause(), timedOut[0], receivedBefore, ReceivedBytes.of(req.connection()));
                    } else {
                        answered(a, spec, protocol, req, head.result(), timer, timedOut);
                    }
                }));
            });
        }

        void answered(Attempt a, UpstreamSpec spec, UpstreamProtocol protocol, HttpClientRequest req, HttpClientResponse resp,
                      LoopTimer timer, boolean[] timedOut) {
            a.markAnswered();
            a.status(resp.statusCode());
            if (!AnswerStart.apiStatus(resp.statusCode())) {
                timer.cancel();
                notAnApiAnswer(a, spec, req, resp);
                return;
            }
            a.retryAfterMillis(RetryAfter.millis(resp.headers()));
            KeyPolicy policy = ex.plan().as(KeyPolicy.class);
            if (policy != null) {
                policy.answered(ex, a, resp.headers()); // rate-limit state, before those headers are stripped
            }
            boolean stream = protocol.isStream(resp.statusCode(), resp.headers());
            if (otherShape(resp.statusCode(), stream)) {
                timer.cancel();
                answeredInTheOtherShape(a, spec, req, resp, stream);
                return;
            }
            UpstreamDecoder decoder = protocol.decoder(ex, a);
            decoder.head(resp.statusCode(), resp.headers());
            a.report(decoder.report());
            MultiMap headers = CredentialEcho.scrubHeaders(UpstreamHeaders.forClient(resp.headers()), sentSecrets);
            if (stream) {
                LiveSource source = new LiveSource(ex, pipeline, a, req, resp, decoder);
                source.peek().onComplete(guarded(a, spec, first -> {
                    timer.cancel();
                    if (first.failed()) {
                        a.usageUnknown();
                        if (!endedEarly(a, spec, timedOut[0])) {
                            unreadable(a, spec, first.cause());
                        }
                    } else if (!LiveSource.startsAnswer(first.result())) {
                        a.usageUnknown(); // a 2xx head, then nothing (or keep-alives): the upstream may have billed the prompt
                        failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway(
                                "Upstream '" + spec.name() + "' ended its stream before sending any event"), null);
                    } else if (AnswerStart.startsWithError(first.result())) {
                        streamError(a, source, headers, decoder, first.result());
                    } else if (ex.operation() == Operation.MESSAGES && !AnswerStart.opensMessage(first.result())) {
                        source.cancel();
                        a.usageUnknown(); // a 2xx head and events: the upstream may have billed the prompt
                        failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway(
                                "Upstream '" + spec.name() + "' began its stream without a message_start event"), null);
                    } else {
                        commit(a, new Response.Stream(resp.statusCode(), headers, source));
                    }
                }));
                return;
            }
            timer.cancel();
            BoundedBody.read(vertx, resp, upstreams.maxResponseBytes(), upstreams.idleMillis()).onComplete(guarded(a, spec, body -> {
                if (body.failed() && body.cause() instanceof ApiError e) {
                    // Too large, or silent too long: another try would fare no better. The upstream accepted the request
                    // and was sending its answer, which it may bill: the record's zero is flagged, not exact.
                    a.usageUnknown();
                    a.errorType(e.type());
                    pipeline.attemptEnded(ex, a);
                    done.fail(e);
                    return;
                }
                if (body.failed()) {
                    // The connection broke mid-answer; nothing reached the client, so it is a failed attempt like a reset.
                    // The upstream generated, so billed, the answer before sending it: the record bills an estimate from
                    // the bytes sent and received (flagged), as a cut stream's does, whatever the upstream's wire.
                    long received = body.cause() instanceof BoundedBody.Cut cut ? cut.received() : 0;
                    a.report(UsageReport.cut(a.report(), ex.body() == null ? 0 : ex.body().length(), received));
                    failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway("Upstream '" + spec.name()
                            + "' connection lost while sending the response"), null);
                    return;
                }
                Buffer canonical = decoder.body(resp.statusCode(), body.result());
                int status = decoder.clientStatus(resp.statusCode());
                a.status(status);
                if (status < 300 && ex.operation() == Operation.MESSAGES && !a.report().complete()) {
                    // A 2xx that is no answer (an HTML page from a proxy, a cut or empty body): nothing reached the
                    // client, so it is a failed attempt; its usage stays flagged estimated, and the plan does not try
                    // this target again (it may have billed each answer it could not finish).
                    failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway("Upstream '" + spec.name() + "' answered HTTP "
                            + status + " with a body that is not a readable answer"), null);
                    return;
                }
                if (status < 300 && ex.operation() == Operation.MESSAGES && a.report().usage().totalTokens() == 0) {
                    // An answer always costs tokens; one without usage (a self-hosted server that leaves it out) is
                    // not free: its record is flagged, not an exact zero.
                    a.usageUnknown();
                }
                whole(a, spec, status, headers, canonical);
            }));
        }

        /**
         * A handler of the upstream's answer that throws (a decoder meeting what it never expected) would leave the
         * client waiting, with no answer and no record: the attempt ends as an unreadable answer instead, logged as ours.
         */
        <T> Handler<AsyncResult<T>> guarded(Attempt a, UpstreamSpec spec, Handler<AsyncResult<T>> handler) {
            return ar -> {
                try {
                    handler.handle(ar);
                } catch (RuntimeException e) {
                    LOG.error("request {}: attempt {} to upstream '{}': the gateway failed on its answer", ex.requestId(),
                            a.number(), spec.name(), e);
                    if (!a.committed() && !a.ended()) {
                        if (current != null) {
                            current.reset(); // an unread answer must not go back to the pool
                        }
                        a.usageUnknown();
                        failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway("Upstream '" + spec.name()
                                + "' sent an answer that could not be read"), null);
                    }
                }
            };
        }

        /**
         * A redirect, an interim status that reached us, or no HTTP status at all: not something an API answers. Relayed,
         * a redirect's {@code location} would send the client (and its prompt) wherever the upstream named, past the
         * gateway; the client gets a 502 naming the upstream instead, and the plan does not send the request there again.
         */
        void notAnApiAnswer(Attempt a, UpstreamSpec spec, HttpClientRequest req, HttpClientResponse resp) {
            int status = resp.statusCode();
            LOG.warn("request {}: attempt {} to upstream '{}' answered HTTP {}, which no API answer has", ex.requestId(),
                    a.number(), spec.name(), status);
            resp.exceptionHandler(e -> { }); // the reset's own failure is expected
            req.reset(); // its body is not read: the connection is not reused
            a.usageUnknown(); // what an upstream that answers this did with the request is not known
            failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway("Upstream '" + spec.name() + "' answered HTTP "
                    + status + ", which is not an API answer"), null);
        }

        /** A 2xx answer to a message whose shape (a stream or a whole body) is not the one the client asked for. */
        boolean otherShape(int status, boolean stream) {
            return ex.operation() == Operation.MESSAGES && status >= 200 && status < 300 && stream != ex.facts().stream();
        }

        /**
         * The upstream ignored the request's {@code stream} flag. Relayed, a client that asked for a whole answer would
         * get SSE chunks (and one that asked for a stream a JSON body) its SDK cannot read; nothing has reached it yet,
         * so the attempt is a broken answer like any other unreadable 2xx, and the plan may try another target. The
         * answer is not read: the upstream generated it, so its usage is flagged estimated, not an exact zero.
         */
        void answeredInTheOtherShape(Attempt a, UpstreamSpec spec, HttpClientRequest req, HttpClientResponse resp, boolean stream) {
            LOG.warn("request {}: attempt {} to upstream '{}' answered {} to a request for {}", ex.requestId(), a.number(),
                    spec.name(), stream ? "a stream" : "a whole body", stream ? "a whole answer" : "a stream");
            resp.exceptionHandler(e -> { }); // the reset's own failure is expected
            req.reset(); // its body is not read: the connection is not reused
            a.usageUnknown();
            failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway("Upstream '" + spec.name() + "' answered with "
                    + (stream ? "a stream to a request for a whole answer (stream: false)"
                            : "a whole body to a request for a stream (stream: true)")), null);
        }

        void whole(Attempt a, UpstreamSpec spec, int status, MultiMap headers, Buffer canonical) {
            if (status >= 400) {
                a.fail(Attempt.Failure.STATUS, status, a.report().errorType());
                if (status == 401 && a.upstreamKeyAlias() != null && !UpstreamKey.CALLER.alias().equals(a.upstreamKeyAlias())) {
                    // Relayed as is, Claude Code would tell the developer their own key is invalid.
                    LOG.error("upstream '{}' refused the gateway's credential '{}' with HTTP 401 (request {})",
                            spec.name(), a.upstreamKeyAlias(), ex.requestId());
                    failed(a, Attempt.Failure.STATUS, new ApiError(502, "api_error", "The gateway's own credential for its"
                            + " upstream was refused (HTTP 401); this is not about your key. Tell your platform team, quoting"
                            + " request id " + ex.requestId() + ".", false, null), null);
                    return;
                }
                failed(a, Attempt.Failure.STATUS, null, new Response.Whole(status, headers, relayed(headers, canonical)));
                return;
            }
            a.commit();
            pipeline.attemptEnded(ex, a);
            pipeline.responder().respond(ex, pipeline, new Response.Whole(status, headers, canonical)).onComplete(done);
        }

        void streamError(Attempt a, LiveSource source, MultiMap headers, UpstreamDecoder decoder, List<SseEvent> first) {
            a.fail(Attempt.Failure.STREAM_ERROR, a.status(), decoder.report().errorType());
            AttemptPlan.Retry retry = ex.clientGone() ? null : ex.plan().next(ex, a);
            if (retry == null) {
                Buffer envelope = AnswerStart.errorEnvelope(first);
                if (envelope == null) {
                    commit(a, new Response.Stream(a.status(), headers, source));
                    return;
                }
                // Nothing has reached the client, so it gets the error as an HTTP status (an overloaded_error is a 529),
                // which is what its retry logic reads, rather than a 200 whose only event is the error.
                source.cancel();
                pipeline.attemptEnded(ex, a);
                MultiMap json = MultiMap.caseInsensitiveMultiMap().addAll(headers).set("content-type", "application/json");
                a.commit();
                pipeline.responder().respond(ex, pipeline, new Response.Whole(
                        UpstreamErrors.statusForType(UpstreamErrors.type(envelope)), json, relayed(json, envelope))).onComplete(done);
                return;
            }
            source.cancel();
            pipeline.attemptEnded(ex, a);
            next(retry);
        }

        /** An upstream error body as the client gets it: no credential the attempt sent, and the gateway's request id. */
        Buffer relayed(MultiMap headers, Buffer error) {
            ErrorRequestId ids = ErrorRequestId.ours(CredentialEcho.scrub(error, sentSecrets), ex.requestId());
            if (ids.upstream() != null) {
                headers.set(ErrorRequestId.HEADER, ids.upstream());
                LOG.debug("request {}: upstream error relayed; the upstream's request id was {}", ex.requestId(), ids.upstream());
            }
            return ids.body();
        }

        void commit(Attempt a, Response.Stream stream) {
            a.commit();
            pipeline.responder().respond(ex, pipeline, stream).onComplete(done);
        }

        /** No connection (refused, timed out, TLS): the request never left, so any target may have it, this one included. */
        void connectFailed(Attempt a, UpstreamSpec spec, Throwable cause, boolean timedOut) {
            if (endedEarly(a, spec, timedOut)) {
                return;
            }
            logFailure(a, spec, cause);
            String what = cause.getMessage() != null && cause.getMessage().contains("timed out") ? "Connecting to" : "Could not reach";
            failed(a, Attempt.Failure.CONNECT, ApiError.badGateway(what + " upstream '" + spec.name() + "'"), null);
        }

        /**
         * The request was sent and no usable head came back. What the connection received decides whether it may go to
         * this target again: bytes that came back mean the upstream read the request and answered, unreadably, so it may
         * bill it and sending it there again could bill it twice. Nothing back (a reset or a close) is the keep-alive race
         * on a reused connection, or a server that dropped the request unread, and is tried once more as a connection
         * failure (on the next key), as proxies retry a reset.
         */
        void noHead(Attempt a, UpstreamSpec spec, Throwable cause, boolean timedOut, long receivedBefore, long receivedAfter) {
            a.usageUnknown(); // the request was sent: the upstream may bill it, whatever it managed to answer
            if (endedEarly(a, spec, timedOut)) {
                return;
            }
            if (receivedBefore >= 0 && receivedAfter > receivedBefore) {
                unreadable(a, spec, cause);
            } else {
                logFailure(a, spec, cause);
                failed(a, Attempt.Failure.CONNECT, ApiError.badGateway("Upstream '" + spec.name()
                        + "' closed the connection without answering"), null);
            }
        }

        /** The upstream answered, and its answer could not be read (its head or framing broke the HTTP rules, or its stream). */
        void unreadable(Attempt a, UpstreamSpec spec, Throwable cause) {
            logFailure(a, spec, cause);
            failed(a, Attempt.Failure.BROKEN_ANSWER, ApiError.badGateway("Upstream '" + spec.name()
                    + "' sent an answer that could not be read"), null);
        }

        /** Ends an attempt that timed out or whose client left; false when it did neither. */
        boolean endedEarly(Attempt a, UpstreamSpec spec, boolean timedOut) {
            if (timedOut) {
                failed(a, Attempt.Failure.FIRST_BYTE_TIMEOUT, ApiError.gatewayTimeout("Upstream '" + spec.name()
                        + "' sent no response within " + firstByteMillis(a) + " ms"), null);
                return true;
            }
            if (ex.clientGone()) {
                a.errorType("client_closed");
                pipeline.attemptEnded(ex, a);
                done.complete();
                return true;
            }
            return false;
        }

        /** The cause names the upstream's address; it goes to the log, never to the client. */
        void logFailure(Attempt a, UpstreamSpec spec, Throwable cause) {
            LOG.warn("request {}: attempt {} to upstream '{}' failed: {}", ex.requestId(), a.number(), spec.name(),
                    CredentialEcho.scrub(FailureText.of(cause), sentSecrets));
        }

        /**
         * An attempt failed before anything was committed. Ends it (its record), then retries if the
         * plan says so, else answers with the upstream's own error or the gateway's.
         */
        void failed(Attempt a, Attempt.Failure failure, ApiError error, Response.Whole upstreamError) {
            if (a.failure() == null) {
                a.fail(failure, a.status(), error != null ? error.type() : a.errorType());
            }
            AttemptPlan.Retry retry = ex.clientGone() ? null : ex.plan().next(ex, a);
            pipeline.attemptEnded(ex, a);
            if (retry != null) {
                next(retry);
            } else if (error == null && upstreamError != null) {
                a.commit();
                pipeline.responder().respond(ex, pipeline, upstreamError).onComplete(done);
            } else {
                done.fail(error != null ? error : ApiError.badGateway("Upstream failed"));
            }
        }

        void next(AttemptPlan.Retry retry) {
            current = null;
            if (retry.delayMillis() <= 0) {
                attempt(retry.target());
                return;
            }
            long t0 = System.nanoTime();
            vertx.setTimer(retry.delayMillis(), id -> {
                ex.addWait(System.nanoTime() - t0);
                if (ex.clientGone()) {
                    done.complete();
                } else {
                    attempt(retry.target());
                }
            });
        }
    }
}
