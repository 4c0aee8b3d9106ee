package dev.sluice.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ledger record as one JSON object, the payload of a journal line. Field names match the table's columns
 * so an operator reading a journal by hand recognises them; {@code v} versions the format.
 */
final class JournalCodec {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int VERSION = 1;

    private JournalCodec() {
    }

    static byte[] encode(LedgerRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            Usage u = r.usage();
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("request_id", r.requestId());
            g.writeNumberField("attempt", r.attempt());
            g.writeNumberField("ts_ms", r.time().toEpochMilli());
            text(g, "key_id", r.keyId());
            text(g, "key_alias", r.keyAlias());
            text(g, "user_id", r.userId());
            text(g, "team_id", r.teamId());
            text(g, "org_id", r.orgId());
            if (!r.tags().isEmpty()) {
                g.writeObjectFieldStart("tags");
                for (Map.Entry<String, String> e : r.tags().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            text(g, "session_id", r.sessionId());
            text(g, "client", r.client());
            text(g, "endpoint", r.endpoint());
            text(g, "requested_model", r.requestedModel());
            text(g, "served_model", r.servedModel());
            text(g, "provider", r.provider());
            text(g, "upstream_key_alias", r.upstreamKeyAlias());
            g.writeNumberField("status", r.status());
            text(g, "error_type", r.errorType());
            number(g, "input_tokens", u.inputTokens());
            number(g, "output_tokens", u.outputTokens());
            number(g, "cache_creation_tokens", u.cacheCreationInputTokens());
            number(g, "cache_read_tokens", u.cacheReadInputTokens());
            number(g, "cache_creation_5m_tokens", u.cacheCreation5m());
            number(g, "cache_creation_1h_tokens", u.cacheCreation1h());
            number(g, "web_search_requests", u.webSearchRequests());
            number(g, "web_fetch_requests", u.webFetchRequests());
            g.writeBooleanField("usage_estimated", r.usageEstimated());
            number(g, "cost_nano_usd", r.costNanoUsd());
            number(g, "provider_cache_savings_nano_usd", r.providerCacheSavingsNanoUsd());
            number(g, "gateway_cache_savings_nano_usd", r.gatewayCacheSavingsNanoUsd());
            text(g, "cache_status", r.cacheStatus());
            number(g, "latency_ms", r.latencyMs());
            number(g, "ttfb_ms", r.ttfbMs());
            number(g, "gateway_ms", r.gatewayMs());
            g.writeBooleanField("stream", r.stream());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output; not expected
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the payload is not a record this version can read */
    static LedgerRecord decode(byte[] payload, int off, int len) {
        Map<String, Object> f = new TreeMap<>();
        Map<String, String> tags = new TreeMap<>();
        try (JsonParser p = JSON.createParser(payload, off, len)) {
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
                str(f, "cache_status"), num(f, "latency_ms"), num(f, "ttfb_ms"), num(f, "gateway_ms"), bool(f, "stream"));
    }

    private static void text(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Zeros are left out: most records have no cache or web counts, and shorter lines mean less I/O. */
    private static void number(JsonGenerator g, String name, long value) throws IOException {
        if (value != 0) {
            g.writeNumberField(name, value);
        }
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
