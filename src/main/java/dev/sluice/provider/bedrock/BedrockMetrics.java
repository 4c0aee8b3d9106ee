package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bedrock's own count on the last event, {@code "amazon-bedrock-invocationMetrics":{"inputTokenCount",
 * "outputTokenCount","cacheReadInputTokenCount","cacheWriteInputTokenCount",...}}: the fallback when a
 * stream carried no final {@code message_delta} usage. Anthropic's API never sends it, so once read it is cut out of
 * the canonical event ({@link #without}).
 */
final class BedrockMetrics {
    static final String FIELD = "amazon-bedrock-invocationMetrics";

    private BedrockMetrics() {
    }

    /**
     * {@code event} without its top-level {@value #FIELD} member(s), every other byte as Bedrock sent it (members, their
     * order and spacing); the same array when it has none, or when it is no JSON object whose members can be cut out.
     *
     * <p>How: one pass notes where each top-level member starts (its name's opening quote) and where the object closes.
     * A member ends where the blanks and the comma before the next member (or the blanks before the closing brace)
     * begin; the kept members are written with the separator that came before each in the original.
     */
    static byte[] without(byte[] event) {
        List<Integer> starts = new ArrayList<>();
        List<Boolean> metrics = new ArrayList<>();
        int close;
        try (JsonParser p = Json.FACTORY.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return event;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                starts.add((int) p.currentTokenLocation().getByteOffset());
                metrics.add(FIELD.equals(p.currentName()));
                p.nextToken();
                p.skipChildren();
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                return event;
            }
            close = (int) p.currentTokenLocation().getByteOffset();
        } catch (IOException | RuntimeException e) {
            return event;
        }
        if (!metrics.contains(true) || close <= 0 || close >= event.length || event[close] != '}') {
            return event;
        }
        int n = starts.size();
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            int start = starts.get(i);
            if (start <= 0 || start >= event.length || event[start] != '"') {
                return event;
            }
            int end = blanksBefore(event, i + 1 < n ? starts.get(i + 1) : close);
            if (i + 1 < n) {
                if (event[end - 1] != ',') {
                    return event;
                }
                end = blanksBefore(event, end - 1);
            }
            ends[i] = end;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(event.length);
        out.write(event, 0, starts.getFirst());
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (metrics.get(i)) {
                continue;
            }
            if (!first) {
                out.write(event, ends[i - 1], starts.get(i) - ends[i - 1]); // the comma and blanks before it, as sent
            }
            out.write(event, starts.get(i), ends[i] - starts.get(i));
            first = false;
        }
        out.write(event, ends[n - 1], event.length - ends[n - 1]);
        return out.toByteArray();
    }

    /** The offset after the last non-blank byte before {@code at}. */
    private static int blanksBefore(byte[] b, int at) {
        int i = at;
        while (i > 0 && (b[i - 1] == ' ' || b[i - 1] == '\t' || b[i - 1] == '\n' || b[i - 1] == '\r')) {
            i--;
        }
        return i;
    }

    /** The usage in a {@code message_stop} event's metrics, or null when it has none. */
    static Usage usage(byte[] messageStop) {
        try (JsonParser p = Json.FACTORY.createParser(messageStop)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals(FIELD) && v == JsonToken.START_OBJECT) {
                    return read(p);
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static Usage read(JsonParser p) throws IOException {
        long in = 0;
        long out = 0;
        long read = 0;
        long write = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            long n = v == JsonToken.VALUE_NUMBER_INT ? Math.max(0, p.getLongValue()) : 0;
            switch (name) {
                case "inputTokenCount" -> in = n;
                case "outputTokenCount" -> out = n;
                case "cacheReadInputTokenCount" -> read = n;
                case "cacheWriteInputTokenCount" -> write = n;
                default -> p.skipChildren();
            }
        }
        return new Usage(in, out, write, read, 0, 0, 0, 0);
    }
}
