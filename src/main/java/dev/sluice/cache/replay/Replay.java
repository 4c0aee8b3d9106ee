package dev.sluice.cache.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.Bindings;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored answer served again, in the form the client asked for: an SSE event sequence (the same
 * events a live answer has) or a JSON body, from either stored form, with the requester's own values
 * in place of the placeholders, a fresh message id and usage that shows the prompt read from cache.
 * Tool-use ids are fresh too ({@link ToolUseIds}): an answer served twice into one conversation (a semantic
 * hit on a later turn) must not put the same {@code toolu_} id in its history twice, which the API refuses.
 *
 * <p>The common case (a streaming client, a stream entry) only copies bytes: every event keeps the
 * exact bytes the upstream sent except {@code message_start} and {@code message_delta}, whose id and
 * usage are rewritten.
 */
public final class Replay {
    private Replay() {
    }

    /** The events to send, or null when the entry cannot be served to this requester (treat as a miss). */
    public static List<SseEvent> events(CacheEntry entry, Bindings requester, String messageId) {
        if (entry.form() == CacheEntry.Form.MESSAGE) {
            ObjectNode message = message(entry, requester, messageId);
            return message == null ? null : MessageToStream.events(message);
        }
        List<SseEvent> stored = storedEvents(entry, requester);
        if (stored == null) {
            return null;
        }
        List<SseEvent> out = new ArrayList<>(stored.size());
        ToolUseIds ids = new ToolUseIds();
        for (SseEvent e : stored) {
            SseEvent served = e;
            if (e.type().equals("message_start") || e.type().equals("message_delta")) {
                served = rewrite(e, entry, messageId);
            } else if (e.type().equals("content_block_start") && ToolUseIds.mayHold(e)) {
                ObjectNode data = parse(e.raw(), e.dataStart(), e.dataLength());
                served = data == null ? null : ids.renew(data.get("content_block")) ? MessageToStream.frame(e.type(), data) : e;
            }
            if (served == null) {
                return null;
            }
            out.add(served);
        }
        return out;
    }

    /** The JSON body to send, or null when the entry cannot be served to this requester. */
    public static byte[] body(CacheEntry entry, Bindings requester, String messageId) {
        ObjectNode message = message(entry, requester, messageId);
        return message == null ? null : message.toString().getBytes(UTF_8);
    }

    private static ObjectNode message(CacheEntry entry, Bindings requester, String messageId) {
        ObjectNode message;
        if (entry.form() == CacheEntry.Form.STREAM) {
            List<SseEvent> stored = storedEvents(entry, requester);
            message = stored == null ? null : StreamToMessage.convert(stored);
        } else {
            byte[] body = Substitution.apply(entry.payload(), 0, entry.payload().length, requester);
            message = body == null ? null : parse(body);
        }
        if (message == null) {
            return null;
        }
        message.put("id", messageId);
        if (message.get("content") instanceof ArrayNode blocks) {
            ToolUseIds ids = new ToolUseIds();
            blocks.forEach(ids::renew);
        }
        if (message.get("usage") instanceof ObjectNode usage) {
            ReplayUsage.rewrite(usage, entry.usage());
        }
        return message;
    }

    /** The stored events with the requester's values in place. */
    static List<SseEvent> storedEvents(CacheEntry entry, Bindings requester) {
        int[] ends = entry.eventEnds();
        List<SseEvent> events = new ArrayList<>(ends.length);
        int start = 0;
        for (int end : ends) {
            byte[] raw = Substitution.apply(entry.payload(), start, end, requester);
            if (raw == null) {
                return null;
            }
            events.add(SseFramer.parse(raw));
            start = end;
        }
        return events;
    }

    private static SseEvent rewrite(SseEvent e, CacheEntry entry, String messageId) {
        ObjectNode data = parse(e.raw(), e.dataStart(), e.dataLength());
        if (data == null) {
            return null;
        }
        JsonNode usage;
        if (e.type().equals("message_start")) {
            if (!(data.get("message") instanceof ObjectNode m)) {
                return null;
            }
            m.put("id", messageId);
            usage = m.get("usage");
        } else {
            usage = data.get("usage");
        }
        if (usage instanceof ObjectNode u) {
            ReplayUsage.rewrite(u, entry.usage());
        }
        return MessageToStream.frame(e.type(), data);
    }

    private static ObjectNode parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    private static ObjectNode parse(byte[] bytes, int off, int len) {
        try {
            return Json.MAPPER.readTree(bytes, off, len) instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }
}
