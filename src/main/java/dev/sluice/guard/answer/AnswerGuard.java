package dev.sluice.guard.answer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.engine.GuardEngine;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans an answer as its stream arrives, for the cache's write guard (no secret or injected text gets
 * stored and replayed) and for optional scanning of what the client receives.
 *
 * <p>Text and thinking deltas are decoded and fed through the keyword automaton as they come, its state
 * carried from one delta to the next, so a keyword split across two deltas is still seen. A hit is checked
 * once {@value BlockText#LOOKAHEAD} more bytes have arrived after it (enough for any rule to see its whole
 * match) or when its block stops. When the policy turns personal-data rules on, the same text is read for them as it
 * grows, up to {@value BlockText#LOOKAHEAD} bytes behind its end, and to its end when the block stops, finding what one
 * scan of the whole text finds. A tool_use block's input arrives as JSON in pieces; it is scanned as JSON,
 * field by field, when its block stops. Offsets in findings are offsets in the block's text (for text and
 * thinking) or in the tool input's JSON; {@link dev.sluice.guard.Location#block()} says which block.
 *
 * <p>A text is read the ways a request's is, each bounded per event: around a percent escape, a window of text read
 * again decoded once the escape's hit is checked; a base64 run around an encoded credential word, decoded; a look-alike
 * or invisible character, a window read again without it; and the seam between two adjacent text blocks (the client
 * shows them joined), their last and first {@value GuardEngine#SEAM_WINDOW} bytes read together once, when the second
 * has that many bytes or stops. A credential across a seam is reported in both blocks.
 *
 * <p>One per response; confined to the response's event loop, like the stream itself. Bounded: past
 * {@value #MAX_ANSWER} bytes of answer, nothing more is scanned and {@link #truncated()} says so.
 */
public final class AnswerGuard {
    public static final int MAX_ANSWER = 8 * 1024 * 1024;

    private final GuardEngine engine;
    private final GuardPolicy policy;
    private final Map<Integer, BlockText> blocks = new HashMap<>();
    private final List<Finding> all = new ArrayList<>();
    /** The last text block that stopped, until the next block starts: the seam between them is read then. */
    private BlockText lastText;
    private int total;
    private boolean truncated;

    public AnswerGuard(GuardEngine engine, GuardPolicy policy) {
        this.engine = engine;
        this.policy = policy;
    }

    /** Takes one event of the stream; returns the findings it completed (often none). Unknown events are ignored. */
    public List<Finding> onEvent(SseEvent event) {
        return switch (event.type()) {
            case "content_block_start" -> start(event);
            case "content_block_delta" -> delta(event);
            case "content_block_stop" -> stop(event);
            default -> List.of();
        };
    }

    /** Checks whatever is still pending (a stream that ended without its stop events); returns what that found. */
    public List<Finding> finish() {
        List<Finding> out = new ArrayList<>();
        for (BlockText b : blocks.values()) {
            out.addAll(b.stop(engine, policy));
        }
        blocks.clear();
        all.addAll(out);
        return out;
    }

    /** Everything found so far. */
    public List<Finding> findings() {
        return List.copyOf(all);
    }

    public boolean truncated() {
        return truncated;
    }

    private List<Finding> start(SseEvent e) {
        Fields f = Fields.read(e);
        if (f.index < 0 || blocks.size() >= 256) {
            return List.of();
        }
        BlockText b = new BlockText(engine, policy, f.index, f.blockType == null ? "text" : f.blockType);
        BlockText previous = blocks.containsKey(f.index - 1) ? blocks.get(f.index - 1)
                : lastText != null && lastText.index() == f.index - 1 ? lastText : null;
        if (b.isText() && previous != null && previous.isText()) {
            b.follows(previous);
        }
        lastText = null;
        blocks.put(f.index, b);
        return List.of();
    }

    private List<Finding> delta(SseEvent e) {
        Fields f = Fields.read(e);
        BlockText b = blocks.get(f.index);
        if (b == null || f.piece == null || truncated) {
            return List.of();
        }
        byte[] piece = f.piece.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (total + piece.length > MAX_ANSWER) {
            truncated = true;
            return List.of();
        }
        total += piece.length;
        List<Finding> found = b.append(piece, engine, policy);
        all.addAll(found);
        return found;
    }

    private List<Finding> stop(SseEvent e) {
        Fields f = Fields.read(e);
        BlockText b = blocks.remove(f.index);
        if (b == null) {
            return List.of();
        }
        List<Finding> found = b.stop(engine, policy);
        lastText = b.isText() ? b : null;
        all.addAll(found);
        return found;
    }

    /** The few fields of an event this guard reads, from one streaming parse of its data. */
    private static final class Fields {
        int index = -1;
        String blockType;
        String piece;

        static Fields read(SseEvent e) {
            Fields f = new Fields();
            try (JsonParser p = Json.FACTORY.createParser(e.raw(), e.dataStart(), e.dataLength())) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return f;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (name) {
                        case "index" -> f.index = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                        case "content_block", "delta" -> f.inner(p, t);
                        default -> p.skipChildren();
                    }
                }
            } catch (IOException | RuntimeException ex) {
                // A malformed event carries nothing to scan; the relay reports broken streams itself.
                f.index = -1;
            }
            return f;
        }

        private void inner(JsonParser p, JsonToken t) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING && (name.equals("text") || name.equals("partial_json") || name.equals("thinking"))) {
                    piece = p.getText();
                } else if (v == JsonToken.VALUE_STRING && name.equals("type")) {
                    blockType = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
    }
}
