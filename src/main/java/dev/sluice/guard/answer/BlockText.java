package dev.sluice.guard.answer;

import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.Location;
import dev.sluice.guard.Section;
import dev.sluice.guard.Source;
import dev.sluice.guard.engine.GuardEngine;
import dev.sluice.guard.engine.IntArray;
import dev.sluice.guard.detect.Text;
import java.util.Arrays;
import java.util.List;

/**
 * One content block of an answer as it grows: its bytes, the automaton's state, hits not yet checked, how far the
 * personal-data scan (when the policy turns it on) has read, and, for a text block right after another, the seam
 * between them still to read.
 */
final class BlockText {
    /** Bytes that must follow a hit before it is checked mid-stream (the longest window a rule reads ahead). */
    static final int LOOKAHEAD = 16 * 1024;

    private final int index;
    private final String type;
    private final boolean json;
    private final GuardEngine.TextState state;
    private final IntArray hits = new IntArray(32);
    private final Text view = new Text();
    private byte[] bytes = new byte[1024];
    private int length;
    private int automaton;
    private int checked;
    /** With personal data on: the offset before which every candidate has been checked. */
    private int scanned;
    private final boolean everyByte;
    /** The text block just before this one, until the seam between them is read ({@link GuardEngine#seam}); or null. */
    private BlockText before;

    BlockText(GuardEngine engine, GuardPolicy policy, int index, String type) {
        this.index = index;
        this.type = type.length() > 40 ? "other" : type;
        this.json = type.equals("tool_use") || type.equals("server_tool_use");
        this.state = new GuardEngine.TextState(engine);
        this.everyByte = engine.readsEveryByte(policy);
    }

    int index() {
        return index;
    }

    /** True for a text block: a provider's client shows adjacent ones joined. */
    boolean isText() {
        return type.equals("text");
    }

    /** Reads the seam between {@code previous}, the text block just before this one, and this one when this has enough bytes. */
    void follows(BlockText previous) {
        before = previous;
    }

    List<Finding> append(byte[] piece, GuardEngine engine, GuardPolicy policy) {
        if (length + piece.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + piece.length, bytes.length * 2));
        }
        System.arraycopy(piece, 0, bytes, length, piece.length);
        int from = length;
        length += piece.length;
        if (json) {
            return List.of();
        }
        automaton = engine.feed(bytes, from, length, automaton, hits, from);
        int ready = checked;
        while (ready < hits.size() && hits.get(ready + 1) + LOOKAHEAD <= length) {
            ready += 2;
        }
        List<Finding> found = check(engine, policy, ready, Math.max(0, length - LOOKAHEAD));
        return before != null && length >= GuardEngine.SEAM_WINDOW ? join(found, seam(engine, policy)) : found;
    }

    List<Finding> stop(GuardEngine engine, GuardPolicy policy) {
        if (json) {
            if (length == 0) {
                return List.of();
            }
            return engine.scanToolInput(bytes, 0, length, index, policy).findings();
        }
        List<Finding> found = check(engine, policy, hits.size(), length);
        return before != null ? join(found, seam(engine, policy)) : found;
    }

    /** The seam with the text block before, read once: its last bytes and this block's first, together. */
    private List<Finding> seam(GuardEngine engine, GuardPolicy policy) {
        BlockText a = before;
        before = null;
        Text x = new Text();
        Text y = new Text();
        x.view(a.bytes, a.length, Source.ANSWER);
        y.view(bytes, length, Source.ANSWER);
        return engine.seam(x, a.where(1), y, where(1), policy);
    }

    private static List<Finding> join(List<Finding> a, List<Finding> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<Finding> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private Location where(int line) {
        return new Location(Section.ANSWER, -1, index, -1, type, type.equals("thinking") ? "thinking" : "text", Source.ANSWER, line);
    }

    /**
     * Checks the hits before {@code upTo} and, with personal data on, the candidates that start before {@code limit}
     * (which mid-stream stays {@value #LOOKAHEAD} bytes behind the text, so each candidate is whole when it is read), and
     * reads the text around each disguising character before {@code limit} again ({@link GuardEngine#disguised}).
     */
    private List<Finding> check(GuardEngine engine, GuardPolicy policy, int upTo, int limit) {
        boolean scan = everyByte && limit > scanned;
        if (upTo <= checked && !scan && !engine.disguised(bytes, limit, state)) {
            return List.of();
        }
        view.view(bytes, length, Source.ANSWER);
        List<Finding> found = engine.checkText(view, hits, checked, upTo, scan ? limit : scanned, limit, policy, where(1), state);
        checked = upTo;
        scanned = Math.max(scanned, limit);
        return found;
    }
}
