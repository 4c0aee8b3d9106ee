package dev.sluice.guard.webhook;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.guard.Finding;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * An operator's external policy service, asked per request: the gateway POSTs a {@link RequestSummary}
 * as JSON and expects {@code {"block": true|false, "reason": "...", "rule_id": "..."}} back.
 *
 * <p>The whole exchange has one deadline; past it the request is reset and the fail mode decides, as it
 * does for a refused connection, a non-2xx status, an answer over the size limit, or an answer that is
 * not a verdict. The returned future never fails: every path ends in a {@link WebhookVerdict} that says
 * what happened. Runs on Vert.x's HTTP client (keep-alive pool), never blocking the caller's event loop.
 */
public final class PolicyWebhook implements AutoCloseable {
    private static final int MAX_REASON = 500;
    private static final int MAX_RULE_ID = 100;

    private final Vertx vertx;
    private final WebhookSettings settings;
    private final HttpClient client;
    private final RequestOptions target;

    public PolicyWebhook(Vertx vertx, WebhookSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
        boolean ssl = "https".equals(settings.url().getScheme());
        int port = settings.url().getPort() > 0 ? settings.url().getPort() : ssl ? 443 : 80;
        long millis = Math.max(1, settings.timeout().toMillis());
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setSsl(ssl)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, millis)).setDecompressionSupported(false), new PoolOptions().setHttp1MaxSize(16));
        String path = settings.url().getRawPath() == null || settings.url().getRawPath().isEmpty() ? "/" : settings.url().getRawPath();
        String query = settings.url().getRawQuery();
        this.target = new RequestOptions().setMethod(HttpMethod.POST).setHost(settings.url().getHost()).setPort(port).setSsl(ssl)
                .setURI(query == null ? path : path + "?" + query).putHeader("content-type", "application/json")
                .putHeader("accept", "application/json");
        if (settings.bearerToken() != null) {
            target.putHeader("authorization", "Bearer " + settings.bearerToken());
        }
    }

    /** Asks the webhook about one request. */
    public Future<WebhookVerdict> check(RequestSummary summary) {
        Promise<WebhookVerdict> verdict = Promise.promise();
        Buffer body = Buffer.buffer(encode(summary));
        HttpClientRequest[] sent = {null};
        long timer = vertx.setTimer(Math.max(1, settings.timeout().toMillis()), id -> {
            if (verdict.tryComplete(failed(WebhookVerdict.Outcome.TIMEOUT, "policy webhook did not answer within "
                    + settings.timeout().toMillis() + " ms")) && sent[0] != null) {
                sent[0].reset();
            }
        });
        verdict.future().onComplete(v -> vertx.cancelTimer(timer));
        client.request(new RequestOptions(target)).onComplete(ar -> {
            if (ar.failed()) {
                verdict.tryComplete(failed(WebhookVerdict.Outcome.FAILED, "policy webhook unreachable: " + ar.cause().getClass().getSimpleName()));
                return;
            }
            sent[0] = ar.result();
            if (verdict.future().isComplete()) {
                sent[0].reset();
                return;
            }
            sent[0].send(body).onComplete(r -> {
                if (r.failed()) {
                    verdict.tryComplete(failed(WebhookVerdict.Outcome.FAILED, "policy webhook call failed: " + r.cause().getClass().getSimpleName()));
                } else {
                    read(r.result(), sent[0], verdict);
                }
            });
        });
        return verdict.future();
    }

    private void read(HttpClientResponse resp, HttpClientRequest req, Promise<WebhookVerdict> verdict) {
        resp.exceptionHandler(e -> verdict.tryComplete(failed(WebhookVerdict.Outcome.FAILED, "policy webhook answer broke off")));
        if (resp.statusCode() / 100 != 2) {
            verdict.tryComplete(failed(WebhookVerdict.Outcome.FAILED, "policy webhook answered HTTP " + resp.statusCode()));
            req.reset();
            return;
        }
        Buffer got = Buffer.buffer();
        resp.handler(chunk -> {
            if (got.length() + chunk.length() > settings.maxResponseBytes()) {
                verdict.tryComplete(failed(WebhookVerdict.Outcome.FAILED, "policy webhook answer is over " + settings.maxResponseBytes() + " bytes"));
                req.reset();
            } else {
                got.appendBuffer(chunk);
            }
        });
        resp.endHandler(v -> verdict.tryComplete(parse(got.getBytes())));
    }

    private WebhookVerdict failed(WebhookVerdict.Outcome outcome, String why) {
        boolean block = settings.failMode() == WebhookSettings.FailMode.CLOSED;
        return new WebhookVerdict(block, why + (block ? " (failing closed)" : " (failing open)"), "", outcome);
    }

    /** Reads {@code {"block": bool, "reason": string, "rule_id": string}}; anything else is a failed call. */
    WebhookVerdict parse(byte[] json) {
        Boolean block = null;
        String reason = "";
        String ruleId = "";
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return failed(WebhookVerdict.Outcome.FAILED, "policy webhook answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("block") && (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE)) {
                    block = t == JsonToken.VALUE_TRUE;
                } else if (name.equals("reason") && t == JsonToken.VALUE_STRING) {
                    reason = clean(p.getText(), MAX_REASON);
                } else if (name.equals("rule_id") && t == JsonToken.VALUE_STRING) {
                    ruleId = clean(p.getText(), MAX_RULE_ID);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return failed(WebhookVerdict.Outcome.FAILED, "policy webhook answer is not valid JSON");
        }
        if (block == null) {
            return failed(WebhookVerdict.Outcome.FAILED, "policy webhook answer has no boolean \"block\"");
        }
        return new WebhookVerdict(block, reason, ruleId, WebhookVerdict.Outcome.ANSWERED);
    }

    /** Text from outside goes into error messages and logs: bounded, and without control characters. */
    private static String clean(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        s.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT).limit(max).forEach(b::appendCodePoint);
        return b.toString();
    }

    static byte[] encode(RequestSummary s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 128 * s.findings().size());
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("request_id", s.requestId());
            g.writeStringField("org", s.org());
            g.writeStringField("team", s.team());
            g.writeStringField("user", s.user());
            g.writeStringField("key_id", s.keyId());
            g.writeStringField("model", s.model());
            g.writeNumberField("messages", s.messages());
            g.writeNumberField("body_bytes", s.bodyBytes());
            g.writeArrayFieldStart("findings");
            for (Finding f : s.findings()) {
                g.writeStartObject();
                g.writeStringField("rule", f.rule());
                g.writeStringField("category", f.category().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("severity", f.severity().label());
                g.writeStringField("location", f.location().describe());
                g.writeNumberField("score", f.score());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("encoding a request summary", e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        client.close();
    }
}
