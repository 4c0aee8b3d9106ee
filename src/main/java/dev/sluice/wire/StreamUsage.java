package dev.sluice.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Accumulates the usage of one Messages SSE stream, fed with each event's type and data bytes.
 *
 * <p>Rules, from the wire format:
 * <ol>
 *   <li>{@code message_start} carries the base usage (input and cache counts, an initial output count).</li>
 *   <li>Each {@code message_delta}'s usage is <em>cumulative</em>: every field it carries replaces the
 *       current value, fields it omits stay. Summing deltas is the classic double-billing bug.</li>
 *   <li>A stream cut before its final {@code message_delta} (client cancel, upstream death) has an unknown
 *       output count; {@link #addEstimatedOutput} lets the relay feed the text bytes it saw so the ledger
 *       bills about bytes/4 tokens instead of nothing, and {@link #estimated()} flags the record.</li>
 * </ol>
 *
 * <p>Only {@code message_start}, {@code message_delta} and {@code error} are parsed; the frequent
 * {@code content_block_delta} events cost one string comparison. Not thread-safe: one instance per stream,
 * used from the stream's own thread.
 */
public final class StreamUsage {

    private Usage base = Usage.ZERO;
    private Usage current = Usage.ZERO;
    private boolean sawStart;
    private boolean sawFinalDelta;
    private boolean malformed;
    private String servedModel;
    private String errorType;
    private long estimatedTextBytes;

    /**
     * Feeds one event. {@code eventType} is the SSE {@code event:} name; pass null when the transport has
     * none (a Bedrock event-stream chunk) and the JSON {@code type} field decides.
     */
    public void onEvent(String eventType, byte[] data, int off, int len) {
        if (eventType != null && !isUsageBearing(eventType)) {
            return;
        }
        try (JsonParser p = Json.FACTORY.createParser(data, off, len)) {
            parse(eventType, p);
        } catch (IOException | RuntimeException e) {
            // A broken event must not break the relay, but the count may now be uncertain: flag it.
            malformed = true;
        }
    }

    private static boolean isUsageBearing(String type) {
        return type.equals("message_start") || type.equals("message_delta") || type.equals("error");
    }

    private void parse(String eventType, JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return;
        }
        String type = eventType;
        UsageFields usage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                if (type == null) {
                    type = p.getText();
                    if (!isUsageBearing(type)) {
                        return; // e.g. a content_block_delta chunk from Bedrock
                    }
                }
            } else if (name.equals("message") && value == JsonToken.START_OBJECT) {
                usage = readMessage(p);
            } else if (name.equals("usage") && value == JsonToken.START_OBJECT) {
                usage = UsageFields.read(p);
            } else if (name.equals("error") && value == JsonToken.START_OBJECT) {
                readError(p);
            } else {
                p.skipChildren();
            }
        }
        apply(type, usage);
    }

    private void apply(String type, UsageFields usage) {
        if (usage != null && usage.doubtful() && ("message_start".equals(type) || "message_delta".equals(type))) {
            malformed = true; // a negative or fractional count: what the upstream billed is not known
        }
        if ("message_start".equals(type)) {
            sawStart = true;
            base = usage == null ? Usage.ZERO : usage.toUsage();
            current = base;
        } else if ("message_delta".equals(type) && usage != null && !usage.isEmpty()) {
            Usage next = usage.over(current);
            if (decreases(current, next)) {
                // Cumulative counts never go down: an upstream (or relay) that reports less than it already said either
                // sends increments or zeros for "unchanged". Keep the larger count and flag the record.
                malformed = true;
                next = atLeast(current, next);
            }
            current = next;
            sawFinalDelta = true;
        }
    }

    private static boolean decreases(Usage a, Usage b) {
        return b.inputTokens() < a.inputTokens() || b.outputTokens() < a.outputTokens()
                || b.cacheCreationInputTokens() < a.cacheCreationInputTokens() || b.cacheReadInputTokens() < a.cacheReadInputTokens()
                || b.cacheCreation5m() < a.cacheCreation5m() || b.cacheCreation1h() < a.cacheCreation1h()
                || b.webSearchRequests() < a.webSearchRequests() || b.webFetchRequests() < a.webFetchRequests();
    }

    private static Usage atLeast(Usage a, Usage b) {
        return new Usage(Math.max(a.inputTokens(), b.inputTokens()), Math.max(a.outputTokens(), b.outputTokens()),
                Math.max(a.cacheCreationInputTokens(), b.cacheCreationInputTokens()),
                Math.max(a.cacheReadInputTokens(), b.cacheReadInputTokens()), Math.max(a.cacheCreation5m(), b.cacheCreation5m()),
                Math.max(a.cacheCreation1h(), b.cacheCreation1h()), Math.max(a.webSearchRequests(), b.webSearchRequests()),
                Math.max(a.webFetchRequests(), b.webFetchRequests()));
    }

    private UsageFields readMessage(JsonParser p) throws IOException {
        UsageFields usage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("usage") && value == JsonToken.START_OBJECT) {
                usage = UsageFields.read(p);
            } else if (name.equals("model") && value == JsonToken.VALUE_STRING) {
                servedModel = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return usage;
    }

    private void readError(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                errorType = p.getText();
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * Adds relayed text bytes toward an output estimate, used only if the stream never delivers its final
     * {@code message_delta}. Roughly four bytes of English or code per token.
     */
    /**
     * Feeds a {@code content_block_delta}'s data (JSON at {@code [from, from + length)}): what counts toward the
     * estimate is the delta's payload string (its text, partial JSON or thinking), not the envelope around it, which
     * is 80 to 95 bytes whatever the delta says and would make a one-word delta five phantom tokens.
     */
    public void addDelta(byte[] data, int from, int length) {
        addEstimatedOutput(deltaPayloadBytes(data, from, length));
    }

    private static final byte[] DELTA_TYPE = "\"delta\":{\"type\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Bytes of the payload string of a delta written as Anthropic writes it; the whole data less 80 otherwise. */
    public static int deltaPayloadBytes(byte[] b, int from, int length) {
        int end = from + length;
        int at = indexOf(b, from, end, DELTA_TYPE);
        if (at >= 0) {
            int p = at + DELTA_TYPE.length;
            while (p < end && b[p] != '"') {
                p++; // the delta's type name
            }
            // then ,"<field>":" and the payload up to the closing quote before the final }}
            int colon = indexOf(b, p + 1, end, COLON_QUOTE);
            int close = end - 1;
            while (close > p && b[close] != '"') {
                close--;
            }
            if (colon >= 0 && close > colon + COLON_QUOTE.length) {
                return close - (colon + COLON_QUOTE.length);
            }
        }
        return length - 80;
    }

    private static final byte[] COLON_QUOTE = "\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static int indexOf(byte[] b, int from, int end, byte[] s) {
        for (int i = from; i + s.length <= end; i++) {
            if (b[i] == s[0] && java.util.Arrays.equals(b, i, i + s.length, s, 0, s.length)) {
                return i;
            }
        }
        return -1;
    }

    public void addEstimatedOutput(int textBytes) {
        if (textBytes > 0) {
            estimatedTextBytes += textBytes;
        }
    }

    /** The usage so far: final once {@link #sawFinalDelta()}, otherwise the start counts plus the byte estimate. */
    public Usage usage() {
        if (sawFinalDelta) {
            return current;
        }
        long estimate = (estimatedTextBytes + 3) / 4;
        if (estimate <= current.outputTokens()) {
            return current;
        }
        return new Usage(current.inputTokens(), estimate, current.cacheCreationInputTokens(),
                current.cacheReadInputTokens(), current.cacheCreation5m(), current.cacheCreation1h(),
                current.webSearchRequests(), current.webFetchRequests());
    }

    public boolean sawStart() {
        return sawStart;
    }

    public boolean sawFinalDelta() {
        return sawFinalDelta;
    }

    /** The model the upstream says it served ({@code message_start.message.model}), or null before it. */
    public String servedModel() {
        return servedModel;
    }

    /** The {@code error.type} of an in-stream error event (which can follow an HTTP 200), or null. */
    public String errorType() {
        return errorType;
    }

    /**
     * True when the counts are not the upstream's final word: the stream ended without a final {@code message_delta}
     * after it started, a usage-bearing event could not be parsed or carried a count no upstream means (negative,
     * fractional), or the stream said nothing at all (keep-alives only: an upstream that accepted the request may
     * bill it). Only a stream that reported an error and nothing else is an exact zero.
     */
    public boolean estimated() {
        return malformed || !sawFinalDelta && (sawStart || estimatedTextBytes > 0 || errorType == null);
    }
}
