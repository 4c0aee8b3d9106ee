package dev.sluice.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.JsonText;
import dev.sluice.wire.Usage;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ledger record as one JSON object, the payload of a journal line. Field names match the table's columns
 * so an operator reading a journal by hand recognises them; {@code v} versions the format.
 */
final class JournalCodec {

    private static final int VERSION = 1;

    private JournalCodec() {
    }

    static byte[] encode(LedgerRecord r) {
        Usage u = r.usage();
        JsonText j = new JsonText(640)
                .field("v", VERSION)
                .field("request_id", r.requestId())
                .field("attempt", r.attempt())
                .field("ts_ms", r.time().toEpochMilli())
                .field("key_id", r.keyId())
                .field("key_alias", r.keyAlias())
                .field("user_id", r.userId())
                .field("team_id", r.teamId())
                .field("org_id", r.orgId());
        if (!r.tags().isEmpty()) {
            j.object("tags");
            for (Map.Entry<String, String> e : r.tags().entrySet()) {
                j.field(e.getKey(), e.getValue());
            }
            j.end();
        }
        // Zeros are left out: most records have no cache or web counts, and shorter lines mean less I/O.
        return j.field("session_id", r.sessionId())
                .field("client", r.client())
                .field("endpoint", r.endpoint())
                .field("requested_model", r.requestedModel())
                .field("served_model", r.servedModel())
                .field("provider", r.provider())
                .field("upstream_key_alias", r.upstreamKeyAlias())
                .field("status", r.status())
                .field("error_type", r.errorType())
                .nonZero("input_tokens", u.inputTokens())
                .nonZero("output_tokens", u.outputTokens())
                .nonZero("cache_creation_tokens", u.cacheCreationInputTokens())
                .nonZero("cache_read_tokens", u.cacheReadInputTokens())
                .nonZero("cache_creation_5m_tokens", u.cacheCreation5m())
                .nonZero("cache_creation_1h_tokens", u.cacheCreation1h())
                .nonZero("web_search_requests", u.webSearchRequests())
                .nonZero("web_fetch_requests", u.webFetchRequests())
                .field("usage_estimated", r.usageEstimated())
                .nonZero("cost_nano_usd", r.costNanoUsd())
                .nonZero("provider_cache_savings_nano_usd", r.providerCacheSavingsNanoUsd())
                .nonZero("gateway_cache_savings_nano_usd", r.gatewayCacheSavingsNanoUsd())
                .field("cache_status", r.cacheStatus())
                .nonZero("latency_ms", r.latencyMs())
                .nonZero("ttfb_ms", r.ttfbMs())
                .nonZero("gateway_ms", r.gatewayMs())
                .field("stream", r.stream())
                .nonZero("cache_saved_input_tokens", r.cacheSavedInputTokens())
                .nonZero("cache_saved_output_tokens", r.cacheSavedOutputTokens())
                .field("guard_verdict", r.guardVerdict()) // absent (null) on most records and on lines written before it existed
                .nonZero("default_priced", r.defaultPriced() ? 1 : 0) // absent unless the model was not in the price table
                .closedBytes();
    }

    /** @throws IllegalArgumentException when the payload is not a record this version can read */
    static LedgerRecord decode(byte[] payload, int off, int len) {
        Map<String, Object> f = new TreeMap<>();
        Map<String, String> tags = new TreeMap<>();
        try (JsonParser p = dev.sluice.wire.Json.FACTORY.createParser(payload, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("journal line: not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("tags") && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        tags.put(k, p.getText());
                    }
                } else if (t == JsonToken.VALUE_STRING) {
                    f.put(name, p.getText());
                } else if (t == JsonToken.VALUE_NUMBER_INT) {
                    f.put(name, p.getLongValue());
                } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    f.put(name, t == JsonToken.VALUE_TRUE);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("journal line: not valid JSON: " + e.getMessage(), e);
        }
        long version = num(f, "v");
        if (version != VERSION) {
            throw new IllegalArgumentException("journal line: format version " + version + " (expected: " + VERSION + ")");
        }
        Usage usage = new Usage(num(f, "input_tokens"), num(f, "output_tokens"), num(f, "cache_creation_tokens"),
                num(f, "cache_read_tokens"), num(f, "cache_creation_5m_tokens"), num(f, "cache_creation_1h_tokens"),
                num(f, "web_search_requests"), num(f, "web_fetch_requests"));
        return new LedgerRecord(str(f, "request_id"), (int) num(f, "attempt"), Instant.ofEpochMilli(num(f, "ts_ms")),
                str(f, "key_id"), str(f, "key_alias"), str(f, "user_id"), str(f, "team_id"), str(f, "org_id"), tags,
                str(f, "session_id"), str(f, "client"), str(f, "endpoint"), str(f, "requested_model"),
                str(f, "served_model"), str(f, "provider"), str(f, "upstream_key_alias"), (int) num(f, "status"),
                str(f, "error_type"), usage, bool(f, "usage_estimated"), num(f, "cost_nano_usd"),
                num(f, "provider_cache_savings_nano_usd"), num(f, "gateway_cache_savings_nano_usd"),
                str(f, "cache_status"), num(f, "latency_ms"), num(f, "ttfb_ms"), num(f, "gateway_ms"), bool(f, "stream"),
                num(f, "cache_saved_input_tokens"), num(f, "cache_saved_output_tokens"), str(f, "guard_verdict"),
                num(f, "default_priced") != 0);
    }

    private static String str(Map<String, Object> f, String name) {
        return f.get(name) instanceof String s ? s : null;
    }

    private static long num(Map<String, Object> f, String name) {
        return f.get(name) instanceof Long l ? l : 0L;
    }

    private static boolean bool(Map<String, Object> f, String name) {
        return f.get(name) instanceof Boolean b && b;
    }
}
