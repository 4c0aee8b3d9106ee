package dev.sluice.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The usage fields one JSON {@code usage} object carried, remembering which were present.
 *
 * <p>Presence matters for streams: a {@code message_delta} replaces only the cumulative counts it
 * carries and leaves the others as {@code message_start} reported them.
 */
final class UsageFields {

    static final int INPUT = 0;
    static final int OUTPUT = 1;
    static final int CACHE_CREATION = 2;
    static final int CACHE_READ = 3;
    static final int CACHE_5M = 4;
    static final int CACHE_1H = 5;
    static final int WEB_SEARCH = 6;
    static final int WEB_FETCH = 7;

    private final long[] values = new long[8];
    private int present;
    private boolean doubtful;

    /** Reads the object the parser is positioned at (its START_OBJECT); leaves the parser on its END_OBJECT. */
    static UsageFields read(JsonParser p) throws IOException {
        UsageFields f = new UsageFields();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            f.doubtful = p.currentToken() != JsonToken.VALUE_NULL; // "usage": "lots" is not "no usage"
            p.skipChildren();
            return f;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "input_tokens" -> f.take(INPUT, p, value);
                case "output_tokens" -> f.take(OUTPUT, p, value);
                case "cache_creation_input_tokens" -> f.take(CACHE_CREATION, p, value);
                case "cache_read_input_tokens" -> f.take(CACHE_READ, p, value);
                case "cache_creation" -> f.readNested(p, value, "ephemeral_5m_input_tokens", CACHE_5M,
                        "ephemeral_1h_input_tokens", CACHE_1H);
                case "server_tool_use" -> f.readNested(p, value, "web_search_requests", WEB_SEARCH,
                        "web_fetch_requests", WEB_FETCH);
                default -> p.skipChildren();
            }
        }
        return f;
    }

    private void readNested(JsonParser p, JsonToken value, String firstName, int first, String secondName, int second)
            throws IOException {
        if (value != JsonToken.START_OBJECT) {
            doubtful |= value != JsonToken.VALUE_NULL;
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals(firstName)) {
                take(first, p, v);
            } else if (name.equals(secondName)) {
                take(second, p, v);
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * Numbers count; null means "not reported" (some upstreams send null for absent counts). A count no upstream means
     * (negative, fractional, a string, a boolean, an array or object) is held at a number a price can use, and the fields
     * marked {@link #doubtful()}: the upstream did not say what it billed, so the record must not claim it is exact.
     */
    private void take(int field, JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            // Past a long, the count is absurd anyway: held at the largest, then bounded like any implausible count.
            boolean big = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
            boolean negative = big ? p.getBigIntegerValue().signum() < 0 : p.getLongValue() < 0;
            values[field] = negative ? 0 : big ? Long.MAX_VALUE : p.getLongValue();
            doubtful |= negative;
            present |= 1 << field;
        } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double count = p.getDoubleValue();
            values[field] = Math.max(0, (long) count); // NaN becomes 0, past a long the largest
            doubtful |= !(count >= 0) || count != Math.rint(count);
            present |= 1 << field;
        } else if (value == JsonToken.VALUE_STRING) {
            // "5000": not the wire's type, so whatever we read is not the upstream's word; a digit string still
            // counts (billed, flagged), anything else is held at 0 and flagged, never a silent exact zero.
            values[field] = digits(p.getText());
            doubtful = true;
            present |= 1 << field;
        } else if (value != JsonToken.VALUE_NULL) {
            p.skipChildren(); // true, [..], {..}: no count at all, and no upstream means that
            doubtful = true;
        }
    }

    /** A plain non-negative decimal integer string's value (held at the largest long past it), else 0. */
    private static long digits(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 1_000 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return t.length() > 18 ? Long.MAX_VALUE : Long.parseLong(t);
    }

    /** True when a count was negative or fractional: its value here is a stand-in, not the upstream's word. */
    boolean doubtful() {
        return doubtful;
    }

    boolean isEmpty() {
        return present == 0;
    }

    boolean has(int field) {
        return (present & (1 << field)) != 0;
    }

    /** These fields over {@code base}: a field present here replaces the base value, an absent one keeps it. */
    Usage over(Usage base) {
        return new Usage(
                pick(INPUT, base.inputTokens()), pick(OUTPUT, base.outputTokens()),
                pick(CACHE_CREATION, base.cacheCreationInputTokens()), pick(CACHE_READ, base.cacheReadInputTokens()),
                pick(CACHE_5M, base.cacheCreation5m()), pick(CACHE_1H, base.cacheCreation1h()),
                pick(WEB_SEARCH, base.webSearchRequests()), pick(WEB_FETCH, base.webFetchRequests()));
    }

    Usage toUsage() {
        return over(Usage.ZERO);
    }

    private long pick(int field, long base) {
        return has(field) ? values[field] : base;
    }
}
