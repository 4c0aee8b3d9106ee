package dev.sluice.cache.normalise;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.entry.Delta;
import dev.sluice.wire.SseEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Maps stand-ins back in a live answer stream, event by event, for one exchange.
 *
 * <p>Text, tool input ({@code partial_json}) and thinking pieces go through {@link TextRestorer} per content block.
 * A delta with nothing to change and nothing held keeps its exact bytes. When a stand-in may be cut across deltas,
 * only the possible stand-in at the end of the delta is held back (a few bytes: {@code /wor} of
 * {@code /workspace/calc}); the rest goes out at once as a rewritten delta, and the held bytes lead the block's next
 * delta. Any other event (a {@code signature_delta}, {@code content_block_stop}, {@code message_delta}, an error)
 * first releases what its block (or every block) still holds, as one delta of the same kind before it: a cut-off
 * prefix with nothing after it is plain text.
 *
 * <p>Signatures are never touched: the provider signed the stand-in text, and the forwarding side turns the
 * developer's values back into exactly that text on the next turn.
 */
public final class StreamRestorer {
    private static final byte[] NONE = new byte[0];

    private final TextRestorer text;
    private final TreeMap<Integer, Block> blocks = new TreeMap<>();

    /** What one content block still holds, and the two bytes before it (for boundaries). */
    private static final class Block {
        byte[] held = NONE;
        byte prev;
        byte prev2;
        String type;
        String field;
    }

    public StreamRestorer(StandIns standIns) {
        this.text = new TextRestorer(standIns);
    }

    /** The events to send for {@code event}, in order: none (all held), the event itself, a replacement, or released text and then the event. */
    public List<SseEvent> onEvent(SseEvent event) {
        if ("content_block_delta".equals(event.type())) {
            Delta d = Delta.of(event);
            if (d != null && d.carriesContent()) {
                return delta(event, d);
            }
            if (d != null) {
                return afterRelease(blocks.get(d.index()), d.index(), event);
            }
        }
        if (blocks.isEmpty()) {
            return List.of(event);
        }
        List<SseEvent> out = new ArrayList<>(2);
        for (var e : blocks.entrySet()) {
            SseEvent released = release(e.getValue(), e.getKey());
            if (released != null) {
                out.add(released);
            }
        }
        out.add(event);
        return out;
    }

    private List<SseEvent> delta(SseEvent event, Delta d) {
        Block b = blocks.computeIfAbsent(d.index(), k -> new Block());
        b.type = d.type();
        b.field = d.field();
        byte[] piece = d.piece().getBytes(UTF_8);
        byte[] buf = b.held.length == 0 ? piece : concat(b.held, piece);
        ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length + 32);
        int upTo = text.restore(buf, buf.length, b.prev, b.prev2, false, out);
        boolean wasHolding = b.held.length > 0;
        b.held = upTo == buf.length ? NONE : Arrays.copyOfRange(buf, upTo, buf.length);
        if (upTo >= 1) {
            b.prev2 = upTo >= 2 ? buf[upTo - 2] : b.prev;
            b.prev = buf[upTo - 1];
        }
        byte[] emitted = out.toByteArray();
        if (!wasHolding && b.held.length == 0 && Arrays.equals(emitted, piece)) {
            return List.of(event); // untouched: its exact bytes
        }
        return emitted.length == 0 ? List.of() : List.of(deltaEvent(d.index(), b.type, b.field, emitted));
    }

    private List<SseEvent> afterRelease(Block b, int index, SseEvent event) {
        SseEvent released = b == null ? null : release(b, index);
        return released == null ? List.of(event) : List.of(released, event);
    }

    /** The block's held bytes as a final delta (restored with the end of text as a boundary), or null. */
    private SseEvent release(Block b, int index) {
        if (b.held.length == 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.held.length + 32);
        text.restore(b.held, b.held.length, b.prev, b.prev2, true, out);
        b.held = NONE;
        return deltaEvent(index, b.type, b.field, out.toByteArray());
    }

    /** A whole JSON answer: the raw body with stand-ins mapped back (values and stand-ins need no JSON escaping). */
    public byte[] whole(byte[] body) {
        return text.clearOf(body, body.length) ? body : text.restoreAll(body);
    }

    /**
     * Several events as one, for a pipeline hook that returns one event: their frames back to back, the last one's
     * type and data. Only the Anthropic door's encoder, which relays frames as bytes, is handed such an event.
     */
    public static SseEvent joined(List<SseEvent> events) {
        if (events.isEmpty()) {
            return null;
        }
        if (events.size() == 1) {
            return events.getFirst();
        }
        int n = 0;
        for (SseEvent e : events) {
            n += e.raw().length;
        }
        byte[] raw = new byte[n];
        int at = 0;
        for (SseEvent e : events) {
            System.arraycopy(e.raw(), 0, raw, at, e.raw().length);
            at += e.raw().length;
        }
        SseEvent last = events.getLast();
        int offset = n - last.raw().length;
        return new SseEvent(raw, last.type(), offset + last.dataStart(), offset + last.dataEnd());
    }

    static SseEvent deltaEvent(int index, String type, String field, byte[] piece) {
        return SseEvent.contentDelta(index, type, field, new String(piece, UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
