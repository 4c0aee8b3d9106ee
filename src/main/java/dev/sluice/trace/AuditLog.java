package dev.sluice.trace;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Cost;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.Target;
import dev.sluice.record.LedgerRecord;
import dev.sluice.wire.JsonText;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON line per request in the audit log: who, what, where it went, what came back, what it
 * cost, how long it took. Built only from the exchange's parsed facts, never from request headers,
 * so no gateway or upstream key can reach it. Prompts and completions are added only when content
 * logging is on, cut at {@link #CONTENT_LIMIT} bytes each. Lines go to an {@link AuditWriter}, which
 * never drops one.
 */
final class AuditLog implements ExchangeObserver {
    static final int CONTENT_LIMIT = 64 * 1024;

    private final boolean logContent;
    private final AuditWriter writer;

    AuditLog(boolean logContent, AuditWriter writer) {
        this.logContent = logContent;
        this.writer = writer;
    }

    @Override
    public void observe(Exchange ex) {
        writer.write(line(ex).bytes());
    }

    JsonText line(Exchange ex) {
        Identity who = ex.identity();
        Target target = ex.target();
        Usage u = ex.usage();
        Cost c = ex.cost();
        JsonText line = new JsonText(logContent ? 4096 : 768)
                .field("ts", Instant.now().toString())
                .field("kind", "request")
                .field("request_id", ex.requestId())
                .field("route", ex.route())
                .field("protocol", ex.protocol().name())
                .field("status", ex.status())
                .field("attempts", ex.attempts().size())
                .field("stream", ex.streamedRequest())
                .field("client_gone", ex.clientGone())
                .field("error_type", ex.errorType());
        identity(line, who);
        line.field("session", ex.sessionId())
                .field("client", ex.client())
                .field("model_requested", ex.facts().model());
        if (target != null && !ex.attempts().isEmpty()) {
            Attempt last = ex.lastAttempt();
            line.field("model_served", last.servedModel())
                    .field("provider", target.provider())
                    .field("upstream", target.upstream())
                    .field("upstream_key_alias", last.upstreamKeyAlias());
        } else if (ex.get(dev.sluice.record.CacheHitRecord.KEY) != null) {
            // answered by the gateway's cache: as its ledger record, the stored answer's model and provider `cache`
            line.field("model_served", ex.get(dev.sluice.record.CacheHitRecord.KEY).model())
                    .field("provider", dev.sluice.record.CacheHitRecord.PROVIDER);
        }
        line.field("input_tokens", u.inputTokens())
                .field("output_tokens", u.outputTokens())
                .field("cache_read_tokens", u.cacheReadInputTokens())
                .field("cache_write_tokens", u.cacheWriteTokens())
                .field("usage_estimated", ex.usageEstimated())
                .raw("cost_usd", c.usd().toPlainString())
                .raw("provider_cache_savings_usd", usd(c.providerCacheSavingsNanoUsd()))
                .raw("gateway_cache_savings_usd", usd(ex.gatewaySavingsNanoUsd()))
                .field("cache", ex.cacheStatus())
                .field("latency_ms", ex.totalMillis())
                .field("ttfb_ms", ex.upstreamTtfbMillis())
                .raw("gateway_ms", Double.toString(Math.round(ex.gatewayMillis() * 1000) / 1000.0))
                .field("config_version", ex.snapshot().version())
                // Issue 12: the guard's verdict ("pass", or the action and each finding's rule and place; never the text).
                .field("guard", ex.get(dev.sluice.record.RecordStage.GUARD_VERDICT));
        if (logContent) {
            requestBody(line, ex);
            if (!ex.streaming()) {
                line.field("response_body", text(ex.responseBody()));
            }
        }
        return line;
    }

    /**
     * The line for an upstream attempt a crash left unfinished, written at the next start beside its
     * {@code gateway_restart} ledger record (the request never completed, so it has no other line): {@code kind}
     * {@code request} like every request line, with the attempt number, {@code status} 0 and {@code error_type}
     * {@code gateway_restart} as in the ledger, {@code recovered} true, and the usage billed, flagged estimated.
     * What only the finished exchange knew (route, protocol, latency, bodies) is absent.
     */
    static JsonText recoveredLine(LedgerRecord r) {
        JsonText line = new JsonText(768)
                .field("ts", Instant.now().toString())
                .field("kind", "request")
                .field("request_id", r.requestId())
                .field("attempt", r.attempt())
                .field("recovered", true)
                .field("started", r.time().toString())
                .field("status", r.status())
                .field("stream", r.stream())
                .field("error_type", r.errorType())
                .field("key_alias", r.keyAlias()).field("user", r.userId()).field("team", r.teamId()).field("org", r.orgId());
        r.tags().forEach((k, v) -> line.field("tag." + k, v));
        Usage u = r.usage();
        return line.field("session", r.sessionId())
                .field("client", r.client())
                .field("model_requested", r.requestedModel())
                .field("model_served", r.servedModel())
                .field("provider", r.provider())
                .field("upstream_key_alias", r.upstreamKeyAlias())
                .field("input_tokens", u.inputTokens())
                .field("output_tokens", u.outputTokens())
                .field("cache_read_tokens", u.cacheReadInputTokens())
                .field("cache_write_tokens", u.cacheWriteTokens())
                .field("usage_estimated", r.usageEstimated())
                .raw("cost_usd", usd(r.costNanoUsd()))
                .raw("provider_cache_savings_usd", usd(r.providerCacheSavingsNanoUsd()))
                .field("cache", r.cacheStatus())
                .field("guard", r.guardVerdict());
    }

    /**
     * The body as the client sent it; when the guard blocked or redacted it (issue 12), the body as forwarded,
     * redactions applied (in the canonical form, for a translated client protocol), or for a block nothing at all:
     * what the policy keeps from the upstream stays out of the log too. A translated client protocol's body, once the
     * guard has read it, is logged in the canonical form the guard read: the client's own holds fields the translation
     * drops (an OpenAI message's {@code name}, {@code metadata}, {@code prediction}), which no scan read and no upstream
     * gets, and a token there reached the log (attack round 39).
     */
    private static void requestBody(JsonText line, Exchange ex) {
        if (!Boolean.TRUE.equals(ex.get(dev.sluice.record.RecordStage.GUARD_WITHHELD))) {
            boolean guarded = ex.get(dev.sluice.record.RecordStage.GUARD_VERDICT) != null && ex.body() != null;
            line.field("request_body", guarded && ex.body() != ex.originalBody() ? text(ex.body().bytes()) : text(ex.originalBody()));
        } else if (ex.body() != null && ex.body().edited()) {
            line.field("request_body", text(ex.body().bytes()));
        } else {
            line.field("request_body_withheld", "guard");
        }
    }

    /** A Message Batches call's or billing's line ({@code Telemetry#auditBatch}): who, the action, the batch, its outcome. */
    static JsonText batchLine(String requestId, String action, Identity who, String batchId, int status, long requests,
                              long records, long costNanoUsd) {
        JsonText line = new JsonText(320)
                .field("ts", Instant.now().toString())
                .field("kind", "message_batch")
                .field("request_id", requestId)
                .field("action", action)
                .field("batch", batchId)
                .field("status", status);
        if (requests >= 0) {
            line.field("requests", requests);
        }
        if (records >= 0) {
            line.field("records", records).raw("cost_usd", usd(costNanoUsd));
        }
        identity(line, who);
        return line;
    }

    private static void identity(JsonText line, Identity who) {
        if (who == null) {
            return;
        }
        line.field("key_alias", who.keyAlias()).field("user", who.userId()).field("team", who.teamId()).field("org", who.orgId());
        if (who.tags() == null) {
            return;
        }
        for (Map.Entry<String, String> tag : who.tags().entrySet()) {
            line.field("tag." + tag.getKey(), tag.getValue());
        }
    }

    private static String usd(long nanoUsd) {
        return BigDecimal.valueOf(nanoUsd, 9).toPlainString();
    }

    static String text(RequestBody body) {
        return body == null ? null : text(body.original());
    }

    /** The body as text, cut at the limit (a multi-byte character split by the cut shows as U+FFFD). */
    static String text(Buffer body) {
        if (body == null) {
            return null;
        }
        int n = body.length();
        if (n <= CONTENT_LIMIT) {
            return body.toString(StandardCharsets.UTF_8);
        }
        return body.getString(0, CONTENT_LIMIT, "UTF-8") + "...[" + (n - CONTENT_LIMIT) + " more bytes]";
    }
}
