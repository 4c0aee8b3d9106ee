package dev.sluice.signin.verify;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Small HTTP calls to the IdP on the event loop (never nimbus' blocking fetcher): a timeout on the
 * whole call and a cap on what is read, so a slow or huge answer cannot hold a loop or memory.
 *
 * <p>The timeout is a timer over the whole call, body included: Vert.x's request timeout is an idle
 * timeout that a trickling answer (a byte every few seconds) never trips, and a call that never ends
 * would hold a sign-in page, or a shared key refetch, for as long as the connection lives.
 */
public final class HttpFetch {
    /** Discovery documents, JWKS and token answers are a few KB. */
    static final int MAX_BODY = 256 * 1024;

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;

    public HttpFetch(Vertx vertx, HttpClient client, Duration timeout) {
        this.vertx = vertx;
        this.client = client;
        this.timeout = timeout;
    }

    /** The answer's status and body; fails on transport errors, the timeout, or a body over the cap. */
    public Future<Answer> call(HttpMethod method, String url, MultiMap headers, Buffer body) {
        RequestOptions opts = new RequestOptions().setMethod(method).setAbsoluteURI(url)
                .setConnectTimeout(timeout.toMillis()).setTimeout(timeout.toMillis()).setFollowRedirects(false);
        if (headers != null) {
            opts.setHeaders(headers);
        }
        Promise<Answer> done = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeout.toMillis(), t -> {
            if (done.tryFail(new TimeoutException(url + " gave no complete answer within " + timeout.toMillis() + " ms"))) {
                HttpClientRequest req = sent.get();
                if (req != null) {
                    req.reset(); // drop the stalled connection instead of reading it on
                }
            }
        });
        // The answer is read inside send's callback so no chunk can arrive before its handler (Vert.x #4705).
        client.request(opts)
                .compose(req -> {
                    sent.set(req);
                    return (body == null ? req.send() : req.send(body)).compose(resp -> read(url, resp));
                })
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        done.tryComplete(ar.result());
                    } else {
                        done.tryFail(ar.cause());
                    }
                });
        return done.future();
    }

    private static Future<Answer> read(String url, HttpClientResponse resp) {
        Promise<Answer> done = Promise.promise();
        Buffer got = Buffer.buffer();
        resp.handler(chunk -> {
            if (got.length() + chunk.length() > MAX_BODY) {
                done.tryFail(new IllegalStateException(url + " answered more than " + MAX_BODY + " bytes"));
                resp.request().reset();
                return;
            }
            got.appendBuffer(chunk);
        });
        resp.exceptionHandler(done::tryFail);
        resp.endHandler(v -> done.tryComplete(new Answer(resp.statusCode(), got)));
        return done.future();
    }

    public Future<Answer> get(String url, MultiMap headers) {
        return call(HttpMethod.GET, url, headers, null);
    }

    /** A status and a body. */
    public record Answer(int status, Buffer body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }
}
