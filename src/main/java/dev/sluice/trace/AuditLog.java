package dev.sluice.trace;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Target;
import dev.sluice.pipeline.Cost;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One structured line per request on the {@value #LOGGER} logger: who, what, where it went, what came
 * back, what it cost, how long it took. With {@code SLUICE_LOG_FORMAT=json} each line is one JSON object
 * whose {@code kvpList} holds these fields; set the logger to {@code OFF} to silence it.
 *
 * <p>Built only from the exchange's parsed facts, never from request headers, so no gateway or upstream
 * key can reach it. Prompts and completions are added only when content logging is on, cut at
 * {@link #CONTENT_LIMIT} bytes each.
 */
final class AuditLog implements ExchangeObserver {
    static final String LOGGER = "sluice.audit";
    static final int CONTENT_LIMIT = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final boolean logContent;
    private final ToLongFunction<Exchange> gatewayCacheSavingsNanoUsd;

    AuditLog(boolean logContent, ToLongFunction<Exchange> gatewayCacheSavingsNanoUsd) {
        this.logContent = logContent;
        this.gatewayCacheSavingsNanoUsd = gatewayCacheSavingsNanoUsd;
    }

    @Override
    public void observe(Exchange ex) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        Identity who = ex.identity();
        Target target = ex.target();
        Usage u = ex.usage();
        Cost c = ex.cost();
        String served = target == null ? null : target.servedModel();
        LoggingEventBuilder line = LOG.atInfo()
                .addKeyValue("request_id", ex.requestId())
                .addKeyValue("endpoint", ex.endpoint().path())
                .addKeyValue("status", ex.status())
                .addKeyValue("attempts", ex.attempts())
                .addKeyValue("stream", ex.streaming())
                .addKeyValue("client_gone", ex.clientGone());
        put(line, "error_type", ex.errorType());
        identity(line, who);
        put(line, "session", ex.sessionId());
        put(line, "client", ex.client());
        put(line, "model_requested", ex.facts().model());
        put(line, "model_served", served);
        if (target != null) {
            put(line, "provider", target.provider());
            put(line, "upstream", target.upstream());
        }
        put(line, "upstream_key_alias", ex.upstreamKeyAlias());
        line.addKeyValue("input_tokens", u.inputTokens())
                .addKeyValue("output_tokens", u.outputTokens())
                .addKeyValue("cache_read_tokens", u.cacheReadInputTokens())
                .addKeyValue("cache_write_tokens", u.cacheWriteTokens())
                .addKeyValue("usage_estimated", ex.usageEstimated())
                .addKeyValue("cost_usd", c.usd().toPlainString())
                .addKeyValue("provider_cache_savings_usd", usd(c.providerCacheSavingsNanoUsd()))
                .addKeyValue("gateway_cache_savings_usd", usd(gatewayCacheSavingsNanoUsd.applyAsLong(ex)))
                .addKeyValue("cache", ex.cacheStatus())
                .addKeyValue("latency_ms", ex.totalMillis())
                .addKeyValue("ttfb_ms", ex.upstreamTtfbMillis())
                .addKeyValue("gateway_ms", Math.round(ex.gatewayMillis() * 1000) / 1000.0);
        if (logContent) {
            put(line, "request_body", text(ex.body()));
            if (!ex.streaming()) {
                put(line, "response_body", text(ex.responseBody()));
            }
        }
        line.log("{} {} {} {} ms", ex.endpoint().path(), ex.status(), served != null ? served : ex.facts().model(), ex.totalMillis());
    }

    private static void identity(LoggingEventBuilder line, Identity who) {
        if (who == null) {
            return;
        }
        put(line, "key_alias", who.keyAlias());
        put(line, "user", who.userId());
        put(line, "team", who.teamId());
        put(line, "org", who.orgId());
        if (who.tags() == null) {
            return;
        }
        for (Map.Entry<String, String> tag : who.tags().entrySet()) {
            put(line, "tag." + tag.getKey(), tag.getValue());
        }
    }

    /** Absent facts are left out rather than logged as the string "null". */
    private static void put(LoggingEventBuilder line, String key, String value) {
        if (value != null) {
            line.addKeyValue(key, value);
        }
    }

    private static String usd(long nanoUsd) {
        return BigDecimal.valueOf(nanoUsd, 9).toPlainString();
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
