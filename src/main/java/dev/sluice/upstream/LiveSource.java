package dev.sluice.upstream;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.EventSink;
import dev.sluice.pipeline.EventSource;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.translate.UnreadableAnswer;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live upstream stream as an {@link EventSource}: the upstream's bytes through the attempt's
 * decoder, as canonical events.
 *
 * <p>It starts by <em>peeking</em>: it reads until the first events arrive and holds them, with the
 * upstream paused, so the attempt loop can still decide to retry (an {@code overloaded_error} as the
 * first event) before anything is committed to the client. Keep-alives (pings, SSE comments) do not end
 * the peek, since proxies in front of a provider send them before its error, and they are not the start of
 * an answer: an upstream that sends nothing else meets the first-byte timeout like a silent one (and the
 * plan may try elsewhere). Only the first few are held, so a stream of them cannot fill the heap. Once the
 * responder starts it, the held events go first and the upstream resumes.
 *
 * <p>Once the client has left (drain mode reads on, to bill exactly), keep-alives are not handed on: they
 * would tell the writer's idle watchdog the upstream is making progress, and an upstream that only pings
 * would hold the connection for as long as it liked.
 *
 * <p>The attempt ends (its ledger record is written) as soon as the decoder has seen the answer
 * complete, before that batch is handed on: an answer acknowledged to the client is in the journal
 * before its last byte leaves.
 */
final class LiveSource implements EventSource {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSource.class);
    private final Exchange ex;
    private final Pipeline pipeline;
    private final Attempt attempt;
    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private final UpstreamDecoder decoder;
    /**
     * Bytes an upstream may send without completing an event. Anthropic's events are a few hundred bytes; past this the
     * stream is broken (or hostile), and holding more would let one upstream fill the heap every request shares.
     */
    static final int MAX_EVENT_BYTES = 16 << 20;
    /** Keep-alives held while waiting for the event that says how the answer starts; later ones are dropped. */
    static final int MAX_HELD_KEEP_ALIVES = 4;

    private final Promise<List<SseEvent>> first = Promise.promise();
    private long sinceEvent;
    private boolean oversized;
    private List<SseEvent> held = new ArrayList<>(4);
    private EventSink sink;
    private boolean upstreamEnded;
    private Throwable upstreamFailure;
    private boolean cancelled;
    /** The answer ended at an error event ({@link #endAtError}): the upstream's end or failure after it is not news. */
    private boolean endedAtError;

    LiveSource(Exchange ex, Pipeline pipeline, Attempt attempt, HttpClientRequest request, HttpClientResponse response,
               UpstreamDecoder decoder) {
        this.ex = ex;
        this.pipeline = pipeline;
        this.attempt = attempt;
        this.request = request;
        this.response = response;
        this.decoder = decoder;
    }

    /** Reads until the first events (or the end, or a failure); completes with the events held so far. */
    Future<List<SseEvent>> peek() {
        response.handler(this::chunk);
        response.endHandler(v -> ended());
        response.exceptionHandler(this::broken);
        return first.future();
    }

    private void chunk(Buffer bytes) {
        if (oversized || endedAtError) {
            return;
        }
        sinceEvent += bytes.length();
        if (sinceEvent > MAX_EVENT_BYTES) {
            oversized = true;
            broken(new IllegalStateException("upstream sent more than " + MAX_EVENT_BYTES + " bytes without completing an event"));
            cancelled = true; // the reset's own failure is not a second one
            request.reset();
            return;
        }
        List<SseEvent> batch = sink == null ? held : new ArrayList<>(4);
        int before = batch.size();
        try {
            decoder.chunk(bytes, batch);
        } catch (RuntimeException e) {
            // A decoder meeting what it never expected must end the answer, not leave the client waiting with no
            // record: before anything was relayed the peek fails (a broken answer, 502), after it the stream ends.
            if (!(e instanceof UnreadableAnswer)) { // that one is the upstream's fault, logged by the attempt loop
                LOG.error("request {}: attempt {}: the gateway failed reading the upstream's stream", ex.requestId(),
                        attempt.number(), e);
            }
            broken(e);
            cancelled = true; // the reset's own failure is not a second one
            request.reset();
            return;
        }
        if (batch.size() > before) {
            sinceEvent = 0;
        }
        if (sink == null) {
            if (startsAnswer(held)) {
                response.pause(); // the attempt loop decides on what is held; the rest waits for the responder
                first.tryComplete(held);
            } else if (held.size() > MAX_HELD_KEEP_ALIVES) {
                held.subList(MAX_HELD_KEEP_ALIVES, held.size()).clear();
            }
            return;
        }
        if (ex.clientGone() && !startsAnswer(batch)) {
            return; // draining: a keep-alive is not progress (see the class comment)
        }
        deliver(batch);
    }

    /** True when one of {@code events} is more than a keep-alive. */
    static boolean startsAnswer(List<SseEvent> events) {
        for (SseEvent e : events) {
            if (!e.keepAlive()) {
                return true;
            }
        }
        return false;
    }

    private void deliver(List<SseEvent> batch) {
        if (batch.isEmpty() || endedAtError) {
            return;
        }
        int error = errorAt(batch);
        if (error >= 0 && !decoder.report().complete()) {
            endAtError(batch.subList(0, error + 1));
            return;
        }
        if (decoder.report().complete()) {
            pipeline.attemptEnded(ex, attempt);
        }
        sink.events(batch);
    }

    /**
     * An {@code error} event ends an answer: nothing after it is relayed, and the upstream is not waited for. An
     * Anthropic upstream closes after one, but a decoder's own (a corrupt Bedrock frame, a chat chunk that is no JSON)
     * comes from an upstream that may carry on sending, or stay open and silent, and the client would wait on it.
     */
    private void endAtError(List<SseEvent> upToError) {
        endedAtError = true;
        cancel();
        pipeline.attemptEnded(ex, attempt);
        List<SseEvent> out = new ArrayList<>(upToError);
        out.set(out.size() - 1, ours(out.getLast()));
        sink.events(out);
        sink.end();
    }

    /**
     * The error event with the gateway's request id in place of the upstream's, as a relayed error body has it
     * ({@link ErrorRequestId}): the id a developer quotes from it must be one the platform team's ledger and logs know.
     */
    private SseEvent ours(SseEvent error) {
        Buffer data = Buffer.buffer(error.data());
        ErrorRequestId ids = ErrorRequestId.ours(data, ex.requestId());
        if (ids.body() == data) {
            return error; // not a JSON object: relayed as it came
        }
        if (ids.upstream() != null) {
            LOG.debug("request {}: upstream error event relayed; the upstream's request id was {}", ex.requestId(), ids.upstream());
        }
        return SseEvent.of(error.type(), ids.body().toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static int errorAt(List<SseEvent> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if ("error".equals(batch.get(i).type())) {
                return i;
            }
        }
        return -1;
    }

    private void ended() {
        if (oversized || endedAtError) {
            return;
        }
        upstreamEnded = true;
        if (sink == null) {
            first.tryComplete(held);
            return;
        }
        List<SseEvent> tail = new ArrayList<>(1);
        decoder.end(tail);
        deliver(tail);
        if (!decoder.report().complete() && decoder.report().errorType() == null) {
            // The connection closed cleanly, but the answer stopped short of its end (no message_stop, a Bedrock frame
            // cut in half): to a client that looks finished unless it is told, so it is told, as for a broken one.
            attempt.errorType("api_error");
            pipeline.attemptEnded(ex, attempt);
            sink.fail(ApiError.badGateway("The upstream's stream ended before the answer was complete"));
            return;
        }
        pipeline.attemptEnded(ex, attempt);
        sink.end();
    }

    private void broken(Throwable cause) {
        if (cancelled) {
            return;
        }
        upstreamFailure = cause;
        if (sink == null) {
            first.tryFail(cause);
            return;
        }
        if (decoder.report().complete()) {
            // The answer was whole (message_stop came) before the connection broke: a proxy that drops the last
            // chunk, a length that overstated the body. The client gets the clean end its answer had.
            pipeline.attemptEnded(ex, attempt);
            sink.end();
            return;
        }
        attempt.errorType("api_error");
        pipeline.attemptEnded(ex, attempt);
        sink.fail(ApiError.badGateway("Upstream connection lost mid-stream"));
    }

    @Override
    public void start(EventSink sink) {
        this.sink = sink;
        List<SseEvent> first = held;
        held = null;
        deliver(first);
        if (endedAtError) {
            return;
        }
        if (upstreamFailure != null) {
            broken(upstreamFailure);
        } else if (upstreamEnded) {
            ended();
        } else {
            response.resume();
        }
    }

    @Override
    public void pause() {
        response.pause();
    }

    @Override
    public void resume() {
        if (!cancelled) {
            response.resume();
        }
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            request.reset();
        }
    }

    @Override
    public boolean live() {
        return true;
    }
}
