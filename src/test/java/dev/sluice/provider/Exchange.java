package dev.sluice.provider;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One adapter call sent to a live upstream (the simulator) with Vert.x's client, the answer fed to the
 * adapter's decoder chunk by chunk as it arrives, with the arrival time of every canonical event.
 */
public final class Exchange {
    public static final Vertx VERTX = Vertx.vertx();
    // One connection per exchange: each test is about one exchange's wire format, and a connection pooled
    // across simulators (a port reused by the next test class's simulator) must not leak one test into another.
    private static final HttpClient CLIENT = VERTX.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(false));

    public final int status;
    public final MultiMap headers;
    public final List<SseEvent> events = new ArrayList<>();
    public final List<Long> arrivalMillis = new ArrayList<>();
    public Buffer body;

    private Exchange(int status, MultiMap headers) {
        this.status = status;
        this.headers = headers;
    }

    /** Sends {@code call} to {@code 127.0.0.1:port}; streams go through {@code decoder.chunk}, bodies through {@code decoder.body}. */
    public static Exchange send(int port, UpstreamCall call, UpstreamDecoder decoder, MultiMap extraHeaders) {
        Promise<Exchange> done = Promise.promise();
        long t0 = System.nanoTime();
        RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(call.method())
                .setURI(call.pathAndQuery());
        // The answer's handlers are set inside send's callback: set later, from this (non-Vert.x) thread's chain, the
        // response could end before them and the exchange would never complete (Vert.x #4705; seen once in CI).
        CLIENT.request(options).compose(req -> {
            req.headers().addAll(call.headers());
            if (extraHeaders != null) {
                req.headers().addAll(extraHeaders);
            }
            return (call.body() == null ? req.send() : req.send(call.body())).onSuccess(resp -> read(resp, decoder, t0, done));
        }).onFailure(done::tryFail);
        return await(done.future());
    }

    private static void read(HttpClientResponse resp, UpstreamDecoder decoder, long t0, Promise<Exchange> done) {
        Exchange ex = new Exchange(resp.statusCode(), resp.headers());
        String type = resp.getHeader("content-type");
        boolean stream = resp.statusCode() == 200 && type != null
                && (type.startsWith("text/event-stream") || type.startsWith("application/vnd.amazon.eventstream"));
        if (stream) {
            resp.handler(chunk -> {
                int before = ex.events.size();
                decoder.chunk(chunk, ex.events);
                for (int i = before; i < ex.events.size(); i++) {
                    ex.arrivalMillis.add((System.nanoTime() - t0) / 1_000_000);
                }
            });
            resp.endHandler(v -> {
                decoder.end(ex.events);
                done.complete(ex);
            });
            resp.exceptionHandler(done::tryFail);
        } else {
            resp.body().onSuccess(b -> {
                ex.body = decoder.body(resp.statusCode(), b);
                done.complete(ex);
            }).onFailure(done::tryFail);
        }
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("did not complete: " + e, e);
        }
    }

    /** The canonical events accumulated by the official Anthropic SDK's stream helper (it rejects bad order or indexes). */
    public Message message() {
        MessageAccumulator acc = MessageAccumulator.create();
        for (SseEvent e : events) {
            if (e.type().equals("ping")) {
                continue;
            }
            try {
                acc.accumulate(ObjectMappers.jsonMapper().readValue(e.data(), RawMessageStreamEvent.class));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return acc.message();
    }

    /** A whole canonical body read by the official SDK as a Message. */
    public Message bodyMessage() {
        try {
            return ObjectMappers.jsonMapper().readValue(body.getBytes(), Message.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
