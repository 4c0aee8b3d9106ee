package dev.sluice.guard.engine;

import dev.sluice.guard.MalformedBodyException;
import dev.sluice.guard.Section;
import dev.sluice.wire.Json;

/**
 * One pass over a JSON body that follows the Messages structure (which message, block and field each
 * string belongs to) and records every string value that can hold content ({@link Segments}) with the
 * positions of the escapes inside it. It reads strings eight bytes at a time, looking only for the quote
 * that ends them and the backslashes that start escapes; the keyword automaton runs afterwards over what
 * was recorded ({@link Prefilter}), and detectors look only around its hits.
 *
 * <p>No tree, no copy, no recursion: an explicit stack of at most {@link Json#MAX_DEPTH} frames.
 * Values that can only be opaque (image and document base64, thinking signatures, media and block types)
 * are skipped. Not thread-safe: one per thread, reused.
 */
public final class BodyWalker {
    /** Lets the caller skip a top-level member whose findings it already knows (the incremental scan). */
    public interface MemberHook {
        /** Returns the offset to continue after the member's value, or -1 to scan the value. */
        int member(String name, int valueStart);
    }

    private static final int OBJ = 1;
    private static final int ARR = 2;
    private static final int VALUE = 0;
    private static final int AFTER = 1;
    private static final int KEY_OR_END = 2;
    private static final int KEY = 3;
    private static final int VALUE_OR_END = 4;
    private static final int SYSTEM = Section.SYSTEM.ordinal();
    private static final int MESSAGES = Section.MESSAGES.ordinal();
    private static final int TOOLS = Section.TOOLS.ordinal();
    private static final int ANSWER = Section.ANSWER.ordinal();
    private static final int OTHER = Section.OTHER.ordinal();

    private final int[] kind = new int[Json.MAX_DEPTH + 4];
    private final int[] idx = new int[Json.MAX_DEPTH + 4];
    private final int[] key = new int[Json.MAX_DEPTH + 4];
    private final int[] keyStart = new int[Json.MAX_DEPTH + 4];
    private final int[] keyEnd = new int[Json.MAX_DEPTH + 4];
    /** Per open object under a {@code source} key: what its {@code type} said ({@link SourceTypes}: a plain-text document is read). */
    private final byte[] sourceKind = new byte[Json.MAX_DEPTH + 4];
    /** Per open object under a {@code source} key: its {@code media_type} is text ({@link SourceTypes#textMedia}). */
    private final boolean[] textMedia = new boolean[Json.MAX_DEPTH + 4];
    private int depth;
    private int serials;
    private int serial = -1;
    private int serialDepth = -1;

    private byte[] b;
    private int end;
    private MemberHook hook;

    final Segments segments = new Segments();
    final IntArray escapes = new IntArray(1024);
    /** The scanned strings, decoded, as the walk reads them. */
    final Decoded decoded = new Decoded();
    /** Raw ranges of each message's role value, by message index (-1 when not seen). */
    final IntArray roleStart = new IntArray(64);
    final IntArray roleEnd = new IntArray(64);
    /** Raw ranges of each block's type value, by block serial. */
    final IntArray typeStart = new IntArray(64);
    final IntArray typeEnd = new IntArray(64);

    public BodyWalker() {
    }

    private void reset(byte[] body, int length, MemberHook memberHook) {
        b = body;
        end = length;
        hook = memberHook;
        depth = 0;
        serials = 0;
        serial = -1;
        serialDepth = -1;
        segments.clear();
        escapes.clear();
        decoded.reset(length);
        roleStart.clear();
        roleEnd.clear();
        typeStart.clear();
        typeEnd.clear();
    }

    public byte[] body() {
        return b;
    }

    /** Walks a whole body. */
    public void walkWhole(byte[] body, int length, MemberHook memberHook) {
        reset(body, length, memberHook);
        run(0, VALUE, 0);
    }

    /**
     * Walks from the end of {@code messages[index]} (the offset just after its closing brace) to the end
     * of the body: the later messages, then the top-level members after the messages array.
     */
    public void walkAfterMessage(byte[] body, int length, int offset, int index, MemberHook memberHook) {
        reset(body, length, memberHook);
        push(OBJ, -1);
        key[0] = Keys.MESSAGES;
        push(ARR, -1);
        idx[1] = index;
        run(offset, AFTER, 0);
    }

    /** Walks one JSON value (an answer's tool input) as {@code content[block].input} of an answer. */
    public void walkToolInput(byte[] body, int from, int to, int block) {
        reset(body, to, null);
        push(OBJ, -1);
        key[0] = Keys.CONTENT;
        push(ARR, -1);
        idx[1] = block;
        push(OBJ, 2);
        key[2] = Keys.INPUT;
        run(from, VALUE, 3);
    }

    private void run(int start, int initialState, int stopDepth) {
        int p = start;
        int state = initialState;
        while (true) {
            p = skipSpace(p);
            if (state == AFTER && depth == stopDepth) {
                if (stopDepth == 0 && p < end) {
                    throw new MalformedBodyException("content after the JSON value", p);
                }
                return;
            }
            if (p >= end) {
                throw new MalformedBodyException("unexpected end of body", p);
            }
            int c = b[p];
            switch (state) {
                case VALUE -> {
                    p = value(p, c);
                    state = c == '{' ? KEY_OR_END : c == '[' ? VALUE_OR_END : AFTER;
                }
                case VALUE_OR_END -> {
                    if (c == ']') {
                        pop();
                        p++;
                        state = AFTER;
                    } else {
                        state = VALUE;
                    }
                }
                case AFTER -> {
                    int top = depth - 1;
                    if (c == ',') {
                        p++;
                        if (kind[top] == ARR) {
                            idx[top]++;
                            state = VALUE;
                        } else {
                            state = KEY;
                        }
                    } else if ((c == '}' && kind[top] == OBJ) || (c == ']' && kind[top] == ARR)) {
                        pop();
                        p++;
                    } else {
                        throw new MalformedBodyException("expected ',' or the end of the " + (kind[top] == ARR ? "array" : "object"), p);
                    }
                }
                default -> {
                    if (c == '}' && state == KEY_OR_END) {
                        pop();
                        p++;
                        state = AFTER;
                    } else if (c == '"') {
                        p = memberKey(p + 1);
                        state = VALUE;
                        if (depth == 1 && kind[0] == OBJ) {
                            int skipTo = topLevel(p);
                            if (skipTo >= 0) {
                                p = skipTo;
                                state = AFTER;
                            }
                        }
                    } else {
                        throw new MalformedBodyException("expected a string key", p);
                    }
                }
            }
        }
    }

    /** At a top-level member's value: notes where it starts and asks the hook whether to skip it. */
    private int topLevel(int valueStart) {
        int p = skipSpace(valueStart);
        return hook == null ? -1 : hook.member(Keys.name(key[0]), p);
    }

    private int value(int p, int c) {
        switch (c) {
            case '{' -> {
                push(OBJ, depth);
                return p + 1;
            }
            case '[' -> {
                push(ARR, depth);
                return p + 1;
            }
            case '"' -> {
                return stringValue(p + 1);
            }
            default -> {
                return literal(p);
            }
        }
    }

    private void push(int k, int at) {
        if (depth == kind.length - 1 || depth >= Json.MAX_DEPTH) {
            throw new MalformedBodyException("nested deeper than " + Json.MAX_DEPTH, Math.max(at, 0));
        }
        kind[depth] = k;
        idx[depth] = 0;
        key[depth] = Keys.OTHER;
        keyStart[depth] = -1;
        keyEnd[depth] = -1;
        sourceKind[depth] = SourceTypes.UNSEEN;
        textMedia[depth] = false;
        if (k == OBJ && at >= 0 && isBlockFrame(depth)) {
            serial = serials++;
            serialDepth = depth;
            typeStart.put(serial, -1, -1);
            typeEnd.put(serial, -1, -1);
        }
        depth++;
    }

    private void pop() {
        depth--;
        if (depth == serialDepth) {
            serial = -1;
            serialDepth = -1;
        }
    }

    private boolean isBlockFrame(int f) {
        int sec = section();
        if (sec == MESSAGES) {
            return f == 4 && kind[3] == ARR && key[2] == Keys.CONTENT;
        }
        return (sec == SYSTEM || sec == ANSWER) && f == 2 && kind[1] == ARR;
    }

    /** The section ordinal ({@link Section}) of the current position. */
    private int section() {
        if (depth == 0 || kind[0] != OBJ) {
            return OTHER;
        }
        return switch (key[0]) {
            case Keys.MESSAGES -> MESSAGES;
            case Keys.SYSTEM -> SYSTEM;
            case Keys.TOOLS -> TOOLS;
            case Keys.CONTENT -> ANSWER;
            default -> OTHER;
        };
    }

    private boolean inToolInput() {
        int sec = section();
        if (sec == MESSAGES) {
            return serialDepth == 4 && depth > 5 && key[4] == Keys.INPUT;
        }
        return sec == ANSWER && serialDepth == 2 && depth > 3 && key[2] == Keys.INPUT;
    }

    private int memberKey(int p) {
        int top = depth - 1;
        if (inToolInput()) {
            int close = scan(p, -1, Segments.KEY);
            key[top] = Keys.OTHER;
            keyStart[top] = p;
            keyEnd[top] = close;
            return afterColon(close + 1);
        }
        int close = skipString(p);
        key[top] = Keys.of(b, p, close);
        if (key[top] == Keys.OTHER && underSource(top) && SourceTypes.escaped(b, p, close)) {
            // An escaped key the upstream decodes may be this source's "type" or "media_type".
            sourceKind[top] = SourceTypes.TEXT;
            textMedia[top] = true;
        }
        if (key[top] == Keys.OTHER && close - p >= MIN_READ_KEY) {
            // A long key the Messages shape does not define is the caller's text, forwarded like any other: a token
            // as a top-level member, a metadata key or a schema's property name reached the upstream unread.
            close = scan(p, -1, Segments.KEY);
        }
        keyStart[top] = p;
        keyEnd[top] = close;
        return afterColon(close + 1);
    }

    /**
     * The shortest key outside tool inputs that is read: a credential is longer (an AWS key id has 20 bytes), and the
     * many short names of JSON schemas ({@code type}, {@code properties}, {@code description}) stay unread.
     */
    static final int MIN_READ_KEY = 16;

    private int afterColon(int p) {
        p = skipSpace(p);
        if (p >= end || b[p] != ':') {
            throw new MalformedBodyException("expected ':' after a key", p);
        }
        return p + 1;
    }

    /** A string value: skipped when it can only be opaque, otherwise scanned. */
    private int stringValue(int p) {
        int top = depth - 1;
        if (top >= 0 && kind[top] == OBJ && !inToolInput()) {
            switch (key[top]) {
                case Keys.TYPE, Keys.ROLE -> {
                    int close = skipString(p);
                    note(top, p, close);
                    if (underSource(top)) {
                        sourceKind[top] = SourceTypes.join(sourceKind[top], SourceTypes.of(b, p, close));
                    }
                    return close + 1;
                }
                case Keys.SIGNATURE, Keys.MEDIA_TYPE -> {
                    // What the upstream checks (a thinking block's signature, a media type of its list): nothing else passes.
                    // Ids are read: a tool call's id is whatever the client wrote, and a token fits its pattern.
                    int close = skipString(p);
                    if (key[top] == Keys.MEDIA_TYPE && underSource(top)) {
                        textMedia[top] |= SourceTypes.textMedia(b, p, close); // given twice, either may be kept
                    }
                    return close + 1;
                }
                case Keys.DATA -> {
                    if (top == serialDepth) {
                        return skipString(p) + 1;
                    }
                    if (underSource(top)) {
                        // A document's data is base64 (skipped: images, PDFs) unless its source is plain text, which
                        // the model reads as it is, or a text file sent as base64, which it reads decoded. Keys come in
                        // any order and may come twice, so every type and media type of the object counts, before the
                        // data or after it (attack round 41: a text file's base64 with its type after the data).
                        int close = skipString(p);
                        byte says = SourceTypes.join(sourceKind[top], SourceTypes.ahead(b, close + 1, end));
                        boolean text = textMedia[top] || SourceTypes.textMediaAhead(b, close + 1, end);
                        if (text && (says != SourceTypes.TEXT || base64(p, close, true))) {
                            // Read as it is, and decoded by the engine (Segments.BASE64_TEXT), up to the scan's budget.
                            return scan(p, top, Segments.BASE64_TEXT) + 1;
                        }
                        if (says == SourceTypes.OPAQUE || says == SourceTypes.UNSEEN && base64(p, close, false)) {
                            return close + 1;
                        }
                    }
                }
                default -> {
                }
            }
        }
        return scan(p, top >= 0 && kind[top] == OBJ ? top : -1, 0) + 1;
    }

    private boolean underSource(int top) {
        return top >= 1 && kind[top - 1] == OBJ && key[top - 1] == Keys.SOURCE;
    }

    /**
     * True when the raw string bytes {@code [from, to)} are all of base64's alphabet; with {@code loosely}, its URL-safe
     * letters and escapes too ({@code \/} is a slash, {@code \n} a line break a decoder passes over).
     */
    private boolean base64(int from, int to, boolean loosely) {
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
                    || loosely && (c == '-' || c == '_' || c == '\\'))) {
                return false;
            }
        }
        return true;
    }

    /** Remembers a block's type or a message's role, read later for locations and injection weights. */
    private void note(int top, int from, int to) {
        if (key[top] == Keys.TYPE && top == serialDepth) {
            typeStart.set(serial, from);
            typeEnd.set(serial, to);
        } else if (key[top] == Keys.ROLE && top == 2 && section() == MESSAGES) {
            roleStart.put(idx[1], from, -1);
            roleEnd.put(idx[1], to, -1);
        }
    }

    /** Runs a string's content through the automaton; returns the offset of its closing quote. */
    private int scan(int p, int field, int flag) {
        int sec = section();
        int index = sec != OTHER && depth >= 2 && kind[1] == ARR ? idx[1] : -1;
        int blk = -1;
        int prt = -1;
        if (sec == MESSAGES) {
            blk = depth >= 4 && key[2] == Keys.CONTENT && kind[3] == ARR ? idx[3] : -1;
            prt = blk >= 0 && depth >= 6 && key[4] == Keys.CONTENT && kind[5] == ARR ? idx[5] : -1;
        } else if (sec == SYSTEM || sec == ANSWER) {
            blk = index;
            index = -1;
        }
        int seg = segments.open(p, escapes.size(), sec, index, blk, prt, serial,
                field >= 0 ? keyStart[field] : -1, field >= 0 ? keyEnd[field] : -1, flag);
        decoded.begin(seg);
        int close = stringEnd(p);
        decoded.end(seg);
        segments.close(seg, close, escapes.size());
        return close;
    }

    private int stringEnd(int p) {
        return JsonStrings.read(b, p, end, decoded, escapes);
    }

    private int skipString(int p) {
        return JsonStrings.skip(b, p, end);
    }

    private int literal(int p) {
        int q = p;
        while (q < end) {
            int c = b[q];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                break;
            }
            if (!(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E'
                    && !(c >= 'a' && c <= 'z')) {
                throw new MalformedBodyException("unexpected character", q);
            }
            q++;
        }
        if (q == p) {
            throw new MalformedBodyException("expected a value", p);
        }
        return q;
    }

    private int skipSpace(int p) {
        while (p < end) {
            int c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return p;
            }
            p++;
        }
        return p;
    }
}
