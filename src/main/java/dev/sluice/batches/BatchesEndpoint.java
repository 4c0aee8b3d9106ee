package dev.sluice.batches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.authenticate.AuthenticateStage;
import dev.sluice.authenticate.Callers;
import dev.sluice.config.LiveConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.inspect.InspectStage;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.RequestIds;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Message Batches calls at the Anthropic door's path, {@code /v1/messages/batches[/{id}[/cancel|/results]]}: the
 * caller identified as every call is (gateway key, sign-in session), errors in Anthropic's envelope, and each call handed
 * to {@link BatchCalls}. Batch objects go back as the upstream wrote them but for {@code results_url}, which names the
 * gateway (a client that follows it, as Anthropic's Python SDK does, must come back here to be billed and checked).
 */
final class BatchesEndpoint {
    static final String PATH = "/v1/messages/batches";
    private static final Logger LOG = LoggerFactory.getLogger(BatchesEndpoint.class);
    /** Longest batch id read from a path or cursor (Anthropic's are about 40 characters). */
    private static final int MAX_ID = 128;

    /**
     * Batches read and checked at once, at most. A batch's body is held whole outside the Messages door's body budget,
     * and checking it writes the body the upstream gets beside it: about twice the body limit per batch being created.
     * Two at once when the heap holds eight body limits, else one (the default 192 MB heap and 32 MB limit: one), so
     * batches cannot take the heap however many clients create them together. The rest get a retryable 429.
     */
    static final int MAX_CREATING = 2;

    private final java.util.concurrent.Semaphore creating;
    /**
     * The gateway keys holding one of those places now: one each, so a key sending its bodies slowly (each up to the body
     * timeout) cannot hold every place and keep all other keys' creates at a 429.
     */
    private final java.util.Set<String> creatingKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final LiveConfig live;
    private final Callers callers;
    private final BatchCalls calls;
    private final BatchList list;
    private final BatchCallRate rate;

    BatchesEndpoint(LiveConfig live, Callers callers, BatchCalls calls, BatchCallRate rate) {
        long bodyLimit = live.current().get(InspectStage.LIMITS).bodyBytes();
        this.creating = new java.util.concurrent.Semaphore(Runtime.getRuntime().maxMemory() >= 8 * bodyLimit ? MAX_CREATING : 1);
        this.live = live;
        this.callers = callers;
        this.calls = calls;
        this.rate = rate;
        this.list = new BatchList(calls, rate);
    }

    ExtraRoute route() {
        return new ExtraRoute(PATH, this::handle);
    }

    private void handle(HttpServerRequest req) {
        String requestId = RequestIds.next();
        Identity who;
        try {
            // The request's x-sluice-tag-* headers count as on a message: the batch's records carry them.
            who = callers.identify(live.current(), req.headers()).withRequestTags(AuthenticateStage.requestTags(req.headers()));
        } catch (ApiError e) {
            fail(req, e, requestId);
            return;
        }
        // The allowance is counted in memory, so its answer is there at once, before any of the body is read.
        rate.take(who, 1).onComplete(ar -> { // a list pays for its other batches once it knows how many
            if (ar.failed()) {
                fail(req, ar.cause(), requestId);
            } else {
                admitted(req, who, requestId);
            }
        });
    }

    private void admitted(HttpServerRequest req, Identity who, String requestId) {
        String rest = dev.sluice.wire.Paths.withoutTrailingSlash(req.path()).substring(Math.min(req.path().length(), PATH.length()));
        String gateway = base(req);
        String base = gateway;
        Future<BatchCalls.Answer> answer;
        String action;
        String batchId = null;
        if (rest.isEmpty() && req.method() == HttpMethod.POST) {
            action = "create";
            if (!creatingKeys.add(who.keyId())) {
                fail(req, new ApiError(429, "rate_limit_error", "this key is already creating a batch, and a key creates one"
                        + " at a time; retry when that create has been answered", true, java.util.Map.of("retry-after", "2")), requestId);
                return;
            }
            if (!creating.tryAcquire()) {
                creatingKeys.remove(who.keyId());
                fail(req, new ApiError(429, "rate_limit_error", "the gateway is creating as many batches as its memory allows;"
                        + " retry in a moment", true, java.util.Map.of("retry-after", "2")), requestId);
                return;
            }
            answer = BodyRead.of(req, live.current().get(InspectStage.LIMITS))
                    .compose(body -> calls.create(who, req.headers(), body, requestId))
                    .onComplete(ar -> {
                        creating.release();
                        creatingKeys.remove(who.keyId());
                    });
        } else if (rest.isEmpty() && req.method() == HttpMethod.GET) {
            action = "list";
            answer = Future.<Void>succeededFuture().compose(v -> list.page(who, req, gateway)); // a bad cursor throws
            base = null; // the page's batches are rewritten as it is made
        } else if (rest.isEmpty()) {
            fail(req, notAllowed(req), requestId);
            return;
        } else {
            String[] parts = rest.substring(1).split("/", -1);
            String id = parts[0];
            String sub = parts.length == 2 ? parts[1] : parts.length == 1 ? "" : null;
            if (id.isEmpty() || id.length() > MAX_ID || sub == null) {
                fail(req, ApiError.notFound("Not found: " + req.method() + " " + Replies.bounded(req.path())), requestId);
                return;
            }
            batchId = id;
            action = sub.isEmpty() ? (req.method() == HttpMethod.DELETE ? "delete" : "retrieve") : Replies.bounded(sub);
            answer = calls.own(who, id).compose(row -> switch (sub) {
                case "" -> req.method() == HttpMethod.GET ? calls.forward(row, HttpMethod.GET, PATH + "/" + id, req.headers())
                        : req.method() == HttpMethod.DELETE ? calls.delete(row, req.headers()) : Future.failedFuture(notAllowed(req));
                case "cancel" -> req.method() == HttpMethod.POST ? calls.forward(row, HttpMethod.POST, PATH + "/" + id + "/cancel",
                        req.headers()) : Future.failedFuture(notAllowed(req));
                case "results" -> req.method() == HttpMethod.GET ? calls.results(row, req.headers(), req.response(), requestId)
                        : Future.failedFuture(notAllowed(req));
                default -> Future.failedFuture(ApiError.notFound("Not found: " + req.method() + " " + Replies.bounded(req.path())));
            });
        }
        String resultsBase = base;
        String audited = batchId;
        answer.onComplete(ar -> {
            if (ar.failed()) {
                fail(req, ar.cause(), requestId);
            } else if (ar.result() != null) {
                reply(req, ar.result(), resultsBase, requestId);
            }
            audit(requestId, action, who, audited, ar);
        });
    }

    /** The call's audit line: what was asked, of which batch, and the status the caller got (a created batch's id and request count). */
    private void audit(String requestId, String action, Identity who, String batchId, AsyncResult<BatchCalls.Answer> ar) {
        int status = ar.failed() ? (ar.cause() instanceof ApiError e ? e.status() : 502) : ar.result() == null ? 200 : ar.result().status();
        long requests = -1;
        if (ar.succeeded() && ar.result() != null && ar.result().ok() && action.equals("create")) {
            try {
                JsonNode created = Json.MAPPER.readTree(ar.result().body().getBytes());
                batchId = Replies.bounded(created.path("id").asText(""));
                requests = created.path("request_counts").path("processing").asLong(-1);
            } catch (java.io.IOException e) {
                // the caller got the upstream's answer as it was; the line says what is known
            }
        }
        calls.audit.line(requestId, action, who, batchId, status, requests, -1, -1);
    }

    private static ApiError notAllowed(HttpServerRequest req) {
        return new ApiError(405, "invalid_request_error", req.method() + " is not allowed on " + Replies.bounded(req.path()), false, null);
    }

    private static void reply(HttpServerRequest req, BatchCalls.Answer a, String resultsBase, String requestId) {
        if (req.response().ended() || req.response().closed()) {
            return;
        }
        Buffer body = a.body();
        if (a.ok() && resultsBase != null) {
            body = Buffer.buffer(withGatewayUrl(body.getBytes(), resultsBase));
        }
        Replies.commonHeaders(req.response().headers(), requestId, 0);
        req.response().putHeader("request-id", requestId).putHeader("content-type", a.contentType()).setStatusCode(a.status()).end(body);
    }

    /** A batch object with its {@code results_url} (when it has one) on the gateway. */
    static byte[] withGatewayUrl(byte[] batch, String base) {
        try {
            JsonNode node = Json.MAPPER.readTree(batch);
            if (node instanceof ObjectNode o && o.path("results_url").isTextual() && o.path("id").isTextual()) {
                o.put("results_url", base + PATH + "/" + o.get("id").asText() + "/results");
                return Json.MAPPER.writeValueAsBytes(o);
            }
        } catch (IOException e) {
            // not JSON: relayed as the upstream wrote it
        }
        return batch;
    }

    /** Where this gateway was reached, as the client named it. */
    private String base(HttpServerRequest req) {
        var signin = live.current().config().signin();
        return ResultsBase.of(signin == null ? null : signin.publicUrl(), req.scheme(), req.authority(), req.headers());
    }

    private static void fail(HttpServerRequest req, Throwable cause, String requestId) {
        if (req.response().ended() || req.response().closed()) {
            return;
        }
        if (req.response().headWritten()) {
            req.response().reset(); // results cut short: the client must not take what it got for the whole
            return;
        }
        ApiError error;
        if (cause instanceof ApiError e) {
            error = e;
        } else {
            LOG.error("message batches: request {} failed", requestId, cause);
            error = ApiError.badGateway("the Message Batches call could not be completed (" + cause.getClass().getSimpleName() + ")");
        }
        if (!req.isEnded()) {
            Replies.closeAfter(req);
        }
        Replies.send(req.response(), AnthropicProtocol.INSTANCE, error, requestId, 0);
    }
}
