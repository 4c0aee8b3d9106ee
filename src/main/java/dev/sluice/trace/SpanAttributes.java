package dev.sluice.trace;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Target;
import dev.sluice.wire.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request span's attributes: OpenTelemetry's GenAI and HTTP conventions where one exists, {@code sluice.*}
 * for the gateway's own facts (who called, what it cost, what the cache did).
 */
final class SpanAttributes {
    static final AttributeKey<String> GEN_AI_SYSTEM = stringKey("gen_ai.system");
    static final AttributeKey<String> GEN_AI_PROVIDER = stringKey("gen_ai.provider.name");
    static final AttributeKey<String> GEN_AI_OPERATION = stringKey("gen_ai.operation.name");
    static final AttributeKey<String> GEN_AI_REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<String> GEN_AI_RESPONSE_MODEL = stringKey("gen_ai.response.model");
    static final AttributeKey<Long> GEN_AI_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Long> GEN_AI_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> GEN_AI_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> GEN_AI_CACHE_READ = longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<Long> GEN_AI_CACHE_CREATION = longKey("gen_ai.usage.cache_creation.input_tokens");
    static final AttributeKey<String> HTTP_METHOD = stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = stringKey("http.route");
    static final AttributeKey<Long> HTTP_STATUS = longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
    static final AttributeKey<String> REQUEST_ID = stringKey("sluice.request_id");
    static final AttributeKey<String> USER = stringKey("sluice.user");
    static final AttributeKey<String> TEAM = stringKey("sluice.team");
    static final AttributeKey<String> ORG = stringKey("sluice.org");
    static final AttributeKey<String> KEY_ALIAS = stringKey("sluice.key_alias");
    static final AttributeKey<String> SESSION = stringKey("sluice.session");
    static final AttributeKey<String> UPSTREAM = stringKey("sluice.upstream");
    static final AttributeKey<String> UPSTREAM_KEY_ALIAS = stringKey("sluice.upstream_key_alias");
    static final AttributeKey<Double> COST_USD = doubleKey("sluice.cost_usd");
    static final AttributeKey<String> CACHE = stringKey("sluice.cache");
    static final AttributeKey<Long> ATTEMPTS = longKey("sluice.attempts");
    static final AttributeKey<Double> GATEWAY_MS = doubleKey("sluice.gateway_ms");
    static final AttributeKey<Boolean> STREAM = booleanKey("sluice.stream");
    static final AttributeKey<String> DETAIL = stringKey("sluice.detail");
    /** Issue 12: the guard's verdict, as in the ledger and the audit log. */
    static final AttributeKey<String> GUARD = stringKey("sluice.guard");
    static final String TAG_PREFIX = "sluice.tag.";
    private static final int MAX_CACHED_TAG_KEYS = 256;

    private final Map<String, AttributeKey<String>> tagKeys = new ConcurrentHashMap<>();

    /** Sets every attribute of the request's server span on its builder (one pass, no span lock taken per attribute). */
    void server(SpanBuilder b, Exchange ex) {
        Target target = ex.target();
        String provider = target == null ? "anthropic" : target.provider();
        b.setAttribute(GEN_AI_SYSTEM, provider);
        b.setAttribute(GEN_AI_PROVIDER, provider);
        if (ex.operation() == Operation.MESSAGES) {
            b.setAttribute(GEN_AI_OPERATION, "chat");
        }
        set(b, GEN_AI_REQUEST_MODEL, ex.facts().model());
        if (target != null) {
            set(b, GEN_AI_RESPONSE_MODEL, target.servedModel());
            set(b, UPSTREAM, target.upstream());
        }
        if (ex.facts().maxTokens() >= 0) {
            b.setAttribute(GEN_AI_MAX_TOKENS, ex.facts().maxTokens());
        }
        Usage u = ex.usage();
        // The GenAI convention counts cache reads and writes inside input_tokens; Anthropic reports them apart.
        b.setAttribute(GEN_AI_INPUT_TOKENS, u.promptTokens());
        b.setAttribute(GEN_AI_OUTPUT_TOKENS, u.outputTokens());
        b.setAttribute(GEN_AI_CACHE_READ, u.cacheReadInputTokens());
        b.setAttribute(GEN_AI_CACHE_CREATION, u.cacheWriteTokens());

        b.setAttribute(HTTP_METHOD, ex.request().method().name());
        b.setAttribute(HTTP_ROUTE, ex.route().substring(ex.route().indexOf(' ') + 1));
        b.setAttribute(HTTP_STATUS, (long) ex.status());
        set(b, ERROR_TYPE, ex.errorType());

        b.setAttribute(REQUEST_ID, ex.requestId());
        identity(b, ex.identity());
        set(b, SESSION, ex.sessionId());
        Attempt last = ex.lastAttempt();
        set(b, UPSTREAM_KEY_ALIAS, last == null ? null : last.upstreamKeyAlias());
        b.setAttribute(COST_USD, ex.cost().nanoUsd() / 1e9);
        set(b, CACHE, ex.cacheStatus());
        b.setAttribute(ATTEMPTS, (long) ex.attempts().size());
        b.setAttribute(GATEWAY_MS, ex.gatewayMillis());
        b.setAttribute(STREAM, ex.streaming());
        set(b, GUARD, ex.get(dev.sluice.record.RecordStage.GUARD_VERDICT));
    }

    private void identity(SpanBuilder b, Identity who) {
        if (who == null) {
            return;
        }
        set(b, KEY_ALIAS, who.keyAlias());
        set(b, USER, who.userId());
        set(b, TEAM, who.teamId());
        set(b, ORG, who.orgId());
        if (who.tags() == null) {
            return;
        }
        for (Map.Entry<String, String> tag : who.tags().entrySet()) {
            set(b, tagKey(tag.getKey()), tag.getValue());
        }
    }

    private AttributeKey<String> tagKey(String name) {
        AttributeKey<String> key = tagKeys.get(name);
        if (key != null) {
            return key;
        }
        key = stringKey(TAG_PREFIX + name);
        if (tagKeys.size() < MAX_CACHED_TAG_KEYS) {
            tagKeys.putIfAbsent(name, key);
        }
        return key;
    }

    private static void set(SpanBuilder b, AttributeKey<String> key, String value) {
        if (value != null) {
            b.setAttribute(key, value);
        }
    }
}
