package dev.sluice.cache.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import java.io.IOException;
import java.util.List;

/** The stop reason of a stream: the last {@code message_delta}'s {@code delta.stop_reason}. */
final class StopReason {
    private StopReason() {
    }

    static String of(List<SseEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            SseEvent e = events.get(i);
            if (e.type().equals("message_delta")) {
                try {
                    JsonNode n = Json.MAPPER.readTree(e.raw(), e.dataStart(), e.dataLength());
                    JsonNode stop = n.path("delta").path("stop_reason");
                    return stop.isTextual() ? stop.asText() : null;
                } catch (IOException ex) {
                    return null;
                }
            }
        }
        return null;
    }
}
