package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import java.io.IOException;

/**
 * Bedrock's own count on the last event, {@code "amazon-bedrock-invocationMetrics":{"inputTokenCount",
 * "outputTokenCount","cacheReadInputTokenCount","cacheWriteInputTokenCount",...}}: the fallback when a
 * stream carried no final {@code message_delta} usage.
 */
final class BedrockMetrics {
    private BedrockMetrics() {
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
                if (name.equals("amazon-bedrock-invocationMetrics") && v == JsonToken.START_OBJECT) {
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
